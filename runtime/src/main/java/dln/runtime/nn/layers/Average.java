package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** The element-wise mean of two or more tensors of the same shape (ensembles of branches). */
public final class Average extends ElementwiseMerge<Average.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Average.class, Config.class, Average::new,
      "The element-wise mean of two or more tensors of the same shape (ensembles of branches).\n"
          + "Example: Average()([a, b, c])");

  /** Average has no settings. */
  public record Config() {}

  public Average(Config config, String name) {
    super(config, name);
  }

  public Average() {
    this(new Config(), null);
  }

  @Override
  protected SDVariable combine(GraphContext ctx, SDVariable merged, SDVariable next) {
    return merged.add(next);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return super.forward(ctx, inputs, shapes).div(inputs.size());
  }
}

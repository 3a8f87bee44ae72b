package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import org.nd4j.autodiff.samediff.SDVariable;

/** The element-wise maximum of two or more tensors of the same shape. */
public final class Maximum extends ElementwiseMerge<Maximum.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Maximum.class, Config.class, Maximum::new,
      "The element-wise maximum of two or more tensors of the same shape.\n"
          + "Example: Maximum()([a, b])");

  /** Maximum has no settings. */
  public record Config() {}

  public Maximum(Config config, String name) {
    super(config, name);
  }

  public Maximum() {
    this(new Config(), null);
  }

  @Override
  protected SDVariable combine(GraphContext ctx, SDVariable merged, SDVariable next) {
    return ctx.sd().math().max(merged, next);
  }
}

package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** The mean over the steps: (batch, steps, c) -> (batch, c). */
public final class GlobalAveragePooling1D extends GlobalPooling1D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<GlobalPooling1D.Config> SPEC = LayerSpec.of(GlobalAveragePooling1D.class, GlobalPooling1D.Config.class,
      GlobalAveragePooling1D::new,
      "The mean over the steps: (batch, steps, c) -> (batch, c).\n"
          + "Example: GlobalAveragePooling1D()(x)");

  public GlobalAveragePooling1D(Config config, String name) {
    super(name);
  }

  public GlobalAveragePooling1D() {
    super(null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return inputs.get(0).mean(1);
  }
}

package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Mean over height and width: (batch, h, w, c) -> (batch, c). */
public final class GlobalAveragePooling2D extends GlobalPooling2D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<GlobalPooling2D.Config> SPEC = LayerSpec.of(GlobalAveragePooling2D.class, GlobalPooling2D.Config.class, GlobalAveragePooling2D::new,
      "The mean over height and width: (batch, h, w, c) -> (batch, c).\n"
          + "Example: GlobalAveragePooling2D()(x)");

  public GlobalAveragePooling2D(Config config, String name) {
    super(name);
  }

  public GlobalAveragePooling2D() {
    super(null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return inputs.get(0).mean(1, 2);
  }
}

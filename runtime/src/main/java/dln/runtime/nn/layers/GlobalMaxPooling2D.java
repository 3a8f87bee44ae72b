package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Maximum over height and width: (batch, h, w, c) -> (batch, c). */
public final class GlobalMaxPooling2D extends GlobalPooling2D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<GlobalPooling2D.Config> SPEC = LayerSpec.of(GlobalMaxPooling2D.class, GlobalPooling2D.Config.class, GlobalMaxPooling2D::new,
      "The maximum over height and width: (batch, h, w, c) -> (batch, c).\n"
          + "Example: GlobalMaxPooling2D()(x)");

  public GlobalMaxPooling2D(Config config, String name) {
    super(name);
  }

  public GlobalMaxPooling2D() {
    super(null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return inputs.get(0).max(1, 2);
  }
}

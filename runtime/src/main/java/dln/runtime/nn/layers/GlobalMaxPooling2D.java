package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Maximum over height and width: (batch, h, w, c) -> (batch, c). */
public final class GlobalMaxPooling2D extends GlobalPooling2D {
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

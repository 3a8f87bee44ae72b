package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Mean over height and width: (batch, h, w, c) -> (batch, c). */
public final class GlobalAveragePooling2D extends GlobalPooling2D {
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

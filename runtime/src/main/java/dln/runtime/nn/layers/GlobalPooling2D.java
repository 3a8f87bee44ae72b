package dln.runtime.nn.layers;

import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.Shapes;
import java.util.List;

/** Shared shape logic of the global pooling layers: (batch, h, w, c) -> (batch, c). */
public abstract class GlobalPooling2D extends ConfiguredLayer<GlobalPooling2D.Config> {
  /** Global pooling has no settings; the record keeps model files uniform. */
  public record Config() {}

  protected GlobalPooling2D(String name) {
    super(new Config(), name);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    return new long[] {Shapes.UNKNOWN, s[3]};
  }
}

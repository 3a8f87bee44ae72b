package dln.runtime.nn.layers;

import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.Shapes;
import java.util.List;

/** Shared shape logic of the 1-D global pooling layers: (batch, steps, c) -> (batch, c). */
public abstract class GlobalPooling1D extends ConfiguredLayer<GlobalPooling1D.Config> {
  /** Global pooling has no settings; the record keeps model files uniform. */
  public record Config() {}

  protected GlobalPooling1D(String name) {
    super(new Config(), name);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireSequence(this, in.get(0));
    return new long[] {Shapes.UNKNOWN, s[2]};
  }
}

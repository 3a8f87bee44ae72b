package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Flattens each sample to one axis: (batch, 7, 7, 64) -> (batch, 3136). */
public final class Flatten extends ConfiguredLayer<Flatten.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Flatten.class, Config.class, Flatten::new,
      "Flattens each sample to one axis: (batch, 7, 7, 64) -> (batch, 3136).\n"
          + "Example: Flatten()");

  /** Flatten has no settings (channels-last only). */
  public record Config() {}

  public Flatten(Config config, String name) {
    super(config, name);
  }

  public Flatten() {
    this(new Config(), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length < 2) throw shapeError("an input with a batch axis and at least one more", s, null);
    if (Shapes.hasUnknownSample(s)) {
      throw shapeError("an input whose axes all have a size (it lays every value of a sample on one axis)", s,
          s.length == 3 ? "pool the None steps away first: GlobalAveragePooling1D() or GlobalMaxPooling1D()"
              : s.length == 4 ? "pool the None height and width away first: GlobalAveragePooling2D() or GlobalMaxPooling2D()"
              : "give every axis a size in Input(shape=...)");
    }
    return new long[] {Shapes.UNKNOWN, Shapes.sampleSize(s)};
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return inputs.get(0).reshape(-1, Shapes.sampleSize(shapes.get(0)));
  }
}

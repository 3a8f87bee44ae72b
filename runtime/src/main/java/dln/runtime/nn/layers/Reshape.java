package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Reshapes each sample; one target dimension may be -1 (inferred). */
public final class Reshape extends ConfiguredLayer<Reshape.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Reshape.class, Config.class, Reshape::new,
      "Reshapes each sample (the batch axis is kept); one dimension may be -1.\n"
          + "Example: Reshape((28, 28, 1))");

  /** @param targetShape per-sample shape, e.g. (28, 28, 1) */
  public record Config(long[] targetShape) {
    public Config {
      if (targetShape == null || targetShape.length == 0) {
        throw DlnRuntimeException.value("Reshape needs a target shape", "e.g. Reshape((28, 28, 1))");
      }
      int unknown = 0;
      for (long d : targetShape) {
        if (d == -1) unknown++;
        else if (d <= 0) throw DlnRuntimeException.value("Reshape target " + Shapes.format(targetShape) + " has an invalid dimension " + d);
      }
      if (unknown > 1) throw DlnRuntimeException.value("Reshape target " + Shapes.format(targetShape) + " may contain -1 only once");
    }
  }

  public Reshape(Config config, String name) {
    super(config, name);
  }

  public Reshape(long... targetShape) {
    this(new Config(targetShape), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (Shapes.hasUnknownSample(s)) {
      throw shapeError("an input whose axes all have a size (it rearranges a sample's values)", s,
          "give every axis a size in Input(shape=...), or pool a None axis away first (GlobalAveragePooling1D/2D)");
    }
    long n = Shapes.sampleSize(s);
    long[] target = config.targetShape().clone();
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) unknownAt = i;
      else known *= target[i];
    }
    if (unknownAt >= 0) {
      if (n % known != 0) {
        throw shapeError("a sample size divisible by " + known + " to fill " + Shapes.format(target), s,
            Shapes.product(Shapes.sample(s)) + " values per sample cannot be split into rows of " + known);
      }
      target[unknownAt] = n / known;
    } else if (known != n) {
      throw shapeError(Shapes.product(target) + " values per sample for target " + Shapes.format(target), s,
          "each sample has " + Shapes.product(Shapes.sample(s)) + " values; the target must hold the same number");
    }
    return Shapes.withBatch(target);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    long[] out = outputShape(shapes);
    out[0] = -1;
    return inputs.get(0).reshape(out);
  }
}

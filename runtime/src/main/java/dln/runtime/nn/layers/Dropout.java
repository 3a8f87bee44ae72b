package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Zeroes a random fraction {@code rate} of the values during training and scales the rest by
 * 1/(1−rate) (inverted dropout); the identity at inference. The random mask is fed by the
 * executor per batch (SameDiff M2.1's dropout op has no gradient), so the gradient is exact.
 */
public final class Dropout extends TrainingNoise<Dropout.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Dropout.class, Config.class, Dropout::new,
      "Zeroes a random fraction rate of the values while training (scaling the rest); does nothing at inference.\n"
          + "Example: Dropout(0.5)")
      // Accepted for Keras compatibility; the engines draw their own masks.
      .extraArg("seed");

  /** @param rate fraction dropped, in [0, 1) */
  public record Config(double rate) {
    public Config {
      checkRate("Dropout", rate, "e.g. Dropout(0.5) drops half the values");
    }
  }

  public Dropout(Config config, String name) {
    super(config, name);
  }

  public Dropout(double rate) {
    this(new Config(rate), null);
  }

  @Override
  protected double strength() {
    return config.rate();
  }

  @Override
  protected SDVariable applyNoise(GraphContext ctx, SDVariable x, long[] shape) {
    return x.mul(ctx.dropoutMask(this, Shapes.sample(shape), config.rate()));
  }
}

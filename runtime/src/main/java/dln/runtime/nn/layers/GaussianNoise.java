package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Adds zero-mean Gaussian noise of standard deviation {@code stddev} while training (a
 * regulariser); the identity at inference. The noise is fed by the executor per batch, drawn from
 * {@link dln.runtime.Rng} in layer order, so seeded runs draw the same noise on every engine.
 */
public final class GaussianNoise extends TrainingNoise<GaussianNoise.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(GaussianNoise.class, Config.class, GaussianNoise::new,
      "Adds Gaussian noise of standard deviation stddev while training; does nothing at inference.\n"
          + "Example: GaussianNoise(0.1)")
      // Accepted for Keras compatibility; the engines draw from the session's generator.
      .extraArg("seed");

  /** @param stddev the noise's standard deviation (not negative) */
  public record Config(double stddev) {
    public Config {
      if (!(stddev >= 0) || Double.isInfinite(stddev)) {
        throw DlnRuntimeException.value("GaussianNoise stddev must be a finite number >= 0, got " + stddev, "e.g. GaussianNoise(0.1)");
      }
    }
  }

  public GaussianNoise(Config config, String name) {
    super(config, name);
  }

  public GaussianNoise(double stddev) {
    this(new Config(stddev), null);
  }

  @Override
  protected double strength() {
    return config.stddev();
  }

  @Override
  protected SDVariable applyNoise(GraphContext ctx, SDVariable x, long[] shape) {
    return x.add(ctx.gaussianNoise(this, Shapes.sample(shape), config.stddev()));
  }
}

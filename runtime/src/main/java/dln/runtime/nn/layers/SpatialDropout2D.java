package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Dropout of whole feature maps on channels-last images: while training each (sample, channel)
 * is zeroed with probability {@code rate} and the rest scaled by 1/(1−rate); the identity at
 * inference. The mask, (batch, 1, 1, channels), is drawn as {@link Dropout}'s is.
 */
public final class SpatialDropout2D extends TrainingNoise<SpatialDropout2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(SpatialDropout2D.class, Config.class, SpatialDropout2D::new,
      "Zeroes whole channels of images at random while training (a fraction rate, scaling the rest); does nothing at inference.\n"
          + "Example: SpatialDropout2D(0.2)")
      .extraArg("seed");

  /** @param rate fraction of channels dropped, in [0, 1) */
  public record Config(double rate) {
    public Config {
      checkRate("SpatialDropout2D", rate, "e.g. SpatialDropout2D(0.2)");
    }
  }

  public SpatialDropout2D(Config config, String name) {
    super(config, name);
  }

  public SpatialDropout2D(double rate) {
    this(new Config(rate), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return Geometry.requireImage(this, in.get(0));
  }

  @Override
  protected double strength() {
    return config.rate();
  }

  /** One mask value per (sample, channel), broadcast over height and width. */
  @Override
  protected SDVariable applyNoise(GraphContext ctx, SDVariable x, long[] shape) {
    return x.mul(ctx.dropoutMask(this, new long[] {1, 1, shape[3]}, config.rate()));
  }
}

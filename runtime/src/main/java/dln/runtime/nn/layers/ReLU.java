package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Rectified linear unit: {@code max(x, 0)}, optionally capped at maxValue, leaky below the
 * threshold and shifted to a threshold (Keras's ReLU): {@code min(x, maxValue)} where {@code x ≥
 * threshold}, {@code negativeSlope · (x − threshold)} below it.
 */
public final class ReLU extends ConfiguredLayer<ReLU.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(ReLU.class, Config.class, ReLU::new,
      "The ReLU activation as a layer, optionally capped at max_value, leaky below the threshold (negative_slope)\n"
          + "and with a threshold other than zero: min(x, max_value) where x >= threshold, negative_slope * (x - threshold) below.\n"
          + "Example: ReLU(), ReLU(max_value=6), ReLU(negative_slope=0.1, threshold=0.5)");

  /**
   * @param maxValue cap of the output, or null for none
   * @param negativeSlope slope below the threshold (0 = plain ReLU)
   * @param threshold where the output switches from the slope to x (0 = plain ReLU)
   */
  public record Config(@Param Double maxValue, @Param(dflt = "0") double negativeSlope, @Param(dflt = "0") double threshold) {
    public Config {
      if (maxValue != null && !(maxValue > 0)) throw DlnRuntimeException.value("ReLU max_value must be positive, got " + maxValue);
      if (!(negativeSlope >= 0)) throw DlnRuntimeException.value("ReLU negative_slope must be zero or positive, got " + negativeSlope);
      if (!(threshold >= 0)) throw DlnRuntimeException.value("ReLU threshold must be zero or positive, got " + threshold);
    }
  }

  public ReLU(Config config, String name) {
    super(config, name);
  }

  public ReLU() {
    this(new Config(null, 0, 0), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return in.get(0);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    double t = config.threshold();
    double slope = config.negativeSlope();
    // Keras's composition: x where x >= t (else 0), capped, minus slope · relu(t − x). libnd4j's
    // relu cutoff is max(x, cutoff), so the thresholded part is relu(x − t) + t · sign(relu(x − t)).
    SDVariable y;
    if (t == 0) {
      y = slope != 0 ? ctx.sd().nn.leakyRelu(x, slope) : ctx.sd().nn.relu(x, 0);
    } else {
      SDVariable above = ctx.sd().nn.relu(x.sub(t), 0);
      y = above.add(ctx.sd().math.sign(above).mul(t));
    }
    if (config.maxValue() != null) y = ctx.sd().math.min(y, ctx.sd().constant(config.maxValue().floatValue()));
    if (t != 0 && slope != 0) y = y.sub(ctx.sd().nn.relu(x.rsub(t), 0).mul(slope));
    return y;
  }
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Keras's LeakyReLU layer: {@code x} for {@code x >= 0}, {@code negative_slope · x} below (Keras 3's
 * argument name; Keras 2's {@code alpha} is accepted too), default slope 0.3 as in Keras.
 */
public final class LeakyReLU extends ConfiguredLayer<LeakyReLU.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(LeakyReLU.class, Config.class, LeakyReLU::new,
      "The leaky ReLU as a layer: x for x >= 0, negative_slope * x below (default 0.3; Keras 2 calls it alpha).\n"
          + "Example: LeakyReLU(negative_slope=0.2)");

  /** @param negativeSlope the slope for negative inputs */
  public record Config(@Param(dflt = "0.3", aliases = {"alpha"}) double negativeSlope) {
    public Config {
      if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
        throw DlnRuntimeException.value("LeakyReLU negative_slope must be a finite number >= 0, got " + negativeSlope);
      }
    }
  }

  public LeakyReLU(Config config, String name) {
    super(config, name);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return in.get(0);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return ctx.sd().nn.leakyRelu(inputs.get(0), config.negativeSlope());
  }
}

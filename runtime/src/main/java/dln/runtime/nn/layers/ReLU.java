package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Rectified linear unit: {@code max(x, 0)}, optionally capped at maxValue and leaky below zero. */
public final class ReLU extends ConfiguredLayer<ReLU.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(ReLU.class, Config.class, ReLU::new,
      "The ReLU activation as a layer, optionally capped at max_value and leaky below zero.\n"
          + "Example: ReLU(), ReLU(max_value=6)");

  /**
   * @param maxValue cap of the output, or null for none
   * @param negativeSlope slope for negative inputs (0 = plain ReLU)
   */
  public record Config(@Param Double maxValue, @Param(dflt = "0") double negativeSlope) {
    public Config {
      if (maxValue != null && !(maxValue > 0)) throw DlnRuntimeException.value("ReLU max_value must be positive, got " + maxValue);
      if (!(negativeSlope >= 0)) throw DlnRuntimeException.value("ReLU negative_slope must be zero or positive, got " + negativeSlope);
    }
  }

  public ReLU(Config config, String name) {
    super(config, name);
  }

  public ReLU() {
    this(new Config(null, 0), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return in.get(0);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    SDVariable y = config.negativeSlope() == 0 ? ctx.sd().nn.relu(x, 0) : ctx.sd().nn.leakyRelu(x, config.negativeSlope());
    if (config.maxValue() != null) y = ctx.sd().math.min(y, ctx.sd().constant(config.maxValue().floatValue()));
    return y;
  }
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerArgs;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Normalises the last axis: in training with the batch's mean and variance (and updates the
 * moving statistics), at inference (or when frozen) with the moving statistics. Keras defaults:
 * momentum 0.99, epsilon 0.001.
 */
public final class BatchNormalization extends Normalization<BatchNormalization.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(BatchNormalization.class, Config.class, BatchNormalization::new,
      "Normalises the last axis with batch statistics while training and moving statistics at inference (momentum 0.99, epsilon 0.001).\n"
          + "Example: BatchNormalization()")
      .extraArg(0, "axis")
      .preset(BatchNormalization::checkAxis);

  public record Config(@Param(dflt = "0.99") double momentum, @Param(dflt = "0.001") double epsilon,
      @Param(dflt = "true") boolean center, @Param(dflt = "true") boolean scale) implements Normalization.Settings {
    public Config {
      if (!(momentum >= 0 && momentum < 1)) throw DlnRuntimeException.value("BatchNormalization momentum must be in [0, 1), got " + momentum);
      if (!(epsilon > 0)) throw DlnRuntimeException.value("BatchNormalization epsilon must be positive, got " + epsilon);
    }

    public Config() {
      this(0.99, 1e-3, true, true);
    }
  }

  public BatchNormalization(Config config, String name) {
    super(config, name);
  }

  public BatchNormalization() {
    this(new Config(), null);
  }

  @Override
  protected void build(List<long[]> in) {
    super.build(in);
    long[] c = features(in);
    addWeight("moving_mean", c, "zeros", false, null);
    addWeight("moving_variance", c, "ones", false, null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    int rank = shapes.get(0).length;
    SDVariable mean;
    SDVariable variance;
    if (ctx.training(this)) {
      int[] axes = new int[rank - 1];
      for (int i = 0; i < axes.length; i++) axes[i] = i;
      mean = x.mean(axes);
      variance = x.sub(mean).mul(x.sub(mean)).mean(axes);
      ctx.movingAverage(weight("moving_mean"), mean, config.momentum());
      ctx.movingAverage(weight("moving_variance"), variance, config.momentum());
    } else {
      mean = ctx.weight(weight("moving_mean"));
      variance = ctx.weight(weight("moving_variance"));
    }
    return scaleAndCenter(ctx, x.sub(mean).mul(ctx.sd().math.rsqrt(variance.add(config.epsilon()))));
  }

  /** Only channels-last normalisation exists; Keras's axis argument is accepted to say so. */
  private static void checkAxis(LayerArgs a, Map<String, Object> values) {
    if (a.has("axis") && a.intValue("axis") != -1) {
      throw DlnRuntimeException.value("BatchNormalization supports axis=-1 (channels last) only, got " + a.intValue("axis"));
    }
  }
}

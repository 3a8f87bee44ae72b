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
 * Keras's LayerNormalization over the last axis: each position's feature vector is normalised by
 * its own mean and variance, {@code (x − μ) / √(σ² + ε) · γ + β}, the same in training and at
 * inference (no batch statistics, nothing moving).
 */
public final class LayerNormalization extends Normalization<LayerNormalization.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(LayerNormalization.class, Config.class, LayerNormalization::new,
      "Normalises each sample's last axis by its own mean and variance (epsilon 0.001), then scales and shifts (gamma, beta).\n"
          + "Example: LayerNormalization()")
      .extraArg(0, "axis")
      .preset(LayerNormalization::checkAxis);

  public record Config(@Param(dflt = "0.001") double epsilon, @Param(dflt = "true") boolean center, @Param(dflt = "true") boolean scale)
      implements Normalization.Settings {
    public Config {
      if (!(epsilon > 0)) throw DlnRuntimeException.value("LayerNormalization epsilon must be positive, got " + epsilon);
    }
  }

  public LayerNormalization(Config config, String name) {
    super(config, name);
  }

  public LayerNormalization() {
    this(new Config(1e-3, true, true), null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    int last = shapes.get(0).length - 1;
    SDVariable centred = x.sub(x.mean(true, last));
    SDVariable variance = centred.mul(centred).mean(true, last);
    return scaleAndCenter(ctx, centred.mul(ctx.sd().math.rsqrt(variance.add(config.epsilon()))));
  }

  /** Only the last axis is normalised; Keras's axis argument is accepted to say so. */
  private static void checkAxis(LayerArgs a, Map<String, Object> values) {
    if (a.has("axis") && a.intValue("axis") != -1) {
      throw DlnRuntimeException.value("LayerNormalization supports axis=-1 (the last axis) only, got " + a.intValue("axis"),
          "Permute the axis to normalise to the end first");
    }
  }
}

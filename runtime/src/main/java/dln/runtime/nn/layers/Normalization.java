package dln.runtime.nn.layers;

import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A normalisation of the last axis followed by Keras's learnt scale and offset
 * ({@code y = x̂ · γ + β}, gamma and beta one per feature; BatchNormalization,
 * LayerNormalization): the shape rule, those two weights and their application live here, so each
 * layer states how it normalises.
 *
 * @param <C> the layer's configuration record, with the settings every normalisation has
 */
public abstract class Normalization<C extends Record & Normalization.Settings> extends ConfiguredLayer<C> {
  /** The settings every normalisation's configuration has (Keras's names). */
  public interface Settings {
    /** Added to the variance before its square root. */
    double epsilon();

    /** Whether the output is shifted by a learnt beta. */
    boolean center();

    /** Whether the output is scaled by a learnt gamma. */
    boolean scale();
  }

  Normalization(C config, String name) {
    super(config, name);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length < 2) throw shapeError("an input with a feature axis", s, null);
    return s;
  }

  @Override
  protected void build(List<long[]> in) {
    long[] c = features(in);
    if (config.scale()) addWeight("gamma", c, "ones", true, null);
    if (config.center()) addWeight("beta", c, "zeros", true, null);
  }

  /** The shape of a per-feature weight: the size of the input's last axis. */
  static long[] features(List<long[]> in) {
    long[] s = in.get(0);
    return new long[] {s[s.length - 1]};
  }

  /** The normalised input {@code x̂} as the layer outputs it: times gamma, plus beta, where the layer has them. */
  protected SDVariable scaleAndCenter(GraphContext ctx, SDVariable normalised) {
    SDVariable y = normalised;
    if (config.scale()) y = y.mul(ctx.weight(weight("gamma")));
    if (config.center()) y = y.add(ctx.weight(weight("beta")));
    return y;
  }
}

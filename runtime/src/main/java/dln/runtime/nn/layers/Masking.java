package dln.runtime.nn.layers;

import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Keras's Masking over (batch, steps, features): a step whose features all equal {@code mask_value}
 * is padding. The output is the input with padded steps zeroed, and it carries the mask of the
 * kept steps, which the recurrent layers and GlobalAveragePooling1D read (a mask on the input is
 * replaced, as in Keras).
 */
public final class Masking extends ConfiguredLayer<Masking.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Masking.class, Config.class, Masking::new,
      "Marks the steps of a sequence (batch, steps, features) whose features all equal mask_value as padding, for the recurrent layers after it.\n"
          + "Example: Masking(), Masking(mask_value=-1.0)");

  /** @param maskValue the value every feature of a padded step has */
  public record Config(@Param(dflt = "0.0") double maskValue) {}

  public Masking(Config config, String name) {
    super(config, name);
  }

  public Masking(double maskValue) {
    this(new Config(maskValue), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return Geometry.requireRecurrentInput(this, in.get(0));
  }

  @Override
  public MaskUse maskUse() {
    return MaskUse.CONSUMED;
  }

  @Override
  public boolean masksOutput(boolean inputMasked) {
    return true;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    return x.mul(kept(ctx, x).reshape(-1, shapes.get(0)[1], 1));
  }

  @Override
  protected SDVariable outputMask(GraphContext ctx, List<SDVariable> inputs, SDVariable mask) {
    return kept(ctx, inputs.get(0));
  }

  /**
   * (batch, steps): 1 where some feature differs from mask_value, as the largest sign(|x − v|).
   * Float ops only: with a comparison (a BOOL tensor) in the graph SameDiff M2.1 computes no gradients.
   */
  private SDVariable kept(GraphContext ctx, SDVariable x) {
    return ctx.sd().math().sign(ctx.sd().math().abs(x.sub(config.maskValue()))).max(2);
  }
}

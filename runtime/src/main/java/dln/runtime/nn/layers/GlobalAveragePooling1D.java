package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** The mean over the steps: (batch, steps, c) -> (batch, c). */
public final class GlobalAveragePooling1D extends GlobalPooling1D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<GlobalPooling1D.Config> SPEC = LayerSpec.of(GlobalAveragePooling1D.class, GlobalPooling1D.Config.class,
      GlobalAveragePooling1D::new,
      "The mean over the steps: (batch, steps, c) -> (batch, c); with a mask of padded steps, the mean over the kept ones.\n"
          + "Example: GlobalAveragePooling1D()(x)");

  public GlobalAveragePooling1D(Config config, String name) {
    super(name);
  }

  public GlobalAveragePooling1D() {
    super(null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return inputs.get(0).mean(1);
  }

  @Override
  public MaskUse maskUse() {
    return MaskUse.CONSUMED;
  }

  /** Keras's masked mean: the kept steps' sum over their count (0 for a sequence with none kept). */
  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes, SDVariable mask) {
    SDVariable sum = inputs.get(0).mul(mask.reshape(-1, shapes.get(0)[1], 1)).sum(1);
    return sum.div(ctx.sd().math().max(mask.sum(true, 1), ctx.sd().constant(1.0f)));
  }

  /** The mean leaves no steps to mask. */
  @Override
  public boolean masksOutput(boolean inputMasked) {
    return false;
  }
}

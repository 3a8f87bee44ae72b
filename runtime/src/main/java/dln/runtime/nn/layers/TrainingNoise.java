package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A regulariser that changes its input only while training (Dropout, SpatialDropout2D,
 * GaussianNoise): the identity at inference and at strength 0, the input's shape out. The noise
 * itself is fed by the executor per batch, so each layer states only how it applies it.
 */
abstract class TrainingNoise<C extends Record> extends ConfiguredLayer<C> {
  TrainingNoise(C config, String name) {
    super(config, name);
  }

  /** The validated dropout rate: a fraction in [0, 1), else a located value error with this hint. */
  static double checkRate(String type, double rate, String hint) {
    if (!(rate >= 0 && rate < 1)) throw DlnRuntimeException.value(type + " rate must be in [0, 1), got " + rate, hint);
    return rate;
  }

  /** How strong the noise is (the rate, the standard deviation); 0 leaves the input as it is. */
  protected abstract double strength();

  /** The input with this batch's noise applied; {@code shape} is the input's symbolic shape. */
  protected abstract SDVariable applyNoise(GraphContext ctx, SDVariable x, long[] shape);

  @Override
  protected long[] outputShape(List<long[]> in) {
    return in.get(0);
  }

  @Override
  protected final SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    if (!ctx.training(this) || strength() == 0) return x;
    return applyNoise(ctx, x, shapes.get(0));
  }
}

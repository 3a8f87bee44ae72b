package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout with a mask drawn from {@link Rng} into a reused buffer: the same draws, in the
 * same order, as the reference engine's mask placeholders, so seeded runs agree across engines.
 */
final class DropoutStep extends LayerStep {
  private final Layer layer;
  private final double rate;
  private final long[] sample;
  private final PerBatch<Buffers> buffers;
  private Buffers last;
  private boolean active;
  /** The output of the Dense step before this one when it applied this forward's mask itself. */
  private INDArray absorbedFor;
  private boolean absorbedLast;

  private record Buffers(INDArray mask, float[] host, INDArray out) {}

  DropoutStep(Layer layer, double rate, long[] sample) {
    this.layer = layer;
    this.rate = rate;
    this.sample = sample;
    this.buffers = new PerBatch<>(b -> {
      INDArray mask = Nd4j.create(DataType.FLOAT, withBatch(b, sample));
      return new Buffers(mask, new float[(int) mask.length()], Nd4j.create(DataType.FLOAT, withBatch(b, sample)));
    });
  }

  /** A frozen Dropout layer is inactive, as in the reference graph. */
  private boolean activeFor(boolean training) {
    return training && rate > 0 && layer.isTrainable();
  }

  /** The factor kept values are multiplied by ({@code 1 / keep}, as in {@link Rng#fillDropoutMask}). */
  float scale() {
    return (float) (1.0 / (1 - rate));
  }

  /**
   * Called by the Dense step just before this one when it applies the mask in its own pass
   * ({@link DenseEpilogue}): draws this forward's mask into {@code mask} (the same draws, in the
   * same order, as {@link #forward} would) and makes the coming forward of {@code denseOutput}, and
   * its backward, pass-through.
   *
   * @return whether dropout is active (false: nothing drawn)
   */
  boolean absorb(float[] mask, boolean training, INDArray denseOutput) {
    absorbedFor = denseOutput;
    boolean on = activeFor(training);
    if (on) Rng.fillDropoutMask(mask, 1 - rate);
    return on;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    // Pass-through only for the very output the Dense step masked (not, say, after a forward that
    // failed between the two steps).
    absorbedLast = absorbedFor == in;
    absorbedFor = null;
    active = !absorbedLast && activeFor(training);
    if (!active) return in;
    Buffers b = buffers.get(in.size(0));
    Rng.fillDropoutMask(b.host(), 1 - rate);
    Host.write(b.mask(), b.host());
    in.mul(b.mask(), b.out());
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    return active ? dOut.muli(last.mask()) : dOut;
  }
}

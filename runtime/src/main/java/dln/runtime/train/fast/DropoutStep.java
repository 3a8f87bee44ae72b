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

  @Override
  INDArray forward(INDArray in, boolean training) {
    // A frozen Dropout layer is inactive, as in the reference graph.
    active = training && rate > 0 && layer.isTrainable();
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

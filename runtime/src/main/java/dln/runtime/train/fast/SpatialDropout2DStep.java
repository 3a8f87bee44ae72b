package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SpatialDropout2D: one factor per (sample, channel) drawn as {@link DropoutStep} draws (the same
 * mask the reference feeds, of shape (batch, 1, 1, channels)), applied to every pixel on the host;
 * backward multiplies the gradient by the same factors.
 */
final class SpatialDropout2DStep extends LayerStep {
  private final Layer layer;
  private final double rate;
  private final int positions;
  private final int channels;
  private final PerBatch<Buffers> buffers;
  private Buffers last;
  private boolean active;

  private record Buffers(float[] mask, float[] x, INDArray out, INDArray dIn) {}

  SpatialDropout2DStep(Layer layer, double rate, long[] sample) {
    this.layer = layer;
    this.rate = rate;
    this.positions = (int) (sample[0] * sample[1]);
    this.channels = (int) sample[2];
    this.buffers = new PerBatch<>(b -> new Buffers(new float[(int) (b * channels)], new float[(int) (b * positions * channels)],
        Nd4j.create(DataType.FLOAT, withBatch(b, sample)), Nd4j.create(DataType.FLOAT, withBatch(b, sample))));
  }

  private void scale(float[] x, float[] mask) {
    int batch = mask.length / channels;
    for (int n = 0; n < batch; n++) {
      int base = n * positions * channels;
      for (int p = 0; p < positions; p++) {
        int at = base + p * channels;
        for (int c = 0; c < channels; c++) x[at + c] *= mask[n * channels + c];
      }
    }
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    active = training && rate > 0 && layer.isTrainable();
    if (!active) return in;
    Buffers b = buffers.get(in.size(0));
    Rng.fillDropoutMask(b.mask(), 1 - rate);
    Host.read(in, b.x());
    scale(b.x(), b.mask());
    Host.write(b.out(), b.x());
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    if (!active) return dOut;
    Host.read(dOut, last.x());
    scale(last.x(), last.mask());
    Host.write(last.dIn(), last.x());
    return last.dIn();
  }
}

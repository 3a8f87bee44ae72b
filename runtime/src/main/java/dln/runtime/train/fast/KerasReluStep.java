package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A ReLU layer with Keras's settings (max_value, negative_slope, threshold): {@code min(x, cap)}
 * where {@code x ≥ threshold}, {@code slope · (x − threshold)} below. One host pass each way over
 * row blocks in parallel; the backward pass reads the kept input, as the output alone does not say
 * which piece a value came from once the slope is non-zero.
 */
final class KerasReluStep extends LayerStep {
  private final double cap;
  private final double slope;
  private final double threshold;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(float[] x, float[] v, INDArray out, INDArray dIn) {}

  /** @param cap max_value, or +∞ for none */
  KerasReluStep(double cap, double slope, double threshold, long[] sample) {
    this.cap = cap;
    this.slope = slope;
    this.threshold = threshold;
    this.buffers = new PerBatch<>(b -> {
      long[] shape = withBatch(b, sample);
      INDArray out = Nd4j.create(DataType.FLOAT, shape);
      int n = (int) out.length();
      return new Buffers(new float[n], new float[n], out, Nd4j.create(DataType.FLOAT, shape));
    });
  }

  /** The activation of one value. */
  double at(double x) {
    return x >= threshold ? Math.min(x, cap) : slope * (x - threshold);
  }

  /** Its derivative (at the kinks: that of the piece to the right of threshold, to the left of the cap). */
  double slopeAt(double x) {
    return x < threshold ? slope : x < cap ? 1 : 0;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    Host.read(in, b.x());
    float[] x = b.x();
    float[] y = b.v();
    RowBlocks.run(x.length, (from, to) -> {
      for (int k = from; k < to; k++) y[k] = (float) at(x[k]);
    });
    Host.write(b.out(), y);
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    Buffers b = last;
    float[] x = b.x();
    float[] g = b.v();
    Host.read(dOut, g);
    RowBlocks.run(g.length, (from, to) -> {
      for (int k = from; k < to; k++) g[k] = (float) (g[k] * slopeAt(x[k]));
    });
    Host.write(b.dIn(), g);
    return b.dIn();
  }
}

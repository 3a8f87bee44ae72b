package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Softmax layer over an axis other than the last: the row-major buffer seen as (outer, n, inner),
 * the softmax taken over n for each (outer, inner) pair. Host passes over the outer blocks in
 * parallel; backward {@code s·(g − Σ g·s)} over the same axis.
 */
final class SoftmaxAxisStep extends LayerStep {
  /** Values per sample before the axis, along it, and after it. */
  private final int before;
  private final int n;
  private final int inner;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(float[] s, float[] g, INDArray out, INDArray dIn) {}

  /** @param axis the axis of the per-sample shape {@code sample} (0-based, not its last) */
  SoftmaxAxisStep(int axis, long[] sample) {
    int b = 1;
    for (int k = 0; k < axis; k++) b *= (int) sample[k];
    int i = 1;
    for (int k = axis + 1; k < sample.length; k++) i *= (int) sample[k];
    this.before = b;
    this.n = (int) sample[axis];
    this.inner = i;
    this.buffers = new PerBatch<>(batch -> {
      long[] shape = withBatch(batch, sample);
      INDArray out = Nd4j.create(DataType.FLOAT, shape);
      int len = (int) out.length();
      return new Buffers(new float[len], new float[len], out, Nd4j.create(DataType.FLOAT, shape));
    });
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    float[] s = b.s();
    Host.read(in, s);
    RowBlocks.run((int) in.size(0) * before, (from, to) -> {
      double[] max = new double[inner];
      double[] sum = new double[inner];
      for (int o = from; o < to; o++) {
        int base = o * n * inner;
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(sum, 0);
        for (int j = 0; j < n; j++) for (int i = 0; i < inner; i++) max[i] = Math.max(max[i], s[base + j * inner + i]);
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < inner; i++) {
            int at = base + j * inner + i;
            double e = Math.exp(s[at] - max[i]);
            s[at] = (float) e;
            sum[i] += e;
          }
        }
        for (int j = 0; j < n; j++) for (int i = 0; i < inner; i++) s[base + j * inner + i] /= (float) sum[i];
      }
    });
    Host.write(b.out(), s);
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    Buffers b = last;
    float[] s = b.s();
    float[] g = b.g();
    Host.read(dOut, g);
    RowBlocks.run(g.length / (n * inner), (from, to) -> {
      double[] dot = new double[inner];
      for (int o = from; o < to; o++) {
        int base = o * n * inner;
        java.util.Arrays.fill(dot, 0);
        for (int j = 0; j < n; j++) for (int i = 0; i < inner; i++) dot[i] += (double) g[base + j * inner + i] * s[base + j * inner + i];
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < inner; i++) {
            int at = base + j * inner + i;
            g[at] = (float) (s[at] * (g[at] - dot[i]));
          }
        }
      }
    });
    Host.write(b.dIn(), g);
    return b.dIn();
  }
}

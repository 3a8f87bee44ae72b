package dln.runtime.train.fast;

import java.util.Arrays;

/**
 * A Softmax layer over an axis other than the last: the row-major buffer seen as (outer, n, inner),
 * the softmax taken over n for each (outer, inner) pair. Host passes over the outer blocks in
 * parallel; backward {@code s·(g − Σ g·s)} over the same axis.
 */
final class SoftmaxAxisStep extends HostPassStep {
  /** Values along the axis, and per position along it (the product of the sizes after it). */
  private final int n;
  private final int inner;

  /** @param axis the axis of the per-sample shape {@code sample} (0-based, not its last) */
  SoftmaxAxisStep(int axis, long[] sample) {
    super(sample);
    int i = 1;
    for (int k = axis + 1; k < sample.length; k++) i *= (int) sample[k];
    this.n = (int) sample[axis];
    this.inner = i;
  }

  /** The softmax, in place in {@code s}. */
  @Override
  float[] forwardPass(float[] s, float[] work) {
    RowBlocks.run(s.length / (n * inner), (from, to) -> {
      double[] max = new double[inner];
      double[] sum = new double[inner];
      for (int o = from; o < to; o++) {
        int base = o * n * inner;
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0);
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
    return s;
  }

  @Override
  void backwardPass(float[] s, float[] g) {
    RowBlocks.run(g.length / (n * inner), (from, to) -> {
      double[] dot = new double[inner];
      for (int o = from; o < to; o++) {
        int base = o * n * inner;
        Arrays.fill(dot, 0);
        for (int j = 0; j < n; j++) for (int i = 0; i < inner; i++) dot[i] += (double) g[base + j * inner + i] * s[base + j * inner + i];
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < inner; i++) {
            int at = base + j * inner + i;
            g[at] = (float) (s[at] * (g[at] - dot[i]));
          }
        }
      }
    });
  }
}

package dln.runtime.train.fast;

/**
 * A ReLU layer with Keras's settings (max_value, negative_slope, threshold): {@code min(x, cap)}
 * where {@code x ≥ threshold}, {@code slope · (x − threshold)} below. One host pass each way over
 * row blocks in parallel; the backward pass reads the kept input, as the output alone does not say
 * which piece a value came from once the slope is non-zero.
 */
final class KerasReluStep extends HostPassStep {
  private final double cap;
  private final double slope;
  private final double threshold;

  /** @param cap max_value, or +∞ for none */
  KerasReluStep(double cap, double slope, double threshold, long[] sample) {
    super(sample);
    this.cap = cap;
    this.slope = slope;
    this.threshold = threshold;
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
  float[] forwardPass(float[] x, float[] y) {
    RowBlocks.run(x.length, (from, to) -> {
      for (int k = from; k < to; k++) y[k] = (float) at(x[k]);
    });
    return y;
  }

  @Override
  void backwardPass(float[] x, float[] g) {
    RowBlocks.run(g.length, (from, to) -> {
      for (int k = from; k < to; k++) g[k] = (float) (g[k] * slopeAt(x[k]));
    });
  }
}

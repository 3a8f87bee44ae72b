package dln.runtime.train.fast;

/**
 * The loss and its gradient, computed on the host in one pass over the model's outputs: fused
 * softmax + cross-entropy (gradient {@code (p·Σy − y) / batch} from the logits, log-sum-exp in
 * double), fused sigmoid + binary cross-entropy (gradient {@code (σ(z) − y) / n}), and mean
 * squared error, mean absolute error and Huber on the output. The formulas are the reference
 * graph's, so losses agree to float precision.
 */
enum LossHead {
  SOFTMAX_CROSSENTROPY, SIGMOID_BINARY_CROSSENTROPY, MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, HUBER;

  /** True for the heads that read the output itself, element by element (any rank). */
  boolean elementwise() {
    return this == MEAN_SQUARED_ERROR || this == MEAN_ABSOLUTE_ERROR || this == HUBER;
  }

  /**
   * @param v the logits (fused heads) or the outputs (mean squared error), row-major [rows, units]
   * @param y prepared labels, same layout
   * @param grad receives dLoss/dv when not null
   * @param activated receives the fused heads' softmax or sigmoid of the logits when not null (the
   *     model's output, which the logits' layer then need not compute)
   * @param delta Huber's threshold (unused by the other heads)
   * @return the mean loss of the batch
   */
  double compute(float[] v, float[] y, int rows, int units, float[] grad, float[] activated, double delta) {
    return switch (this) {
      case SOFTMAX_CROSSENTROPY -> softmaxCrossEntropy(v, y, rows, units, grad, activated);
      case SIGMOID_BINARY_CROSSENTROPY -> sigmoidBinaryCrossEntropy(v, y, grad, activated);
      case MEAN_SQUARED_ERROR -> meanSquaredError(v, y, grad);
      case MEAN_ABSOLUTE_ERROR -> meanAbsoluteError(v, y, grad);
      case HUBER -> huber(v, y, grad, delta);
    };
  }

  private static double softmaxCrossEntropy(float[] z, float[] y, int rows, int units, float[] grad, float[] activated) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * units;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < units; k++) max = Math.max(max, z[o + k]);
      double sum = 0;
      double labelSum = 0;
      for (int k = 0; k < units; k++) {
        sum += Math.exp(z[o + k] - max);
        labelSum += y[o + k];
      }
      double logSum = max + Math.log(sum);
      for (int k = 0; k < units; k++) {
        double logP = z[o + k] - logSum;
        total -= y[o + k] * logP;
        double p = Math.exp(logP);
        if (grad != null) grad[o + k] = (float) ((p * labelSum - y[o + k]) / rows);
        if (activated != null) activated[o + k] = (float) p;
      }
    }
    return total / rows;
  }

  private static double sigmoidBinaryCrossEntropy(float[] z, float[] y, float[] grad, float[] activated) {
    double total = 0;
    int n = z.length;
    for (int i = 0; i < n; i++) {
      double zi = z[i];
      // max(z, 0) − z·y + log(1 + e^−|z|): no overflow for large |z|.
      total += Math.max(zi, 0) - zi * y[i] + Math.log1p(Math.exp(-Math.abs(zi)));
      double p = 1 / (1 + Math.exp(-zi));
      if (grad != null) grad[i] = (float) ((p - y[i]) / n);
      if (activated != null) activated[i] = (float) p;
    }
    return total / n;
  }

  private static double meanSquaredError(float[] a, float[] y, float[] grad) {
    double total = 0;
    int n = a.length;
    for (int i = 0; i < n; i++) {
      double d = (double) a[i] - y[i];
      total += d * d;
      if (grad != null) grad[i] = (float) (2 * d / n);
    }
    return total / n;
  }

  private static double meanAbsoluteError(float[] a, float[] y, float[] grad) {
    double total = 0;
    int n = a.length;
    for (int i = 0; i < n; i++) {
      double d = (double) a[i] - y[i];
      total += Math.abs(d);
      if (grad != null) grad[i] = (float) (Math.signum(d) / n);
    }
    return total / n;
  }

  /** ½·min(|d|, δ)² + δ·(|d| − min(|d|, δ)), as the reference graph writes it. */
  private static double huber(float[] a, float[] y, float[] grad, double delta) {
    double total = 0;
    int n = a.length;
    for (int i = 0; i < n; i++) {
      double d = (double) a[i] - y[i];
      double err = Math.abs(d);
      double quadratic = Math.min(err, delta);
      total += 0.5 * quadratic * quadratic + delta * (err - quadratic);
      if (grad != null) grad[i] = (float) ((err < delta ? d : delta * Math.signum(d)) / n);
    }
    return total / n;
  }
}

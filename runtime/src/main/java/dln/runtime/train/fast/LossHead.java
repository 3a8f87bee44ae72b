package dln.runtime.train.fast;

/**
 * The loss and its gradient, computed on the host in one pass over the model's outputs: fused
 * softmax + cross-entropy (gradient {@code (p·Σy − y) / batch} from the logits, log-sum-exp in
 * double), fused sigmoid + binary cross-entropy (gradient {@code (σ(z) − y) / n}), and mean squared
 * error on the output. The formulas are the reference graph's, so losses agree to float precision.
 */
enum LossHead {
  SOFTMAX_CROSSENTROPY, SIGMOID_BINARY_CROSSENTROPY, MEAN_SQUARED_ERROR;

  /**
   * @param v the logits (fused heads) or the outputs (mean squared error), row-major [rows, units]
   * @param y prepared labels, same layout
   * @param grad receives dLoss/dv when not null
   * @return the mean loss of the batch
   */
  double compute(float[] v, float[] y, int rows, int units, float[] grad) {
    return switch (this) {
      case SOFTMAX_CROSSENTROPY -> softmaxCrossEntropy(v, y, rows, units, grad);
      case SIGMOID_BINARY_CROSSENTROPY -> sigmoidBinaryCrossEntropy(v, y, grad);
      case MEAN_SQUARED_ERROR -> meanSquaredError(v, y, grad);
    };
  }

  private static double softmaxCrossEntropy(float[] z, float[] y, int rows, int units, float[] grad) {
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
        if (grad != null) grad[o + k] = (float) ((Math.exp(logP) * labelSum - y[o + k]) / rows);
      }
    }
    return total / rows;
  }

  private static double sigmoidBinaryCrossEntropy(float[] z, float[] y, float[] grad) {
    double total = 0;
    int n = z.length;
    for (int i = 0; i < n; i++) {
      double zi = z[i];
      // max(z, 0) − z·y + log(1 + e^−|z|): no overflow for large |z|.
      total += Math.max(zi, 0) - zi * y[i] + Math.log1p(Math.exp(-Math.abs(zi)));
      if (grad != null) grad[i] = (float) ((1 / (1 + Math.exp(-zi)) - y[i]) / n);
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
}

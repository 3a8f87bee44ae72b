package dln.runtime.train.fast;

/**
 * The loss and its gradient, computed on the host in one pass over the model's outputs: fused
 * softmax + cross-entropy (gradient {@code (p·Σy − y) / batch} from the logits, log-sum-exp in
 * double), fused sigmoid + binary cross-entropy (gradient {@code (σ(z) − y) / n}) — both also on an
 * output that is itself the logits ({@code from_logits=True}) — and on the output itself every
 * other Keras loss: the two cross-entropies on probabilities (an output that is not the
 * softmax / sigmoid they expect, or one that cannot be fused), mean squared / absolute error, Huber, hinge, squared hinge,
 * categorical hinge, KL divergence, Poisson, log-cosh, cosine similarity, mean squared logarithmic
 * and mean absolute percentage error. The formulas (clipping included) are the reference graph's
 * ({@code Loss.build}), so losses agree to float precision; a clipped value has no gradient.
 */
enum LossHead {
  SOFTMAX_CROSSENTROPY, SIGMOID_BINARY_CROSSENTROPY, CROSSENTROPY_ON_PROBABILITIES, BINARY_CROSSENTROPY_ON_PROBABILITIES,
  MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, HUBER, HINGE, SQUARED_HINGE,
  CATEGORICAL_HINGE, KL_DIVERGENCE, POISSON, LOG_COSH, COSINE_SIMILARITY, MEAN_SQUARED_LOGARITHMIC_ERROR,
  MEAN_ABSOLUTE_PERCENTAGE_ERROR;

  private static final double EPSILON = 1e-7;
  /** The reference's clipping bounds as the float32 graph sees them. */
  private static final float LOW = (float) EPSILON;
  private static final float HIGH = (float) (1 - EPSILON);

  /** The head for a loss name that reads the output itself (not fused), or null. */
  static LossHead onOutput(String loss) {
    return switch (loss) {
      case "mean_squared_error" -> MEAN_SQUARED_ERROR;
      case "mean_absolute_error" -> MEAN_ABSOLUTE_ERROR;
      case "huber" -> HUBER;
      case "hinge" -> HINGE;
      case "squared_hinge" -> SQUARED_HINGE;
      case "categorical_hinge" -> CATEGORICAL_HINGE;
      case "kl_divergence" -> KL_DIVERGENCE;
      case "poisson" -> POISSON;
      case "log_cosh" -> LOG_COSH;
      case "cosine_similarity" -> COSINE_SIMILARITY;
      case "mean_squared_logarithmic_error" -> MEAN_SQUARED_LOGARITHMIC_ERROR;
      case "mean_absolute_percentage_error" -> MEAN_ABSOLUTE_PERCENTAGE_ERROR;
      default -> null;
    };
  }

  /**
   * The head reading probabilities for a fused head ({@link #SOFTMAX_CROSSENTROPY},
   * {@link #SIGMOID_BINARY_CROSSENTROPY}) whose output cannot be fused: the reference's formula on
   * an output without logits (clipped to [1e-7, 1 − 1e-7], Keras's epsilon). On a softmax / sigmoid
   * output it equals the fused loss except where a probability is clipped.
   */
  LossHead onProbabilities() {
    return switch (this) {
      case SOFTMAX_CROSSENTROPY -> CROSSENTROPY_ON_PROBABILITIES;
      case SIGMOID_BINARY_CROSSENTROPY -> BINARY_CROSSENTROPY_ON_PROBABILITIES;
      default -> this;
    };
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
      case CROSSENTROPY_ON_PROBABILITIES -> crossEntropy(v, y, rows, grad);
      case BINARY_CROSSENTROPY_ON_PROBABILITIES -> binaryCrossEntropy(v, y, grad);
      case MEAN_SQUARED_ERROR -> meanSquaredError(v, y, grad);
      case MEAN_ABSOLUTE_ERROR -> meanAbsoluteError(v, y, grad);
      case HUBER -> huber(v, y, grad, delta);
      case HINGE -> hinge(v, y, grad, false);
      case SQUARED_HINGE -> hinge(v, y, grad, true);
      case CATEGORICAL_HINGE -> categoricalHinge(v, y, rows, units, grad);
      case KL_DIVERGENCE -> klDivergence(v, y, rows, grad);
      case POISSON -> poisson(v, y, grad);
      case LOG_COSH -> logCosh(v, y, grad);
      case COSINE_SIMILARITY -> cosineSimilarity(v, y, rows, units, grad);
      case MEAN_SQUARED_LOGARITHMIC_ERROR -> meanSquaredLogarithmicError(v, y, grad);
      case MEAN_ABSOLUTE_PERCENTAGE_ERROR -> meanAbsolutePercentageError(v, y, grad);
    };
  }

  /** mean(max(1 − y·p, 0)) (squared: its square); labels already ±1. */
  private static double hinge(float[] p, float[] y, float[] grad, boolean squared) {
    double total = 0;
    int n = p.length;
    for (int i = 0; i < n; i++) {
      double m = 1 - (double) y[i] * p[i];
      double r = Math.max(m, 0);
      total += squared ? r * r : r;
      if (grad != null) grad[i] = (float) (m > 0 ? (squared ? -2 * m * y[i] : -y[i]) / n : 0);
    }
    return total / n;
  }

  /** Per row max(max((1 − y)·p) − Σ y·p + 1, 0), the batch mean. */
  private static double categoricalHinge(float[] p, float[] y, int rows, int units, float[] grad) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * units;
      double pos = 0;
      double neg = Double.NEGATIVE_INFINITY;
      int arg = 0;
      for (int k = 0; k < units; k++) {
        pos += (double) y[o + k] * p[o + k];
        double v = (1 - (double) y[o + k]) * p[o + k];
        if (v > neg) {
          neg = v;
          arg = k;
        }
      }
      double v = neg - pos + 1;
      total += Math.max(v, 0);
      if (grad != null) {
        for (int k = 0; k < units; k++) {
          grad[o + k] = v > 0 ? (float) ((-y[o + k] + (k == arg ? 1 - y[o + k] : 0)) / rows) : 0f;
        }
      }
    }
    return total / rows;
  }

  /** Per row Σ y·log(y / p), y and p clipped to [ε, 1], the batch mean. */
  private static double klDivergence(float[] p, float[] y, int rows, float[] grad) {
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      double yc = Math.min(Math.max(y[i], EPSILON), 1);
      double pc = Math.min(Math.max(p[i], EPSILON), 1);
      total += yc * Math.log(yc / pc);
      if (grad != null) grad[i] = p[i] > EPSILON && p[i] < 1 ? (float) (-yc / pc / rows) : 0f;
    }
    return total / rows;
  }

  /** mean(p − y·log(p + ε)). */
  private static double poisson(float[] p, float[] y, float[] grad) {
    double total = 0;
    int n = p.length;
    for (int i = 0; i < n; i++) {
      total += p[i] - y[i] * Math.log(p[i] + EPSILON);
      if (grad != null) grad[i] = (float) ((1 - y[i] / (p[i] + EPSILON)) / n);
    }
    return total / n;
  }

  /** mean(log cosh(p − y)) as x + softplus(−2x) − log 2; gradient tanh(x). */
  private static double logCosh(float[] p, float[] y, float[] grad) {
    double total = 0;
    int n = p.length;
    for (int i = 0; i < n; i++) {
      double x = (double) p[i] - y[i];
      double m = -2 * x;
      double softplus = Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
      total += x + softplus - Math.log(2);
      if (grad != null) grad[i] = (float) (Math.tanh(x) / n);
    }
    return total / n;
  }

  /** Per row −Σ ŷ·p̂ with x̂ = x / sqrt(max(Σx², 1e-12)), the batch mean. */
  private static double cosineSimilarity(float[] p, float[] y, int rows, int units, float[] grad) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * units;
      double yy = 0;
      double pp = 0;
      double yp = 0;
      for (int k = 0; k < units; k++) {
        yy += (double) y[o + k] * y[o + k];
        pp += (double) p[o + k] * p[o + k];
        yp += (double) y[o + k] * p[o + k];
      }
      double ny = Math.sqrt(Math.max(yy, 1e-12));
      double np = Math.sqrt(Math.max(pp, 1e-12));
      double cos = yp / (ny * np);
      total -= cos;
      if (grad != null) {
        // d(−ŷ·p/‖p‖)/dp = −(ŷ − p̂(p̂·ŷ))/‖p‖; below the clamp ‖p‖ is a constant.
        boolean clamped = pp <= 1e-12;
        for (int k = 0; k < units; k++) {
          double yh = y[o + k] / ny;
          double ph = p[o + k] / np;
          grad[o + k] = (float) (-(yh - (clamped ? 0 : ph * cos)) / np / rows);
        }
      }
    }
    return total / rows;
  }

  /** mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))²). */
  private static double meanSquaredLogarithmicError(float[] p, float[] y, float[] grad) {
    double total = 0;
    int n = p.length;
    for (int i = 0; i < n; i++) {
      double pc = Math.max(p[i], EPSILON);
      double d = Math.log(pc + 1) - Math.log(Math.max(y[i], EPSILON) + 1);
      total += d * d;
      if (grad != null) grad[i] = p[i] > EPSILON ? (float) (2 * d / (pc + 1) / n) : 0f;
    }
    return total / n;
  }

  /** 100·mean(|y − p| / max(|y|, ε)). */
  private static double meanAbsolutePercentageError(float[] p, float[] y, float[] grad) {
    double total = 0;
    int n = p.length;
    for (int i = 0; i < n; i++) {
      double scale = Math.max(Math.abs(y[i]), EPSILON);
      double d = (double) p[i] - y[i];
      total += Math.abs(d) / scale;
      if (grad != null) grad[i] = (float) (100 * Math.signum(d) / scale / n);
    }
    return 100 * total / n;
  }

  /**
   * {@link #compute} with Keras's sample weights: each row's loss (a row: one sample, or one
   * position of a sequence output) times its weight, averaged over the rows; the gradient likewise.
   * Every head is separable by rows, so each row is computed on its own.
   *
   * @param rowWeights one weight per row
   */
  double computeWeighted(float[] v, float[] y, int rows, int units, float[] grad, float[] activated, double delta,
      float[] rowWeights) {
    float[] rv = new float[units];
    float[] ry = new float[units];
    float[] rg = grad == null ? null : new float[units];
    float[] ra = activated == null ? null : new float[units];
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int o = r * units;
      System.arraycopy(v, o, rv, 0, units);
      System.arraycopy(y, o, ry, 0, units);
      double w = rowWeights[r];
      total += w * compute(rv, ry, 1, units, rg, ra, delta);
      if (rg != null) for (int k = 0; k < units; k++) grad[o + k] = (float) (rg[k] * w / rows);
      if (ra != null) System.arraycopy(ra, 0, activated, o, units);
    }
    return total / rows;
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

  /** {@code −Σ y·log(clip(p))} per row, the batch mean; a clipped probability has no gradient. */
  private static double crossEntropy(float[] p, float[] y, int rows, float[] grad) {
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      double c = clip(p[i]);
      total -= y[i] * Math.log(c);
      if (grad != null) grad[i] = inside(p[i]) ? (float) (-y[i] / c / rows) : 0f;
    }
    return total / rows;
  }

  /** {@code −(y·log(p) + (1 − y)·log(1 − p))} with p clipped, the mean over every value. */
  private static double binaryCrossEntropy(float[] p, float[] y, float[] grad) {
    double total = 0;
    int n = p.length;
    for (int i = 0; i < n; i++) {
      double c = clip(p[i]);
      total -= y[i] * Math.log(c) + (1 - y[i]) * Math.log(1 - c);
      if (grad != null) grad[i] = inside(p[i]) ? (float) ((-y[i] / c + (1 - y[i]) / (1 - c)) / n) : 0f;
    }
    return total / n;
  }

  /** clipByValue to [LOW, HIGH] (NaN stays NaN). */
  private static float clip(float p) {
    return p < LOW ? LOW : p > HIGH ? HIGH : p;
  }

  /** True where clipByValue passes the gradient: strictly between the bounds. */
  private static boolean inside(float p) {
    return p > LOW && p < HIGH;
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

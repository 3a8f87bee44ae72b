package dln.runtime.train.fast;

/**
 * Dense forward and backward in plain Java for tiny layers (Playground networks: 16 samples × 16
 * units). There an ND4J op costs 30–100 µs to dispatch, while the whole layer is a few thousand
 * multiply-adds: a microsecond or two in a Java loop. Arrays are row-major.
 */
final class SmallDense {
  /** Layers with at most this many multiply-adds per pass run here (tests set 0 to force ND4J). */
  static long maxMacs = 1 << 15;

  private SmallDense() {}

  /** z = x·W + b; out = act(z). x [rows, in], W [in, units]. */
  static void forward(float[] x, float[] w, float[] b, int rows, int in, int units, Act act, float[] z, float[] out) {
    for (int r = 0; r < rows; r++) {
      int zo = r * units;
      for (int u = 0; u < units; u++) z[zo + u] = b == null ? 0f : b[u];
      int xo = r * in;
      for (int i = 0; i < in; i++) {
        float xi = x[xo + i];
        if (xi == 0f) continue;
        int wo = i * units;
        for (int u = 0; u < units; u++) z[zo + u] += xi * w[wo + u];
      }
    }
    activate(act, z, out, rows, units);
  }

  /** {@code out = act(z)} for {@code rows} rows of {@code units} values ({@code out} may be {@code z}). */
  static void activate(Act act, float[] z, float[] out, int rows, int units) {
    int n = rows * units;
    switch (act) {
      case LINEAR -> System.arraycopy(z, 0, out, 0, n);
      case RELU -> {
        for (int k = 0; k < n; k++) out[k] = z[k] > 0 ? z[k] : 0f;
      }
      case TANH -> {
        // 1 − 2/(e^2z + 1): Math.exp is an intrinsic, Math.tanh falls back to StrictMath (5× slower).
        for (int k = 0; k < n; k++) out[k] = (float) (1 - 2 / (Math.exp(2.0 * z[k]) + 1));
      }
      case SIGMOID -> {
        for (int k = 0; k < n; k++) out[k] = (float) (1 / (1 + Math.exp(-z[k])));
      }
      case SOFTMAX -> {
        for (int r = 0; r < rows; r++) softmaxRow(z, out, r * units, units);
      }
      default -> act.apply(z, out, n);
    }
  }

  /**
   * The softmax of one row. A method per row, not a loop over all rows: only inference runs this
   * (training's loss head has its own), and predict calls it once per batch, so a row loop here
   * was compiled by C2 only during the first full prediction, the compiler thread taking one of
   * the two cores from the GEMMs (a 10,000-image MLP prediction after a 2-batch warm-up ran ≈ 20%
   * slower than the next). Called once per row, it is hot, and compiled, within a batch or two.
   */
  private static void softmaxRow(float[] z, float[] out, int o, int units) {
    float max = Float.NEGATIVE_INFINITY;
    for (int u = 0; u < units; u++) max = Math.max(max, z[o + u]);
    double sum = 0;
    for (int u = 0; u < units; u++) sum += Math.exp(z[o + u] - max);
    for (int u = 0; u < units; u++) out[o + u] = (float) (Math.exp(z[o + u] - max) / sum);
  }

  /** grad (of the output) becomes the gradient of z, in place; rows of {@code units} values. */
  static void activationBackward(Act act, float[] z, float[] out, float[] grad, int n, int units) {
    switch (act) {
      case LINEAR -> { }
      case RELU -> {
        for (int k = 0; k < n; k++) if (!(out[k] > 0)) grad[k] = 0f;
      }
      case TANH -> {
        for (int k = 0; k < n; k++) grad[k] *= 1 - out[k] * out[k];
      }
      case SIGMOID -> {
        for (int k = 0; k < n; k++) grad[k] *= out[k] * (1 - out[k]);
      }
      case SOFTMAX -> {
        // dz = s·(g − Σ g·s) per row.
        for (int o = 0; o < n; o += units) {
          double dot = 0;
          for (int k = 0; k < units; k++) dot += (double) grad[o + k] * out[o + k];
          for (int k = 0; k < units; k++) grad[o + k] = (float) (out[o + k] * (grad[o + k] - dot));
        }
      }
      default -> act.timesSlope(z, grad, n);
    }
  }

  /** dW = xᵀ·dz, db = Σ dz over rows. */
  static void weightGradients(float[] x, float[] dz, int rows, int in, int units, float[] dw, float[] db) {
    java.util.Arrays.fill(dw, 0f);
    for (int r = 0; r < rows; r++) {
      int xo = r * in;
      int zo = r * units;
      for (int i = 0; i < in; i++) {
        float xi = x[xo + i];
        if (xi == 0f) continue;
        int wo = i * units;
        for (int u = 0; u < units; u++) dw[wo + u] += xi * dz[zo + u];
      }
    }
    if (db != null) {
      java.util.Arrays.fill(db, 0f);
      for (int r = 0; r < rows; r++) for (int u = 0; u < units; u++) db[u] += dz[r * units + u];
    }
  }

  /** dx = dz·Wᵀ. */
  static void inputGradient(float[] dz, float[] w, int rows, int in, int units, float[] dx) {
    for (int r = 0; r < rows; r++) {
      int zo = r * units;
      for (int i = 0; i < in; i++) {
        int wo = i * units;
        float s = 0f;
        for (int u = 0; u < units; u++) s += dz[zo + u] * w[wo + u];
        dx[r * in + i] = s;
      }
    }
  }
}

package dln.runtime.train.fast;

/**
 * Host arithmetic of the recurrent steps: activations over a range of an array (the loops the JIT
 * turns into SIMD code), their derivatives, and the time-major transpose.
 *
 * <p>tanh is a rational approximation (Eigen's {@code generic_fast_tanh_float}: an odd degree-13
 * over an even degree-6 polynomial on [−7.905, 7.905], tanh(±7.905) rounding to ±1 in float), within
 * a few float ulps of the exact value; sigmoid is {@code ½ + ½·tanh(z/2)}. Both are only
 * multiplications, additions, a division and a clamp, so a loop over a gate's values vectorises,
 * where {@link Math#exp} costs a call per value: at LSTM(64) × batch 64 that was a third of a
 * training step.
 *
 * <p>Those two, relu, linear and softmax take their derivatives from the activation's output, so
 * the cells keep no pre-activations for them (the hot path). Every other activation ({@link
 * Act#onHost}: elu, selu, gelu, swish, softplus, leaky_relu) runs as a loop of {@link Act#at}, and
 * its derivative reads the pre-activation, which a cell then keeps ({@link #fromOutput}).
 */
final class RnnMath {
  private static final float CLAMP = 7.90531110763549805f;
  private static final float A1 = 4.89352455891786e-03f;
  private static final float A3 = 6.37261928875436e-04f;
  private static final float A5 = 1.48572235717979e-05f;
  private static final float A7 = 5.12229709037114e-08f;
  private static final float A9 = -8.60467152213735e-11f;
  private static final float A11 = 2.00018790482477e-13f;
  private static final float A13 = -2.76076847742355e-16f;
  private static final float B0 = 4.89352518554385e-03f;
  private static final float B2 = 2.26843463243900e-03f;
  private static final float B4 = 1.18534705686654e-04f;
  private static final float B6 = 1.19825839466702e-06f;

  private RnnMath() {}

  /** Swaps the first two axes of an (a, b, inner) row-major array into (b, a, inner). */
  static void transpose(float[] from, float[] to, int a, int b, int inner) {
    for (int i = 0; i < a; i++) {
      for (int k = 0; k < b; k++) System.arraycopy(from, (i * b + k) * inner, to, (k * a + i) * inner, inner);
    }
  }

  static float tanh(float z) {
    float x = Math.max(-CLAMP, Math.min(CLAMP, z));
    float x2 = x * x;
    float p = x2 * A13 + A11;
    p = x2 * p + A9;
    p = x2 * p + A7;
    p = x2 * p + A5;
    p = x2 * p + A3;
    p = x2 * p + A1;
    p = x * p;
    float q = x2 * B6 + B4;
    q = x2 * q + B2;
    q = x2 * q + B0;
    return p / q;
  }

  static float sigmoid(float z) {
    return 0.5f + 0.5f * tanh(0.5f * z);
  }

  /** True when the activation's derivative follows from its output; false: the cell keeps the pre-activation. */
  static boolean fromOutput(Act act) {
    return !act.onHost();
  }

  /**
   * Applies the activation in place to {@code a[from, from + len)}: one loop per activation, so it
   * vectorises. Softmax normalises over the whole range: a call covers one gate of one row.
   */
  static void apply(Act act, float[] a, int from, int len) {
    int to = from + len;
    switch (act) {
      case SIGMOID -> {
        for (int i = from; i < to; i++) a[i] = sigmoid(a[i]);
      }
      case TANH -> {
        for (int i = from; i < to; i++) a[i] = tanh(a[i]);
      }
      case RELU -> {
        for (int i = from; i < to; i++) a[i] = Math.max(a[i], 0f);
      }
      case LINEAR -> { }
      case SOFTMAX -> softmax(a, from, to);
      default -> {
        for (int i = from; i < to; i++) a[i] = (float) act.at(a[i]);
      }
    }
  }

  /**
   * {@code into[at ..] = x[at ..] + bias + rec[recAt ..]} over {@code width} values: one row's
   * pre-activations from its input term, the bias and its recurrent term ({@code rec} null at the
   * first step, which has none).
   */
  static void preActivations(float[] into, int at, float[] x, float[] bias, float[] rec, int recAt, int width) {
    if (rec != null) {
      for (int k = 0; k < width; k++) into[at + k] = x[at + k] + bias[k] + rec[recAt + k];
    } else {
      for (int k = 0; k < width; k++) into[at + k] = x[at + k] + bias[k];
    }
  }

  /** {@code a[from + i] += b[i]} for i < n. */
  static void addInto(float[] a, int from, float[] b, int n) {
    for (int i = 0; i < n; i++) a[from + i] += b[i];
  }

  /** Softmax of {@code a[from, to)} in place, the maximum subtracted first (as libnd4j's). */
  private static void softmax(float[] a, int from, int to) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) max = Math.max(max, a[i]);
    double sum = 0;
    for (int i = from; i < to; i++) {
      a[i] = (float) Math.exp(a[i] - max);
      sum += a[i];
    }
    float inv = (float) (1 / sum);
    for (int i = from; i < to; i++) a[i] *= inv;
  }

  /**
   * The gradient through the activation of {@code [at, at + len)}, {@code d[dFrom, dFrom + len)} in
   * place: from the outputs {@code out} where the derivative follows from them, else from the
   * pre-activations {@code pre} the cell kept (null when it keeps none, as {@link #fromOutput}).
   */
  static void timesDerivative(Act act, float[] d, int dFrom, float[] out, float[] pre, int at, int len) {
    if (fromOutput(act)) {
      timesDerivative(act, d, dFrom, out, at, len);
    } else {
      int shift = at - dFrom;
      for (int i = dFrom; i < dFrom + len; i++) d[i] = (float) (d[i] * act.slopeAt(pre[i + shift]));
    }
  }

  /**
   * {@code d[dFrom + i] *= act'(out[outFrom + i])} for i < len, the derivative from the activation's
   * outputs (softmax's Jacobian over the whole range: {@code d = s ⊙ (d − Σ d·s)}).
   */
  static void timesDerivative(Act act, float[] d, int dFrom, float[] out, int outFrom, int len) {
    int shift = outFrom - dFrom;
    int to = dFrom + len;
    switch (act) {
      case SIGMOID -> {
        for (int i = dFrom; i < to; i++) d[i] *= out[i + shift] * (1f - out[i + shift]);
      }
      case TANH -> {
        for (int i = dFrom; i < to; i++) d[i] *= 1f - out[i + shift] * out[i + shift];
      }
      case RELU -> {
        for (int i = dFrom; i < to; i++) d[i] = out[i + shift] > 0f ? d[i] : 0f;
      }
      case LINEAR -> { }
      case SOFTMAX -> {
        float dot = 0f;
        for (int i = dFrom; i < to; i++) dot += d[i] * out[i + shift];
        for (int i = dFrom; i < to; i++) d[i] = out[i + shift] * (d[i] - dot);
      }
      default -> throw new IllegalStateException(act + "'s derivative needs the pre-activation");
    }
  }
}

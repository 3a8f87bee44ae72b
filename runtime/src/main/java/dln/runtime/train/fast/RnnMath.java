package dln.runtime.train.fast;

/** Host arithmetic shared by the SimpleRNN and GRU steps: scalar activations and the time-major transpose. */
final class RnnMath {
  private RnnMath() {}

  /** Swaps the first two axes of an (a, b, inner) row-major array into (b, a, inner). */
  static void transpose(float[] from, float[] to, int a, int b, int inner) {
    for (int i = 0; i < a; i++) {
      for (int k = 0; k < b; k++) System.arraycopy(from, (i * b + k) * inner, to, (k * a + i) * inner, inner);
    }
  }

  static float apply(Act act, float z) {
    return switch (act) {
      case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-z)));
      // 1 - 2 / (e^{2z} + 1): one exp (Math.tanh is not an intrinsic), exact at both saturations.
      case TANH -> (float) (1.0 - 2.0 / (Math.exp(2.0 * z) + 1.0));
      case RELU -> Math.max(z, 0f);
      case LINEAR -> z;
      case SOFTMAX -> throw new IllegalStateException("softmax is not a recurrent activation");
    };
  }

  /** The activation's derivative, written in terms of its output. */
  static float derivative(Act act, float out) {
    return switch (act) {
      case SIGMOID -> out * (1f - out);
      case TANH -> 1f - out * out;
      case RELU -> out > 0f ? 1f : 0f;
      case LINEAR -> 1f;
      case SOFTMAX -> throw new IllegalStateException("softmax is not a recurrent activation");
    };
  }
}

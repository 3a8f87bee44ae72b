package dln.runtime.train.fast;

import dln.runtime.nn.Weight;

/**
 * SimpleRNN's cell on {@link RecurrentStep}'s driver: {@code h = act(x·W + h₋₁·U + b)}. The
 * derivative comes from the hidden states, or, for an activation whose derivative does not follow
 * from its output ({@link RnnMath#fromOutput}), from the pre-activations, kept only then.
 */
final class SimpleRNNStep extends RecurrentStep {
  private final Act activation;

  SimpleRNNStep(Weight kernel, Weight recurrent, Weight bias, Act activation, boolean returnSequences, boolean goBackwards, long steps) {
    super(kernel, recurrent, bias, returnSequences, goBackwards, steps);
    this.activation = activation;
  }

  /** Nothing beyond the hidden states where the derivative follows from them, else the pre-activations. */
  @Override
  int[] savedWidths() {
    return RnnMath.fromOutput(activation) ? new int[0] : new int[] {units};
  }

  @Override
  void cellForward(Sequence s, int t, int from, int to) {
    int batch = s.batch;
    int u = units;
    float[] zx = s.zxHost;
    float[] hu = s.huHost;
    float[] hidden = s.hidden;
    for (int r = from; r < to; r++) {
      if (s.carried(t, r)) continue;
      int c = (t * batch + r) * u;
      RnnMath.preActivations(hidden, c, zx, biasHost, t > 0 ? hu : null, r * u, u);
      if (s.saved.length > 0) System.arraycopy(hidden, c, s.saved[0], c, u);
      RnnMath.apply(activation, hidden, c, u);
    }
  }

  @Override
  void cellBackward(Sequence s, int t, int from, int to) {
    int batch = s.batch;
    int u = units;
    float[] pre = s.saved.length > 0 ? s.saved[0] : null;
    for (int r = from; r < to; r++) {
      if (s.carried(t, r)) continue;
      int c = (t * batch + r) * u;
      System.arraycopy(s.dhHost, r * u, s.dzxHost, c, u);
      RnnMath.timesDerivative(activation, s.dzxHost, c, s.hidden, pre, c, u);
    }
  }
}

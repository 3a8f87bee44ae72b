package dln.runtime.train.fast;

import dln.runtime.nn.Weight;

/** SimpleRNN's cell on {@link RecurrentStep}'s driver: {@code h = act(x·W + h₋₁·U + b)}. */
final class SimpleRNNStep extends RecurrentStep {
  private final Act activation;

  SimpleRNNStep(Weight kernel, Weight recurrent, Weight bias, Act activation, boolean returnSequences, boolean goBackwards, long steps) {
    super(kernel, recurrent, bias, returnSequences, goBackwards, steps);
    this.activation = activation;
  }

  /** Nothing beyond the hidden states, from which the derivative follows. */
  @Override
  int[] savedWidths() {
    return new int[0];
  }

  @Override
  void cellForward(Sequence s, int t) {
    int batch = s.batch;
    int u = units;
    float[] zx = s.zxHost;
    float[] hu = s.huHost;
    float[] hidden = s.hidden;
    for (int r = 0; r < batch; r++) {
      if (s.carried(t, r)) continue;
      int c = (t * batch + r) * u;
      if (t > 0) {
        for (int j = 0; j < u; j++) hidden[c + j] = zx[c + j] + biasHost[j] + hu[r * u + j];
      } else {
        for (int j = 0; j < u; j++) hidden[c + j] = zx[c + j] + biasHost[j];
      }
      RnnMath.apply(activation, hidden, c, u);
    }
  }

  @Override
  void cellBackward(Sequence s, int t) {
    int batch = s.batch;
    int u = units;
    for (int r = 0; r < batch; r++) {
      if (s.carried(t, r)) continue;
      int c = (t * batch + r) * u;
      System.arraycopy(s.dhHost, r * u, s.dzxHost, c, u);
      RnnMath.timesDerivative(activation, s.dzxHost, c, s.hidden, c, u);
    }
  }
}

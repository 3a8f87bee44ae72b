package dln.runtime.train.fast;

import dln.runtime.nn.Weight;

/**
 * LSTM's cell on {@link RecurrentStep}'s driver, Keras's layout (gates i, f, c, o in the columns of
 * kernel, recurrent_kernel and bias). Per step and sequence: the four pre-activations in one pass,
 * each gate's activation as one vectorised loop, then the cell state and the output; backward the
 * same loops with the derivatives taken from the saved gate values, or, for an activation whose
 * derivative does not follow from its output ({@link RnnMath#fromOutput}), from the gates'
 * pre-activations, kept only then (act(c)'s pre-activation is the cell state, kept anyway).
 */
final class LSTMStep extends RecurrentStep {
  private final Act activation;
  private final Act recurrentActivation;
  /** Whether a gate's activation needs its pre-activation kept for the backward pass. */
  private final boolean keepsPre;

  LSTMStep(Weight kernel, Weight recurrent, Weight bias, Act activation, Act recurrentActivation, boolean returnSequences,
      boolean goBackwards, long steps) {
    super(kernel, recurrent, bias, returnSequences, goBackwards, steps);
    this.activation = activation;
    this.recurrentActivation = recurrentActivation;
    this.keepsPre = !RnnMath.fromOutput(activation) || !RnnMath.fromOutput(recurrentActivation);
  }

  /** The gates (4·units), the cell state and act(cell state); with keepsPre the gates' pre-activations (4·units). */
  @Override
  int[] savedWidths() {
    return keepsPre ? new int[] {4 * units, units, units, 4 * units} : new int[] {4 * units, units, units};
  }

  /** The gradient of the cell state, and a row of scratch. */
  @Override
  int[] stateWidths() {
    return new int[] {units, units};
  }

  @Override
  void cellForward(Sequence s, int t) {
    int batch = s.batch;
    int u = units;
    int g4 = 4 * u;
    float[] zx = s.zxHost;
    float[] hu = s.huHost;
    float[] gates = s.saved[0];
    float[] cells = s.saved[1];
    float[] actCells = s.saved[2];
    float[] hidden = s.hidden;
    float[] b = biasHost;
    for (int r = 0; r < batch; r++) {
      int row = t * batch + r;
      int z = row * g4;
      int c = row * u;
      if (s.carried(t, r)) {
        carryRow(cells, t, r, batch, u);
        continue;
      }
      if (t > 0) {
        int h = r * g4;
        for (int k = 0; k < g4; k++) gates[z + k] = zx[z + k] + b[k] + hu[h + k];
      } else {
        for (int k = 0; k < g4; k++) gates[z + k] = zx[z + k] + b[k];
      }
      if (keepsPre) System.arraycopy(gates, z, s.saved[3], z, g4);
      applyTwoGates(gates, z);
      RnnMath.apply(activation, gates, z + 2 * u, u);
      RnnMath.apply(recurrentActivation, gates, z + 3 * u, u);
      if (t > 0) {
        int prev = c - batch * u;
        for (int j = 0; j < u; j++) cells[c + j] = gates[z + j] * gates[z + 2 * u + j] + gates[z + u + j] * cells[prev + j];
      } else {
        for (int j = 0; j < u; j++) cells[c + j] = gates[z + j] * gates[z + 2 * u + j];
      }
      System.arraycopy(cells, c, actCells, c, u);
      RnnMath.apply(activation, actCells, c, u);
      for (int j = 0; j < u; j++) hidden[c + j] = gates[z + 3 * u + j] * actCells[c + j];
    }
  }

  /** The recurrent activation over gates i and f from {@code z}: one loop, but softmax normalises each gate on its own. */
  private void applyTwoGates(float[] gates, int z) {
    if (recurrentActivation == Act.SOFTMAX) {
      RnnMath.apply(recurrentActivation, gates, z, units);
      RnnMath.apply(recurrentActivation, gates, z + units, units);
    } else {
      RnnMath.apply(recurrentActivation, gates, z, 2 * units);
    }
  }

  /** The gradient through {@link #applyTwoGates}, in place in {@code dz}. */
  private void twoGatesDerivative(float[] dz, float[] gates, float[] pre, int z) {
    if (recurrentActivation == Act.SOFTMAX) {
      RnnMath.timesDerivative(recurrentActivation, dz, z, gates, pre, z, units);
      RnnMath.timesDerivative(recurrentActivation, dz, z + units, gates, pre, z + units, units);
    } else {
      RnnMath.timesDerivative(recurrentActivation, dz, z, gates, pre, z, 2 * units);
    }
  }

  @Override
  void cellBackward(Sequence s, int t) {
    int batch = s.batch;
    int u = units;
    int g4 = 4 * u;
    float[] gates = s.saved[0];
    float[] cells = s.saved[1];
    float[] actCells = s.saved[2];
    float[] dz = s.dzxHost;
    float[] dh = s.dhHost;
    float[] dc = s.state[0];
    float[] dcv = s.state[1];
    float[] pre = keepsPre ? s.saved[3] : null;
    for (int r = 0; r < batch; r++) {
      if (s.carried(t, r)) continue;
      int row = t * batch + r;
      int z = row * g4;
      int c = row * u;
      int d = r * u;
      // dc = dh·o·act'(c) + the cell gradient from step t+1.
      for (int j = 0; j < u; j++) dcv[d + j] = dh[d + j] * gates[z + 3 * u + j];
      RnnMath.timesDerivative(activation, dcv, d, actCells, cells, c, u);
      for (int j = 0; j < u; j++) dcv[d + j] += dc[d + j];
      if (t > 0) {
        int prev = c - batch * u;
        for (int j = 0; j < u; j++) dz[z + u + j] = dcv[d + j] * cells[prev + j];
      } else {
        for (int j = 0; j < u; j++) dz[z + u + j] = 0f;
      }
      for (int j = 0; j < u; j++) {
        dz[z + j] = dcv[d + j] * gates[z + 2 * u + j];
        dz[z + 2 * u + j] = dcv[d + j] * gates[z + j];
        dz[z + 3 * u + j] = dh[d + j] * actCells[c + j];
        dc[d + j] = dcv[d + j] * gates[z + u + j];
      }
      twoGatesDerivative(dz, gates, pre, z);
      RnnMath.timesDerivative(activation, dz, z + 2 * u, gates, pre, z + 2 * u, u);
      RnnMath.timesDerivative(recurrentActivation, dz, z + 3 * u, gates, pre, z + 3 * u, u);
    }
  }
}

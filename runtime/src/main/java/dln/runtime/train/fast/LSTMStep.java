package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.Arrays;

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
  void cellForward(Sequence s, int t, int from, int to) {
    int batch = s.batch;
    int u = units;
    int g4 = 4 * u;
    float[] gates = s.saved[0];
    for (int r = from; r < to; r++) {
      int row = t * batch + r;
      int z = row * g4;
      int c = row * u;
      if (s.carried(t, r)) {
        carryRow(s.saved[1], t, r, batch, u);
        continue;
      }
      RnnMath.preActivations(gates, z, s.zxHost, biasHost, t > 0 ? s.huHost : null, r * g4, g4);
      if (keepsPre) System.arraycopy(gates, z, s.saved[3], z, g4);
      activateGates(activation, recurrentActivation, gates, z, u);
      updateCell(activation, gates, z, s.saved[1], c, t > 0 ? c - batch * u : -1, s.saved[2], s.hidden, u);
    }
  }

  /*
   * The row kernels below are static and each a few plain loops: they run batch × steps times per
   * training step, so the JIT compiles each early and on its own (small, vectorised), while the
   * drivers that call them stay small to compile. One method holding all the loops (as cellForward
   * did) took the C2 compiler ≈ 0.8 s, ending inside the bench's first timed epoch (2026-12-08).
   */

  /** The four gates' activations of one row from their pre-activations at {@code z}, in place. */
  static void activateGates(Act activation, Act recurrentActivation, float[] gates, int z, int u) {
    if (recurrentActivation == Act.SOFTMAX) {
      // softmax normalises each gate on its own.
      RnnMath.apply(recurrentActivation, gates, z, u);
      RnnMath.apply(recurrentActivation, gates, z + u, u);
    } else {
      RnnMath.apply(recurrentActivation, gates, z, 2 * u);
    }
    RnnMath.apply(activation, gates, z + 2 * u, u);
    RnnMath.apply(recurrentActivation, gates, z + 3 * u, u);
  }

  /**
   * One row's cell state {@code c = i·g + f·c₋₁} ({@code prev} the previous step's row, −1 at the
   * first step), act(c) and the output {@code h = o·act(c)}.
   */
  static void updateCell(Act activation, float[] gates, int z, float[] cells, int c, int prev, float[] actCells,
      float[] hidden, int u) {
    int f = z + u;
    int g = z + 2 * u;
    int o = z + 3 * u;
    if (prev >= 0) {
      for (int j = 0; j < u; j++) cells[c + j] = gates[z + j] * gates[g + j] + gates[f + j] * cells[prev + j];
    } else {
      for (int j = 0; j < u; j++) cells[c + j] = gates[z + j] * gates[g + j];
    }
    System.arraycopy(cells, c, actCells, c, u);
    RnnMath.apply(activation, actCells, c, u);
    for (int j = 0; j < u; j++) hidden[c + j] = gates[o + j] * actCells[c + j];
  }

  @Override
  void cellBackward(Sequence s, int t, int from, int to) {
    int batch = s.batch;
    int u = units;
    int g4 = 4 * u;
    float[] gates = s.saved[0];
    float[] cells = s.saved[1];
    float[] actCells = s.saved[2];
    float[] pre = keepsPre ? s.saved[3] : null;
    for (int r = from; r < to; r++) {
      if (s.carried(t, r)) continue;
      int row = t * batch + r;
      int z = row * g4;
      int c = row * u;
      int d = r * u;
      cellGradient(activation, gates, z, cells, actCells, c, s.dhHost, s.state[0], s.state[1], d, u);
      gateGradients(s.dzxHost, gates, z, cells, actCells, c, t > 0 ? c - batch * u : -1, s.dhHost, s.state[0],
          s.state[1], d, u);
      gatesDerivative(activation, recurrentActivation, s.dzxHost, gates, pre, z, u);
    }
  }

  /**
   * One row's gradient of the cell state into {@code dcv[d ..]}: {@code dh·o·act'(c)} plus {@code dc},
   * the part step t+1 handed back.
   */
  static void cellGradient(Act activation, float[] gates, int z, float[] cells, float[] actCells, int c, float[] dh,
      float[] dc, float[] dcv, int d, int u) {
    int o = z + 3 * u;
    for (int j = 0; j < u; j++) dcv[d + j] = dh[d + j] * gates[o + j];
    RnnMath.timesDerivative(activation, dcv, d, actCells, cells, c, u);
    for (int j = 0; j < u; j++) dcv[d + j] += dc[d + j];
  }

  /**
   * One row's gradients of the gates' outputs into {@code dz[z ..]} (i, f, g, o), and of the previous
   * cell state into {@code dc[d ..]}; {@code prev} the previous step's row, −1 at the first step.
   */
  static void gateGradients(float[] dz, float[] gates, int z, float[] cells, float[] actCells, int c, int prev,
      float[] dh, float[] dc, float[] dcv, int d, int u) {
    int f = z + u;
    int g = z + 2 * u;
    int o = z + 3 * u;
    if (prev >= 0) {
      for (int j = 0; j < u; j++) dz[f + j] = dcv[d + j] * cells[prev + j];
    } else {
      Arrays.fill(dz, f, f + u, 0f);
    }
    for (int j = 0; j < u; j++) {
      dz[z + j] = dcv[d + j] * gates[g + j];
      dz[g + j] = dcv[d + j] * gates[z + j];
      dz[o + j] = dh[d + j] * actCells[c + j];
      dc[d + j] = dcv[d + j] * gates[f + j];
    }
  }

  /** The gradient through {@link #activateGates}: one row of {@code dz} from gate outputs to pre-activations, in place. */
  static void gatesDerivative(Act activation, Act recurrentActivation, float[] dz, float[] gates, float[] pre, int z, int u) {
    if (recurrentActivation == Act.SOFTMAX) {
      RnnMath.timesDerivative(recurrentActivation, dz, z, gates, pre, z, u);
      RnnMath.timesDerivative(recurrentActivation, dz, z + u, gates, pre, z + u, u);
    } else {
      RnnMath.timesDerivative(recurrentActivation, dz, z, gates, pre, z, 2 * u);
    }
    RnnMath.timesDerivative(activation, dz, z + 2 * u, gates, pre, z + 2 * u, u);
    RnnMath.timesDerivative(recurrentActivation, dz, z + 3 * u, gates, pre, z + 3 * u, u);
  }
}

package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GRU's cell on {@link RecurrentStep}'s driver (gates z, r, h in the columns). With Keras's default
 * {@code reset_after=True} (bias rows: input, recurrent) the reset gate scales the recurrent term
 * {@code h₋₁·U_h + b'_h}, so one {@code h₋₁·U} GEMM per step serves all three gates, and the
 * gradient of the recurrent term differs from the input term's only in the candidate's columns.
 * With {@code reset_after=False} (one bias row) the candidate reads {@code (r ⊙ h₋₁)·U_h}: a
 * second, (units × units) GEMM per step after the gates, and per step backwards its transpose;
 * the driver's {@code h₋₁ᵀ·drec} then gives U's z and r columns and {@code (r ⊙ h₋₁)ᵀ·dh̃} the
 * candidate's. An activation whose derivative does not follow from its output ({@link
 * RnnMath#fromOutput}) has the pre-activations of z, r and h̃ kept for the backward pass.
 */
final class GRUStep extends RecurrentStep {
  private final Act activation;
  private final Act gateActivation;
  private final boolean resetAfter;
  /** Whether the gates' pre-activations are kept (saved[4..6]) for the backward pass. */
  private final boolean keepsPre;
  /** reset_after=False: the candidate's recurrent kernel U_h, copied out of U every forward. */
  private final INDArray candidateKernel;
  /** reset_after=False: U_h's gradient {@code (r ⊙ h₋₁)ᵀ·dh̃} (the driver's h₋₁ᵀ·drec leaves those columns zero). */
  private final INDArray dCandidateKernel;
  private final float[] recurrentHost;
  private final float[] candidateHost;
  private final PerBatch<Before> before;
  private Before lastBefore;

  /**
   * reset_after=False's buffers: r ⊙ h₋₁ of a step and of the whole sequence, its product with
   * U_h, the candidate gradient of a step and of the sequence and its product with U_hᵀ; the
   * GEMMs (r ⊙ h₋₁)·U_h, dh̃·U_hᵀ and (r ⊙ h₋₁)ᵀ·dh̃ prepared on them.
   */
  private record Before(INDArray rhStep, INDArray rhU, INDArray rhSeq, INDArray dphStep, INDArray drh, INDArray dphSeq,
      float[] rhUHost, float[] rhSeqHost, float[] dphStepHost, float[] drhHost, float[] dphSeqHost,
      PreparedGemm candidateGemm, PreparedGemm candidateBackGemm, PreparedGemm candidateGradGemm) {

    static Before of(int b, int n, int u, INDArray candidateKernel, INDArray dCandidateKernel) {
      INDArray rhStep = Nd4j.create(DataType.FLOAT, b, u);
      INDArray rhU = Nd4j.create(DataType.FLOAT, b, u);
      INDArray rhSeq = Nd4j.create(DataType.FLOAT, n, u);
      INDArray dphStep = Nd4j.create(DataType.FLOAT, b, u);
      INDArray drh = Nd4j.create(DataType.FLOAT, b, u);
      INDArray dphSeq = Nd4j.create(DataType.FLOAT, n, u);
      return new Before(rhStep, rhU, rhSeq, dphStep, drh, dphSeq, new float[b * u], new float[n * u],
          new float[b * u], new float[b * u], new float[n * u],
          new PreparedGemm(rhStep, candidateKernel, rhU, false, false, 0),
          new PreparedGemm(dphStep, candidateKernel, drh, false, true, 0),
          new PreparedGemm(rhSeq, dphSeq, dCandidateKernel, true, false, 0));
    }
  }

  GRUStep(Weight kernel, Weight recurrent, Weight bias, Act activation, Act gateActivation, boolean resetAfter,
      boolean returnSequences, boolean goBackwards, long steps) {
    super(kernel, recurrent, bias, returnSequences, goBackwards, steps);
    this.activation = activation;
    this.gateActivation = gateActivation;
    this.resetAfter = resetAfter;
    this.keepsPre = !RnnMath.fromOutput(activation) || !RnnMath.fromOutput(gateActivation);
    int u = units;
    this.candidateKernel = resetAfter ? null : Nd4j.create(DataType.FLOAT, u, u);
    this.dCandidateKernel = resetAfter ? null : Nd4j.create(DataType.FLOAT, u, u);
    this.recurrentHost = resetAfter ? null : new float[u * 3 * u];
    this.candidateHost = resetAfter ? null : new float[u * u];
    this.before = new PerBatch<>(b -> Before.of((int) b, (int) b * this.steps, u, candidateKernel, dCandidateKernel));
  }

  /**
   * z, r, the candidate h̃ and its recurrent term (reset_after: h₋₁·U_h + b'_h; else r ⊙ h₋₁); with
   * keepsPre the pre-activations of z, r and h̃.
   */
  @Override
  int[] savedWidths() {
    int u = units;
    return keepsPre ? new int[] {u, u, u, u, u, u, u} : new int[] {u, u, u, u};
  }

  /** The kept pre-activations of saved[k] (k: 0 z, 1 r, 2 h̃), null without keepsPre. */
  private float[] pre(Sequence s, int k) {
    return keepsPre ? s.saved[4 + k] : null;
  }

  @Override
  boolean sharedGradient() {
    return false;
  }

  /** reset_after=False's candidate GEMM covers the whole batch's step after every row's gates. */
  @Override
  boolean splitsRows() {
    return resetAfter;
  }

  @Override
  void cellForward(Sequence s, int t, int from, int to) {
    int batch = s.batch;
    int u = units;
    int g = width;
    float[] zx = s.zxHost;
    float[] hu = s.huHost;
    float[] update = s.saved[0];
    float[] reset = s.saved[1];
    float[] candidate = s.saved[2];
    float[] rec = s.saved[3];
    float[] hidden = s.hidden;
    float[] b = biasHost;
    // reset_after=False has one bias row: the recurrent row reads as zeros.
    int rb = resetAfter ? g : -1;
    Before w = resetAfter ? null : before.get(batch);
    if (w != null && t == 0) {
      Host.read(recurrent.value(), recurrentHost);
      for (int i = 0; i < u; i++) System.arraycopy(recurrentHost, i * g + 2 * u, candidateHost, i * u, u);
      Host.write(candidateKernel, candidateHost);
      lastBefore = w;
    }
    float[] huOrNull = t > 0 ? hu : null;
    for (int r = from; r < to; r++) {
      if (s.carried(t, r)) continue;
      int zb = (t * batch + r) * g;
      int c = (t * batch + r) * u;
      int hb = r * g;
      gatePreActivations(update, reset, c, zx, zb, b, rb, huOrNull, hb, u);
      if (keepsPre) {
        System.arraycopy(update, c, s.saved[4], c, u);
        System.arraycopy(reset, c, s.saved[5], c, u);
      }
      RnnMath.apply(gateActivation, update, c, u);
      RnnMath.apply(gateActivation, reset, c, u);
      if (resetAfter) candidateResetAfter(candidate, rec, reset, c, zx, zb, b, g, huOrNull, hb, u);
      else candidateResetBefore(candidate, rec, reset, c, zx, zb, b, hidden, t > 0 ? c - batch * u : -1, u);
    }
    if (w != null && t > 0) {
      // The candidate's recurrent term (r ⊙ h₋₁)·U_h for the whole step in one GEMM.
      Host.writeFrom(w.rhStep(), rec, t * batch * u, batch * u);
      w.candidateGemm().run();
      Host.read(w.rhU(), w.rhUHost());
      RnnMath.addInto(candidate, t * batch * u, w.rhUHost(), batch * u);
    }
    for (int r = from; r < to; r++) {
      if (s.carried(t, r)) continue;
      int c = (t * batch + r) * u;
      if (keepsPre) System.arraycopy(candidate, c, s.saved[6], c, u);
      RnnMath.apply(activation, candidate, c, u);
      blend(hidden, c, t > 0 ? c - batch * u : -1, update, candidate, u);
    }
  }

  /*
   * The row kernels below are static and each a few plain loops, called batch × steps times per
   * training step: the JIT compiles each early and small (see LSTMStep). Where a row has cases (the
   * first step, reset_after's bias row), one loop tests them inside (the JIT unswitches invariant
   * tests): written as a loop per case, z's, r's and h̃'s pre-activations took ≈ 40% longer
   * (GRU(64) forward cell math 1.1 against 0.8 ms a step, 2026-12-08).
   */

  /**
   * One row's pre-activations of z and r: input term, input bias, and the recurrent bias row
   * ({@code rb}, −1 for reset_after=False's single row) plus the recurrent term ({@code hu}, null
   * at the first step), that sum taken first.
   */
  static void gatePreActivations(float[] update, float[] reset, int c, float[] zx, int zb, float[] b, int rb, float[] hu,
      int hb, int u) {
    for (int j = 0; j < u; j++) {
      float recZ = (rb < 0 ? 0f : b[rb + j]) + (hu != null ? hu[hb + j] : 0f);
      float recR = (rb < 0 ? 0f : b[rb + u + j]) + (hu != null ? hu[hb + u + j] : 0f);
      update[c + j] = zx[zb + j] + b[j] + recZ;
      reset[c + j] = zx[zb + u + j] + b[u + j] + recR;
    }
  }

  /**
   * reset_after=True: one row's candidate pre-activation {@code x·W_h + b_h + r ⊙ rec}, rec =
   * {@code h₋₁·U_h + b'_h} kept ({@code hu} null at the first step: rec is the bias alone).
   */
  static void candidateResetAfter(float[] candidate, float[] rec, float[] reset, int c, float[] zx, int zb, float[] b,
      int g, float[] hu, int hb, int u) {
    for (int j = 0; j < u; j++) {
      rec[c + j] = b[g + 2 * u + j] + (hu != null ? hu[hb + 2 * u + j] : 0f);
      candidate[c + j] = zx[zb + 2 * u + j] + b[2 * u + j] + reset[c + j] * rec[c + j];
    }
  }

  /**
   * reset_after=False: one row's r ⊙ h₋₁ (zero at the first step, {@code prev} −1) and the input part
   * of the candidate's pre-activation (the step's GEMM adds (r ⊙ h₋₁)·U_h after).
   */
  static void candidateResetBefore(float[] candidate, float[] rec, float[] reset, int c, float[] zx, int zb, float[] b,
      float[] hidden, int prev, int u) {
    if (prev >= 0) {
      for (int j = 0; j < u; j++) rec[c + j] = reset[c + j] * hidden[prev + j];
    } else {
      Arrays.fill(rec, c, c + u, 0f);
    }
    for (int j = 0; j < u; j++) candidate[c + j] = zx[zb + 2 * u + j] + b[2 * u + j];
  }

  /** One row's output {@code h = z ⊙ h₋₁ + (1 − z) ⊙ h̃} ({@code prev} −1 at the first step: h₋₁ = 0). */
  static void blend(float[] hidden, int c, int prev, float[] update, float[] candidate, int u) {
    if (prev >= 0) {
      for (int j = 0; j < u; j++) hidden[c + j] = update[c + j] * hidden[prev + j] + (1f - update[c + j]) * candidate[c + j];
    } else {
      for (int j = 0; j < u; j++) hidden[c + j] = (1f - update[c + j]) * candidate[c + j];
    }
  }

  @Override
  void cellBackward(Sequence s, int t, int from, int to) {
    int batch = s.batch;
    int u = units;
    int g = width;
    float[] update = s.saved[0];
    float[] reset = s.saved[1];
    float[] candidate = s.saved[2];
    float[] rec = s.saved[3];
    float[] hidden = s.hidden;
    float[] dzx = s.dzxHost;
    float[] drec = s.drecHost;
    float[] dh = s.dhHost;
    float[] carry = s.carry;
    for (int r = from; r < to; r++) {
      if (s.carried(t, r)) continue;
      int zb = (t * batch + r) * g;
      int c = (t * batch + r) * u;
      int d = r * u;
      blendGradient(dzx, zb, dh, d, update, candidate, hidden, c, t > 0 ? c - batch * u : -1, carry, u);
      RnnMath.timesDerivative(gateActivation, dzx, zb, update, pre(s, 0), c, u);
      RnnMath.timesDerivative(activation, dzx, zb + 2 * u, candidate, pre(s, 2), c, u);
      if (resetAfter) {
        resetAfterGradient(dzx, drec, zb, rec, reset, c, u);
        RnnMath.timesDerivative(gateActivation, dzx, zb + u, reset, pre(s, 1), c, u);
      } else {
        // r's gradient needs dh̃·U_hᵀ: resetBeforeBackward fills it (zero at the first step, where h₋₁ = 0).
        Arrays.fill(dzx, zb + u, zb + 2 * u, 0f);
        Arrays.fill(drec, zb + 2 * u, zb + 3 * u, 0f);
      }
      System.arraycopy(dzx, zb, drec, zb, 2 * u);
    }
    if (!resetAfter) resetBeforeBackward(s, t);
  }

  /** reset_after=False: the candidate's gradient through (r ⊙ h₋₁)·U_h, to r and to h₋₁ (one GEMM). */
  private void resetBeforeBackward(Sequence s, int t) {
    int batch = s.batch;
    int u = units;
    int g = width;
    Before w = lastBefore;
    float[] dph = w.dphStepHost();
    for (int r = 0; r < batch; r++) {
      int zb = (t * batch + r) * g;
      if (s.carried(t, r)) Arrays.fill(dph, r * u, r * u + u, 0f);
      else System.arraycopy(s.dzxHost, zb + 2 * u, dph, r * u, u);
    }
    System.arraycopy(dph, 0, w.dphSeqHost(), t * batch * u, batch * u);
    if (t == 0) return;
    Host.write(w.dphStep(), dph);
    w.candidateBackGemm().run();
    Host.read(w.drh(), w.drhHost());
    float[] drh = w.drhHost();
    float[] reset = s.saved[1];
    float[] hidden = s.hidden;
    for (int r = 0; r < batch; r++) {
      if (s.carried(t, r)) continue;
      int zb = (t * batch + r) * g;
      int c = (t * batch + r) * u;
      int d = r * u;
      resetBeforeGradient(s.dzxHost, zb + u, s.carry, drh, d, reset, c, hidden, c - batch * u, u);
      RnnMath.timesDerivative(gateActivation, s.dzxHost, zb + u, reset, pre(s, 1), c, u);
      System.arraycopy(s.dzxHost, zb + u, s.drecHost, zb + u, u);
    }
  }

  /**
   * One row's gradients through {@link #blend}: to z's and h̃'s outputs in {@code dzx} (at {@code zb}
   * and {@code zb + 2u}), and {@code dh ⊙ z} added to the gradient {@code carry} hands h₋₁.
   */
  static void blendGradient(float[] dzx, int zb, float[] dh, int d, float[] update, float[] candidate, float[] hidden,
      int c, int prev, float[] carry, int u) {
    int dc = zb + 2 * u;
    if (prev >= 0) {
      for (int j = 0; j < u; j++) dzx[zb + j] = dh[d + j] * (hidden[prev + j] - candidate[c + j]);
    } else {
      for (int j = 0; j < u; j++) dzx[zb + j] = dh[d + j] * (0f - candidate[c + j]);
    }
    for (int j = 0; j < u; j++) {
      dzx[dc + j] = dh[d + j] * (1f - update[c + j]);
      carry[d + j] += dh[d + j] * update[c + j];
    }
  }

  /** reset_after=True: one row's gradients of r's output (dh̃ ⊙ rec) and of the recurrent term's candidate columns (dh̃ ⊙ r). */
  static void resetAfterGradient(float[] dzx, float[] drec, int zb, float[] rec, float[] reset, int c, int u) {
    int r = zb + u;
    int h = zb + 2 * u;
    for (int j = 0; j < u; j++) {
      float dph = dzx[h + j];
      dzx[r + j] = dph * rec[c + j];
      drec[h + j] = dph * reset[c + j];
    }
  }

  /** reset_after=False: one row's gradient of r's output ({@code drh ⊙ h₋₁}) into {@code dr}, and {@code drh ⊙ r} added to h₋₁'s. */
  static void resetBeforeGradient(float[] dr, int at, float[] carry, float[] drh, int d, float[] reset, int c, float[] hidden,
      int prev, int u) {
    for (int j = 0; j < u; j++) {
      carry[d + j] += drh[d + j] * reset[c + j];
      dr[at + j] = drh[d + j] * hidden[prev + j];
    }
  }

  @Override
  void recurrentGradientExtra(Sequence s, INDArray dRecurrent) {
    if (resetAfter) return;
    Before w = lastBefore;
    int u = units;
    int g = width;
    Host.write(w.rhSeq(), s.saved[3]);
    Host.write(w.dphSeq(), w.dphSeqHost());
    w.candidateGradGemm().run();
    Host.read(dCandidateKernel, candidateHost);
    Host.read(dRecurrent, recurrentHost);
    for (int i = 0; i < u; i++) System.arraycopy(candidateHost, i * u, recurrentHost, i * g + 2 * u, u);
    Host.write(dRecurrent, recurrentHost);
  }

  @Override
  void biasGradient(Sequence s, float[] into) {
    super.biasGradient(s, into);
    if (resetAfter) columnSums(s.drecHost, s.batch * steps, width, into, width);
  }
}

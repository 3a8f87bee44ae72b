package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the LSTM, GRU and SimpleRNN steps share: the sequence driver around a cell's arithmetic.
 * Sequences are time-major inside (row {@code t·batch + b}) so that each step's rows are
 * contiguous. Forward: the input projection of every step is one GEMM {@code zx = x·W} over
 * (steps·batch, features) before the loop; each later step adds one GEMM {@code hu = h₋₁·U} (all
 * gates at once) and the cell's gate math runs on the host ({@link RnnMath}'s vectorisable loops).
 * Backward through time: per step the cell turns the gradient of h into the gradients of the
 * pre-activations ({@code dzx}, of the input term, and {@code drec}, of the recurrent term; the same
 * array for LSTM and SimpleRNN), then one GEMM {@code drec·Uᵀ} hands the gradient to the previous
 * step. The weight gradients are whole-sequence GEMMs at the end: {@code dW = xᵀ·dzx},
 * {@code dU = h₋₁ᵀ·drec}, the bias a column sum. Every buffer is allocated once per batch size.
 *
 * <p>The sequences of a batch do not interact, so from {@link #MIN_BLOCK_ROWS} rows per core on the
 * forward loop runs as row blocks side by side, one per core, each with its own single-threaded
 * {@code h₋₁·U} GEMM and the cell math of its rows, all in the shared time-major arrays (so the
 * backward pass reads them as before): no hand-over per time step, where the whole batch's GEMM
 * on OpenMP's threads and the cell math on one thread left a core idle most of each step.
 *
 * <p>Masking (Keras semantics): at a masked step a sequence keeps its previous state and output
 * (zero before its first kept step); the gradient then passes straight back to the step before.
 * The step reads its mask from {@link #mask(float[])}, set by the plan before each forward. With
 * {@code go_backwards} the time-major copies run last step first (input, mask and input gradient);
 * the output stays in that order, as Keras returns it.
 */
abstract class RecurrentStep extends LayerStep implements MaskReader {
  /**
   * Fewest sequences a row block of the forward loop holds: below that a block's per-step GEMM and
   * cell math are too short for a second core to pay for the hand-over (one per forward pass).
   */
  static final int MIN_BLOCK_ROWS = 32;
  final Weight kernel;
  final Weight recurrent;
  final Weight bias;
  final boolean returnSequences;
  final boolean goBackwards;
  final int features;
  final int units;
  final int steps;
  /** Columns of the kernel and the recurrent kernel: gates × units. */
  final int width;
  private final INDArray dKernel;
  private final INDArray dRecurrent;
  private final INDArray dBias;
  /** The bias as the host sees it, re-read every forward (the optimiser changes it in native memory). */
  final float[] biasHost;
  final float[] dBiasHost;
  private final PerBatch<Sequence> buffers;
  private Sequence last;
  /** The next forward's mask, batch-major as the plan hands it, or null. */
  private float[] nextMask;

  /**
   * One batch size's buffers. Native arrays and their host copies: the input (batch-major as given,
   * time-major inside), the projections, the hidden states, the output, the backward buffers;
   * {@code saved[k]} (steps·batch × the cell's k-th saved width) what the cell keeps for its
   * backward pass, {@code state[k]} (batch × width) what it carries backward from step to step.
   */
  static final class Sequence {
    final int batch;
    final INDArray xSeq;
    final INDArray zx;
    final INDArray out;
    final INDArray hPrev;
    final INDArray dzx;
    final INDArray drec;
    final INDArray dxSeq;
    final INDArray dIn;
    final float[] xBatchMajor;
    final float[] xTimeMajor;
    final float[] zxHost;
    final float[] huHost;
    final float[] hidden;
    final float[] outHost;
    final float[] dOutHost;
    final float[] dzxHost;
    final float[] drecHost;
    final float[] dhHost;
    final float[] carry;
    final float[] hPrevHost;
    final float[] dxHost;
    final float[][] saved;
    final float[][] state;
    /** The GEMMs on these buffers, prepared once: x·W, xᵀ·dzx, h₋₁ᵀ·drec, dzx·Wᵀ (the blocks hold h₋₁·U and drec·Uᵀ). */
    final PreparedGemm inputGemm;
    final PreparedGemm kernelGradGemm;
    final PreparedGemm recurrentGradGemm;
    final PreparedGemm inputGradGemm;
    /** The forward and backward loops' row blocks (one, the whole batch, below 2 × {@link #MIN_BLOCK_ROWS} rows or where the cell does not split). */
    final Block[] blocks;
    /** This forward's mask (time-major in processing order, 1 keep), or null. */
    float[] keep;
    private final float[] keepTimeMajor;

    Sequence(RecurrentStep step, int b) {
      int n = b * step.steps;
      int u = step.units;
      int g = step.width;
      int f = step.features;
      batch = b;
      xSeq = Nd4j.create(DataType.FLOAT, n, f);
      zx = Nd4j.create(DataType.FLOAT, n, g);
      out = step.returnSequences ? Nd4j.create(DataType.FLOAT, b, step.steps, u) : Nd4j.create(DataType.FLOAT, b, u);
      hPrev = Nd4j.create(DataType.FLOAT, n, u);
      dzx = Nd4j.create(DataType.FLOAT, n, g);
      drec = step.sharedGradient() ? dzx : Nd4j.create(DataType.FLOAT, n, g);
      dxSeq = Nd4j.create(DataType.FLOAT, n, f);
      dIn = Nd4j.create(DataType.FLOAT, b, step.steps, f);
      xBatchMajor = new float[n * f];
      xTimeMajor = new float[n * f];
      zxHost = new float[n * g];
      huHost = new float[b * g];
      hidden = new float[n * u];
      outHost = new float[(int) out.length()];
      dOutHost = new float[(int) out.length()];
      dzxHost = new float[n * g];
      drecHost = step.sharedGradient() ? dzxHost : new float[n * g];
      dhHost = new float[b * u];
      carry = new float[b * u];
      hPrevHost = new float[n * u];
      dxHost = new float[n * f];
      int[] sw = step.savedWidths();
      saved = new float[sw.length][];
      for (int k = 0; k < sw.length; k++) saved[k] = new float[n * sw[k]];
      int[] cw = step.stateWidths();
      state = new float[cw.length][];
      for (int k = 0; k < cw.length; k++) state[k] = new float[b * cw[k]];
      keepTimeMajor = new float[n];
      INDArray w = step.kernel.value();
      INDArray uk = step.recurrent.value();
      inputGemm = new PreparedGemm(xSeq, w, zx, false, false, 0);
      int count = step.splitsRows() ? RowBlocks.count(b, MIN_BLOCK_ROWS) : 1;
      blocks = new Block[count];
      for (int k = 0; k < count; k++) {
        blocks[k] = new Block(RowBlocks.start(b, count, k), RowBlocks.start(b, count, k + 1), u, g, uk, count > 1);
      }
      kernelGradGemm = new PreparedGemm(xSeq, dzx, step.dKernel, true, false, 0);
      recurrentGradGemm = new PreparedGemm(hPrev, drec, step.dRecurrent, true, false, 0);
      inputGradGemm = new PreparedGemm(dzx, w, dxSeq, false, true, 0);
    }

    /** True when sequence r is masked at step t: it carries its previous state and output. */
    boolean carried(int t, int r) {
      return keep != null && keep[t * batch + r] == 0f;
    }
  }

  /**
   * Rows [from, to) of the batch in the loops over time: forward their previous hidden state h₋₁
   * and its recurrent term h₋₁·U, backward a step's recurrent-term gradient drec and its product
   * drec·Uᵀ (native, for the GEMMs), and the two GEMMs, on the calling thread alone when blocks run
   * side by side.
   */
  static final class Block {
    final int from;
    final int to;
    final INDArray h;
    final INDArray hu;
    final PreparedGemm gemm;
    final INDArray drecStep;
    final INDArray dhRecurrent;
    final PreparedGemm backGemm;
    /** Nanoseconds of this pass's GEMMs and cell math (the step profile's). */
    long gemmNanos;
    long cellNanos;

    Block(int from, int to, int units, int width, INDArray recurrentKernel, boolean oneThread) {
      this.from = from;
      this.to = to;
      h = Nd4j.create(DataType.FLOAT, to - from, units);
      hu = Nd4j.create(DataType.FLOAT, to - from, width);
      gemm = new PreparedGemm(h, recurrentKernel, hu, false, false, 0, oneThread);
      drecStep = Nd4j.create(DataType.FLOAT, to - from, width);
      dhRecurrent = Nd4j.create(DataType.FLOAT, to - from, units);
      backGemm = new PreparedGemm(drecStep, recurrentKernel, dhRecurrent, false, true, 0, oneThread);
    }
  }

  RecurrentStep(Weight kernel, Weight recurrent, Weight bias, boolean returnSequences, boolean goBackwards, long steps) {
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.returnSequences = returnSequences;
    this.goBackwards = goBackwards;
    this.features = (int) kernel.shape()[0];
    this.units = (int) recurrent.shape()[0];
    this.width = (int) kernel.shape()[1];
    this.steps = (int) steps;
    this.dKernel = Nd4j.create(DataType.FLOAT, features, width);
    this.dRecurrent = Nd4j.create(DataType.FLOAT, units, width);
    this.dBias = bias == null ? null : Nd4j.create(DataType.FLOAT, bias.shape());
    // Without a bias: zeros, as long as the longest bias a cell reads (GRU's two rows).
    int biasLength = bias == null ? 2 * width : (int) bias.value().length();
    this.biasHost = new float[biasLength];
    this.dBiasHost = new float[biasLength];
    this.buffers = new PerBatch<>(b -> new Sequence(this, (int) b));
  }

  /** Widths (per sequence row) of the arrays the cell saves in the forward pass for its backward pass. */
  abstract int[] savedWidths();

  /** Widths (per batch row) of the gradients the cell carries from step to step backwards (besides h's). */
  int[] stateWidths() {
    return new int[0];
  }

  /** True when the cell's forward step may run on row blocks side by side ({@link #cellForward} touches only its rows). */
  boolean splitsRows() {
    return true;
  }

  /** True when the gradient of the input term is that of the recurrent term ({@code dzx = drec}). */
  boolean sharedGradient() {
    return true;
  }

  /**
   * Step t of the forward pass for sequences [from, to): from {@code s.zxHost} (the input term),
   * {@code s.huHost} (the recurrent term h₋₁·U, only when t > 0) and the bias, those rows of
   * {@code s.hidden} at step t and of the cell's saved values. Rows {@link Sequence#carried} at t
   * are skipped (the driver copies their hidden state; a cell with more state copies that itself).
   * Blocks of rows run on different threads at once unless {@link #splitsRows()} is false.
   */
  abstract void cellForward(Sequence s, int t, int from, int to);

  /**
   * Step t of the backward pass for sequences [from, to): {@code s.dhHost} holds the whole gradient
   * of h at step t (batch × units) for those rows; fill their rows of {@code s.dzxHost} and
   * {@code s.drecHost} at t, and add to {@code s.carry} the gradient reaching h₋₁ other than
   * through the recurrent GEMM. Carried rows are skipped (the driver passes their gradient on).
   * Blocks of rows run on different threads at once unless {@link #splitsRows()} is false.
   */
  abstract void cellBackward(Sequence s, int t, int from, int to);

  /** Called before the backward loop: clear the cell's carried gradients. */
  void beginBackward(Sequence s) {
    for (float[] c : s.state) Arrays.fill(c, 0f);
  }

  @Override
  public void mask(float[] keep) {
    this.nextMask = keep;
  }

  /**
   * Copies between batch-major (batch, steps, inner) and the time-major processing order (steps,
   * batch, inner), which runs last step first for go_backwards; {@code toTime} picks the direction.
   */
  private void reorder(float[] batchMajor, float[] timeMajor, int batch, int inner, boolean toTime) {
    for (int n = 0; n < batch; n++) {
      for (int t = 0; t < steps; t++) {
        int b = (n * steps + t) * inner;
        int p = ((goBackwards ? steps - 1 - t : t) * batch + n) * inner;
        if (toTime) System.arraycopy(batchMajor, b, timeMajor, p, inner);
        else System.arraycopy(timeMajor, p, batchMajor, b, inner);
      }
    }
  }

  @Override
  List<Weight> weights() {
    return bias == null ? List.of(kernel, recurrent) : List.of(kernel, recurrent, bias);
  }

  @Override
  List<INDArray> gradients() {
    return bias == null ? List.of(dKernel, dRecurrent) : List.of(dKernel, dRecurrent, dBias);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Sequence s = buffers.get(in.size(0));
    int batch = s.batch;
    int u = units;
    boolean profile = StepProfile.ON;
    String phase = training ? "rnn fwd " : "rnn infer ";
    long t0 = profile ? System.nanoTime() : 0;
    s.keep = null;
    if (nextMask != null) {
      reorder(nextMask, s.keepTimeMajor, batch, 1, true);
      s.keep = s.keepTimeMajor;
      nextMask = null;
    }
    Host.read(in, s.xBatchMajor);
    reorder(s.xBatchMajor, s.xTimeMajor, batch, features, true);
    Host.write(s.xSeq, s.xTimeMajor);
    s.inputGemm.run();
    if (bias != null) Host.read(bias.value(), biasHost);
    long t1 = profile ? System.nanoTime() : 0;
    if (profile) StepProfile.detail(phase + "input x·W", t1 - t0);
    RowBlocks.runEach(s.blocks.length, k -> recur(s, s.blocks[k], profile));
    float[] hidden = s.hidden;
    long t2 = profile ? System.nanoTime() : 0;
    // Side by side the blocks' times overlap: the profile shows the first block's, its share of the wall time.
    long gemm = s.blocks[0].gemmNanos;
    long cell = s.blocks[0].cellNanos;
    if (returnSequences) {
      RnnMath.transpose(hidden, s.outHost, steps, batch, u);
      Host.write(s.out, s.outHost);
    } else {
      Host.writeFrom(s.out, hidden, (steps - 1) * batch * u, batch * u);
    }
    if (profile) {
      long t3 = System.nanoTime();
      StepProfile.detail(phase + "h·U GEMMs", gemm);
      StepProfile.detail(phase + "cell math", cell);
      StepProfile.detail(phase + "copies", t2 - t1 - gemm - cell);
      StepProfile.detail(phase + "output", t3 - t2);
    }
    last = s;
    return s.out;
  }

  /** The forward loop over the time steps for one block of rows. */
  private void recur(Sequence s, Block k, boolean profile) {
    int batch = s.batch;
    int u = units;
    int rows = k.to - k.from;
    float[] hidden = s.hidden;
    k.gemmNanos = 0;
    k.cellNanos = 0;
    for (int t = 0; t < steps; t++) {
      // The initial state is zero: the first step has no recurrent term.
      if (t > 0) {
        long g0 = profile ? System.nanoTime() : 0;
        k.gemm.run();
        if (profile) k.gemmNanos += System.nanoTime() - g0;
        Host.readInto(k.hu, s.huHost, k.from * width);
      }
      // Each block copies in its rows of the input term just before it reads them (in parallel, cache-hot).
      Host.readRange(s.zx, (t * batch + k.from) * width, s.zxHost, rows * width);
      long c0 = profile ? System.nanoTime() : 0;
      cellForward(s, t, k.from, k.to);
      if (s.keep != null) {
        for (int r = k.from; r < k.to; r++) {
          if (s.carried(t, r)) carryRow(hidden, t, r, batch, u);
        }
      }
      if (profile) k.cellNanos += System.nanoTime() - c0;
      if (t + 1 < steps) Host.writeFrom(k.h, hidden, (t * batch + k.from) * u, rows * u);
    }
  }

  /** Backpropagation through time for one block of rows: the gradients of their pre-activations at every step. */
  private void recurBackward(Sequence s, Block k, boolean profile) {
    int batch = s.batch;
    int u = units;
    int g = width;
    int rows = k.to - k.from;
    int hFrom = k.from * u;
    int hTo = k.to * u;
    float[] dOutHost = s.dOutHost;
    float[] dh = s.dhHost;
    float[] carry = s.carry;
    k.gemmNanos = 0;
    k.cellNanos = 0;
    for (int t = steps - 1; t >= 0; t--) {
      // dh of this step: the output's gradient, the recurrent term drec(t+1)·Uᵀ and the carried part.
      if (t < steps - 1) {
        long g0 = profile ? System.nanoTime() : 0;
        k.backGemm.run();
        if (profile) k.gemmNanos += System.nanoTime() - g0;
        Host.readInto(k.dhRecurrent, dh, hFrom);
        for (int i = hFrom; i < hTo; i++) dh[i] += carry[i];
      } else {
        System.arraycopy(carry, hFrom, dh, hFrom, rows * u);
      }
      long c0 = profile ? System.nanoTime() : 0;
      if (returnSequences) {
        addStepGradient(dh, dOutHost, t, k.from, k.to);
      } else if (t == steps - 1) {
        for (int i = hFrom; i < hTo; i++) dh[i] += dOutHost[i];
      }
      Arrays.fill(carry, hFrom, hTo, 0f);
      cellBackward(s, t, k.from, k.to);
      if (s.keep != null) {
        for (int r = k.from; r < k.to; r++) {
          if (!s.carried(t, r)) continue;
          int row = (t * batch + r) * g;
          Arrays.fill(s.dzxHost, row, row + g, 0f);
          if (!sharedGradient()) Arrays.fill(s.drecHost, row, row + g, 0f);
          System.arraycopy(dh, r * u, carry, r * u, u);
        }
      }
      if (profile) k.cellNanos += System.nanoTime() - c0;
      if (t > 0) Host.writeFrom(k.drecStep, s.drecHost, (t * batch + k.from) * g, rows * g);
    }
  }

  /** Adds step t's rows [from, to) of a batch-major (batch, steps, units) output gradient to dh (batch, units). */
  private void addStepGradient(float[] dh, float[] dOut, int t, int from, int to) {
    int u = units;
    for (int r = from; r < to; r++) {
      int o = (r * steps + t) * u;
      int d = r * u;
      for (int j = 0; j < u; j++) dh[d + j] += dOut[o + j];
    }
  }

  /** A masked row keeps step t−1's values (zero at the first step) in a time-major array of the given width. */
  static void carryRow(float[] a, int t, int r, int batch, int width) {
    int at = (t * batch + r) * width;
    if (t == 0) Arrays.fill(a, at, at + width, 0f);
    else System.arraycopy(a, at - batch * width, a, at, width);
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    Sequence s = last;
    int batch = s.batch;
    int u = units;
    int g = width;
    boolean profile = StepProfile.ON;
    long t0 = profile ? System.nanoTime() : 0;
    Host.read(dOut, s.dOutHost);
    Arrays.fill(s.carry, 0f);
    beginBackward(s);
    RowBlocks.runEach(s.blocks.length, k -> recurBackward(s, s.blocks[k], profile));
    long gemm = s.blocks[0].gemmNanos;
    long cell = s.blocks[0].cellNanos;
    Host.write(s.dzx, s.dzxHost);
    long t1 = profile ? System.nanoTime() : 0;
    if (profile) {
      StepProfile.detail("rnn bwd dh·Uᵀ GEMMs", gemm);
      StepProfile.detail("rnn bwd cell math", cell);
      StepProfile.detail("rnn bwd copies", t1 - t0 - gemm - cell);
    }
    if (weightGrads) {
      s.kernelGradGemm.run();
      if (!sharedGradient()) Host.write(s.drec, s.drecHost);
      // h(t-1) per row, zero for the first step.
      float[] hPrev = s.hPrevHost;
      Arrays.fill(hPrev, 0, batch * u, 0f);
      System.arraycopy(s.hidden, 0, hPrev, batch * u, (steps - 1) * batch * u);
      Host.write(s.hPrev, hPrev);
      s.recurrentGradGemm.run();
      recurrentGradientExtra(s, dRecurrent);
      if (dBias != null) {
        Arrays.fill(dBiasHost, 0f);
        biasGradient(s, dBiasHost);
        Host.write(dBias, dBiasHost);
      }
    }
    long t2 = profile ? System.nanoTime() : 0;
    if (profile) StepProfile.detail("rnn bwd weight GEMMs", t2 - t1);
    if (!inputGrad) return null;
    s.inputGradGemm.run();
    Host.read(s.dxSeq, s.xTimeMajor);
    reorder(s.dxHost, s.xTimeMajor, batch, features, false);
    Host.write(s.dIn, s.dxHost);
    if (profile) StepProfile.detail("rnn bwd input gradient", System.nanoTime() - t2);
    return s.dIn;
  }

  /** Adds what the cell's recurrent kernel gets besides {@code h₋₁ᵀ·drec} (nothing, but for GRU's reset_after=False). */
  void recurrentGradientExtra(Sequence s, INDArray dRecurrent) {}

  /** The bias gradient, into a zeroed array: by default the column sums of {@code dzx}. */
  void biasGradient(Sequence s, float[] into) {
    columnSums(s.dzxHost, s.batch * steps, width, into, 0);
  }

  /** Adds the column sums of an (rows, width) array to {@code into[offset ..]}. */
  static void columnSums(float[] a, int rows, int width, float[] into, int offset) {
    for (int p = 0; p < rows; p++) {
      int z = p * width;
      for (int k = 0; k < width; k++) into[offset + k] += a[z + k];
    }
  }
}

package dln.runtime.train.fast;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a Dense layer does around its GEMMs, in one Java pass each way instead of four to six ND4J
 * ops: forward, bias + relu (or linear) + an absorbed Dropout's mask; backward, the gradient times
 * relu's derivative and the mask, and the bias gradient as a column sum. Each ND4J op on a batch's
 * activations (128 × 512) costs 50–150 µs of dispatch and OpenMP wake-ups for a few µs of
 * arithmetic.
 *
 * <p>The activations are processed in blocks of rows (≈ 64 KiB) copied between native memory and
 * small Java arrays, so each value crosses main memory once each way however large the batch; the
 * loops over a block are written for the JIT's vectoriser (≈ 0.2–0.4 ns per value instead of
 * 3 ns): no branches, and every array indexed alike — the bias is copied out to one row per
 * block row, and the dropout factors to a block array, because a loop reading {@code bias[c]} while
 * writing {@code values[row + c]} is not vectorised (the JIT cannot rule out that the two arrays
 * are one).
 *
 * <p>Forward is {@code out = max(z + b, 0) · d} (relu) or {@code (z + b) · d} (linear), with
 * {@code d} the dropout factors ({@code 1/keep} or 0): exactly the reference's relu-then-dropout.
 * Backward needs no stored mask for relu: {@code out > 0} exactly where both relu and dropout passed
 * the value, so {@code dz = dOut · [out > 0] · (1/keep)}, reading {@code out} back from the layer's
 * output buffer.
 */
final class DenseEpilogue {
  /**
   * Largest activation (values) handled here; larger ones stay on ND4J's multi-threaded ops. Not
   * final so tests can run the ND4J path on small layers.
   */
  static long maxValues = 1 << 24;

  /** Values per block (64 KiB of floats). */
  private static final int BLOCK_VALUES = 1 << 14;

  private final int rows;
  private final int units;
  private final int blockRows;
  /** A block of values (forward: z then out; backward: the gradient). */
  private final float[] block;
  /** Backward: a block of the forward's output. */
  private final float[] outBlock;
  /** The bias copied to every row of a block. */
  private final float[] biasBlock;
  /** A block of dropout factors. */
  private final float[] dropoutBlock;
  /** The whole batch's dropout factors, allocated when a Dropout is first absorbed. */
  private float[] dropout;
  private boolean relu;
  private boolean withDropout;
  private float dropoutScale;
  /** The output buffer of the last forward (read back by the backward pass). */
  private INDArray lastOut;

  DenseEpilogue(int rows, int units) {
    this.rows = rows;
    this.units = units;
    this.blockRows = Math.max(1, Math.min(rows, BLOCK_VALUES / Math.max(1, units)));
    int blockLength = blockRows * units;
    this.block = new float[blockLength];
    this.outBlock = new float[blockLength];
    this.biasBlock = new float[blockLength];
    this.dropoutBlock = new float[blockLength];
  }

  /** True when an activation of this many values runs here. */
  static boolean applies(Act act, boolean fusedHead, long values) {
    return values <= maxValues && (fusedHead || act == Act.RELU || act == Act.LINEAR);
  }

  /** The reused dropout-mask array (the whole batch) for the absorbed Dropout layer to fill. */
  float[] dropoutMask() {
    if (dropout == null) dropout = new float[rows * units];
    return dropout;
  }

  /**
   * {@code target = act(z + bias) · d}: relu or linear, and the dropout factors {@code d} from
   * {@link #dropoutMask()} (filled with factors {@code 0} or {@code scale}) when {@code scale > 0}.
   * {@code target} may be {@code z}.
   */
  void forward(INDArray z, float[] bias, boolean relu, float scale, INDArray target) {
    this.relu = relu;
    this.withDropout = scale > 0;
    this.dropoutScale = withDropout ? scale : 1f;
    this.lastOut = target;
    float[] b = biasRows(bias);
    float[] v = block;
    float[] d = dropoutBlock;
    long total = (long) rows * units;
    for (long off = 0; off < total; off += v.length) {
      int n = (int) Math.min(v.length, total - off);
      Host.read(z, off, v, n);
      if (withDropout) System.arraycopy(dropout, (int) off, d, 0, n);
      if (relu && withDropout) {
        reluDropout(v, b, d, n);
      } else if (relu) {
        relu(v, b, n);
      } else if (withDropout) {
        linearDropout(v, b, d, n);
      } else {
        linear(v, b, n);
      }
      Host.write(target, off, v, n);
    }
  }

  /**
   * Before a fused loss head: {@code z += bias}, and when {@code act} is not null also
   * {@code out = act(z)} (softmax or sigmoid, row by row in each block: outside training, where no
   * loss head computes it). Backward then only sums the bias gradient.
   */
  void forwardHead(INDArray z, float[] bias, Act act, INDArray out) {
    this.relu = false;
    this.withDropout = false;
    this.dropoutScale = 1f;
    this.lastOut = z;
    float[] b = biasRows(bias);
    float[] v = block;
    long total = (long) rows * units;
    for (long off = 0; off < total; off += v.length) {
      int n = (int) Math.min(v.length, total - off);
      Host.read(z, off, v, n);
      linear(v, b, n);
      Host.write(z, off, v, n);
      if (act != null) {
        SmallDense.activate(act, v, v, n / units, units);
        Host.write(out, off, v, n);
      }
    }
  }

  /** The bias copied to every row of a block (zeros without a bias). */
  private float[] biasRows(float[] bias) {
    float[] b = biasBlock;
    if (bias != null) {
      for (int r = 0; r < blockRows; r++) System.arraycopy(bias, 0, b, r * units, units);
    } else {
      Arrays.fill(b, 0f);
    }
    return b;
  }

  /**
   * Turns {@code dOut} (the gradient of the output; overwritten) into the gradient of the
   * pre-activation and, when {@code dBias} is not null, writes the bias gradient (column sums).
   */
  void backward(INDArray dOut, INDArray dBias, float[] dBiasHost) {
    boolean scales = relu || withDropout;
    if (!scales && dBias == null) return;
    if (dBias != null) Arrays.fill(dBiasHost, 0f);
    float[] g = block;
    float[] o = outBlock;
    float[] d = dropoutBlock;
    float s = dropoutScale;
    long total = (long) rows * units;
    for (long off = 0; off < total; off += g.length) {
      int n = (int) Math.min(g.length, total - off);
      Host.read(dOut, off, g, n);
      if (relu) {
        Host.read(lastOut, off, o, n);
        reluBackward(g, o, s, n);
      } else if (withDropout) {
        System.arraycopy(dropout, (int) off, d, 0, n);
        multiply(g, d, n);
      }
      if (scales) Host.write(dOut, off, g, n);
      if (dBias != null) {
        int u = units;
        for (int r = 0; r < n; r += u) {
          for (int c = 0; c < u; c++) dBiasHost[c] += g[r + c];
        }
      }
    }
    if (dBias != null) Host.write(dBias, dBiasHost);
  }

  // Each loop in a method of its own: the JIT compiles it when it gets hot, whichever mix of
  // training and inference calls it (one method with all the loops would be compiled for the
  // branches training takes, then fall back to the interpreter at the first prediction).

  private static void reluDropout(float[] v, float[] b, float[] d, int n) {
    for (int i = 0; i < n; i++) v[i] = Math.max(v[i] + b[i], 0f) * d[i];
  }

  private static void relu(float[] v, float[] b, int n) {
    for (int i = 0; i < n; i++) v[i] = Math.max(v[i] + b[i], 0f);
  }

  private static void linearDropout(float[] v, float[] b, float[] d, int n) {
    for (int i = 0; i < n; i++) v[i] = (v[i] + b[i]) * d[i];
  }

  private static void linear(float[] v, float[] b, int n) {
    for (int i = 0; i < n; i++) v[i] += b[i];
  }

  /** {@code g · [out > 0] · s} without a branch: out ≥ 0, and any positive float times MAX_VALUE² is +∞. */
  private static void reluBackward(float[] g, float[] out, float s, int n) {
    for (int i = 0; i < n; i++) g[i] = g[i] * Math.min(out[i] * Float.MAX_VALUE * Float.MAX_VALUE, 1f) * s;
  }

  private static void multiply(float[] g, float[] d, int n) {
    for (int i = 0; i < n; i++) g[i] *= d[i];
  }
}

package dln.runtime.train.fast;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a Dense layer does around its GEMMs, in one Java pass each way instead of four to six ND4J
 * ops: forward, bias + relu (or linear) + an absorbed Dropout's mask; backward, the gradient times
 * relu's derivative and the mask, and the bias gradient as a column sum. Each ND4J op on a batch's
 * activations (128 × 512) costs 50–150 µs of dispatch and OpenMP wake-ups for a few µs of
 * arithmetic; the passes here are one copy in, a loop and one copy out.
 *
 * <p>The loops are written for the JIT's vectoriser (≈ 0.2–0.4 ns per value instead of 3 ns): no
 * branches, and every array indexed alike — the bias is first copied out to one row per sample,
 * because a loop reading {@code bias[c]} while writing {@code values[row + c]} is not vectorised
 * (the JIT cannot rule out that the two arrays are one). Forward is {@code out = max(z + b, 0) · d}
 * (relu) or {@code (z + b) · d} (linear), with {@code d} the dropout factors ({@code 1/keep} or 0),
 * exactly the reference's relu-then-dropout. Backward needs no stored mask for relu:
 * {@code out > 0} exactly where both relu and dropout passed the value, so
 * {@code dz = dOut · [out > 0] · (1/keep)}.
 */
final class DenseEpilogue {
  /**
   * Largest activation (values) handled here; larger ones stay on ND4J's multi-threaded ops. Not
   * final so tests can run the ND4J path on small layers.
   */
  static long maxValues = 1 << 20;

  private final int rows;
  private final int units;
  /** The output of the last forward (read by the backward pass). */
  private final float[] out;
  /** The gradient being transformed in the backward pass. */
  private final float[] grad;
  /** The bias copied to every row. */
  private final float[] biasRows;
  private final float[] dropout;
  private boolean relu;
  private boolean withDropout;
  private float dropoutScale;

  DenseEpilogue(int rows, int units) {
    this.rows = rows;
    this.units = units;
    this.out = new float[rows * units];
    this.grad = new float[rows * units];
    this.biasRows = new float[rows * units];
    this.dropout = new float[rows * units];
  }

  /** True when an activation of this many values runs here. */
  static boolean applies(Act act, boolean fusedHead, long values) {
    return values <= maxValues && (fusedHead || act == Act.RELU || act == Act.LINEAR);
  }

  /** The reused dropout-mask array for the absorbed Dropout layer to fill. */
  float[] dropoutMask() {
    return dropout;
  }

  /**
   * {@code target = act(z + bias) · d}: relu or linear, and the dropout factors {@code d} from
   * {@link #dropoutMask()} (filled with factors {@code 0} or {@code scale}) when {@code scale > 0}.
   * {@code target} may be {@code z}. (Before a fused loss head, which applies the activation itself:
   * linear, no dropout.)
   */
  void forward(INDArray z, float[] bias, boolean relu, float scale, INDArray target) {
    this.relu = relu;
    this.withDropout = scale > 0;
    this.dropoutScale = withDropout ? scale : 1f;
    float[] v = out;
    Host.read(z, v);
    float[] b = biasRows;
    if (bias != null) {
      for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, b, r * units, units);
    } else {
      Arrays.fill(b, 0f);
    }
    float[] d = dropout;
    int n = v.length;
    if (relu && withDropout) {
      for (int i = 0; i < n; i++) v[i] = Math.max(v[i] + b[i], 0f) * d[i];
    } else if (relu) {
      for (int i = 0; i < n; i++) v[i] = Math.max(v[i] + b[i], 0f);
    } else if (withDropout) {
      for (int i = 0; i < n; i++) v[i] = (v[i] + b[i]) * d[i];
    } else {
      for (int i = 0; i < n; i++) v[i] += b[i];
    }
    Host.write(target, v);
  }

  /**
   * Turns {@code dOut} (the gradient of the output; overwritten) into the gradient of the
   * pre-activation and, when {@code dBias} is not null, writes the bias gradient (column sums).
   */
  void backward(INDArray dOut, INDArray dBias, float[] dBiasHost) {
    if (!relu && !withDropout && dBias == null) return;
    float[] g = grad;
    Host.read(dOut, g);
    int n = g.length;
    if (relu) {
      // [out > 0] without a branch: out ≥ 0, and any positive float times MAX_VALUE² is +∞.
      float[] o = out;
      float s = dropoutScale;
      for (int i = 0; i < n; i++) g[i] = g[i] * Math.min(o[i] * Float.MAX_VALUE * Float.MAX_VALUE, 1f) * s;
    } else if (withDropout) {
      float[] d = dropout;
      for (int i = 0; i < n; i++) g[i] *= d[i];
    }
    if (relu || withDropout) Host.write(dOut, g);
    if (dBias != null) {
      Arrays.fill(dBiasHost, 0f);
      int u = units;
      for (int r = 0, o = 0; r < rows; r++, o += u) {
        for (int c = 0; c < u; c++) dBiasHost[c] += g[o + c];
      }
      Host.write(dBias, dBiasHost);
    }
  }
}

package dln.runtime.train.fast;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a Dense layer does around its GEMMs, in one Java pass each way instead of four to six ND4J
 * ops: forward, bias + relu (or linear) + an absorbed Dropout's mask; backward, the gradient times
 * the combined mask and the bias gradient as a column sum. Each ND4J op on a batch's activations
 * (128 × 512) costs 50–150 µs of dispatch and OpenMP wake-ups for a few µs of arithmetic; the pass
 * here is one copy in, one loop and one copy out.
 *
 * <p>The combined mask {@code m} holds, per value, the factor its gradient is multiplied by: for
 * relu {@code (z > 0)} times the dropout factor ({@code 1/keep} or 0), for linear the dropout factor.
 * Then forward is {@code out = max(z, 0) · d} (relu) or {@code z · d} (linear), exactly the reference's
 * relu-then-dropout, and backward is {@code dz = dOut · m}.
 */
final class DenseEpilogue {
  /**
   * Largest activation (values) handled here; larger ones stay on ND4J's multi-threaded ops. Not
   * final so tests can run the ND4J path on small layers.
   */
  static long maxValues = 1 << 20;

  private final int rows;
  private final int units;
  private final float[] values;
  private final float[] mask;
  private final float[] dropout;
  /** True when the last forward left a mask to apply (relu, or an active dropout). */
  private boolean masked;

  DenseEpilogue(int rows, int units) {
    this.rows = rows;
    this.units = units;
    this.values = new float[rows * units];
    this.mask = new float[rows * units];
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
   * {@code out = act(z + bias) · d}: relu or linear {@code act}, and the dropout factors {@code d}
   * from {@link #dropoutMask()} when {@code withDropout}; {@code out} may be {@code z}. (Before a
   * fused loss head, which applies the activation itself: linear, no dropout, {@code out == z}.)
   */
  void forward(INDArray z, float[] bias, boolean relu, boolean withDropout, INDArray out) {
    float[] v = values;
    Host.read(z, v);
    int u = units;
    if (bias != null) {
      for (int r = 0, o = 0; r < rows; r++, o += u) {
        for (int c = 0; c < u; c++) v[o + c] += bias[c];
      }
    }
    int n = v.length;
    float[] m = mask;
    float[] d = dropout;
    if (relu) {
      // Branch-free (half the signs are negative: a branch would be mispredicted half the time,
      // which costs more than the arithmetic): keep is all ones exactly when x > 0, and the
      // masked values are +0, as relu gives.
      for (int i = 0; i < n; i++) {
        float x = v[i];
        int keep = (int) (-(long) Float.floatToRawIntBits(x) >> 63);
        float f = withDropout ? d[i] : 1f;
        m[i] = Float.intBitsToFloat(Float.floatToRawIntBits(f) & keep);
        v[i] = Float.intBitsToFloat(Float.floatToRawIntBits(x * f) & keep);
      }
      masked = true;
    } else if (withDropout) {
      for (int i = 0; i < n; i++) v[i] *= d[i];
      System.arraycopy(d, 0, m, 0, n);
      masked = true;
    } else {
      masked = false;
    }
    Host.write(out, v);
  }

  /**
   * Turns {@code grad} (the gradient of the output, overwritten) into the gradient of the
   * pre-activation and, when {@code dBias} is not null, writes the bias gradient (column sums).
   */
  void backward(INDArray grad, INDArray dBias, float[] dBiasHost) {
    float[] g = values;
    Host.read(grad, g);
    int n = g.length;
    if (masked) {
      float[] m = mask;
      for (int i = 0; i < n; i++) g[i] *= m[i];
      Host.write(grad, g);
    }
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

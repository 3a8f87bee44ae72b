package dln.runtime.train.fast;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The patch matrix of a channels-last convolution and its adjoint, on the host. Row {@code (n, oy,
 * ox)} of the matrix holds the input patch under output pixel (oy, ox) of image n, in the order
 * (ky, kx, channel): the row order of a Keras kernel [kH, kW, inC, outC] seen as a [kH·kW·inC,
 * outC] matrix, so the weight gradient is one GEMM {@code colsᵀ·dZ} and the patch gradient
 * {@code dZ·Wᵀ}. Each kernel row of a patch is one contiguous run of kW·inC input values (the
 * input pixels (iy, ix … ix + kW − 1) lie side by side in NHWC), so a patch row is at most kH bulk
 * copies, from and to native memory directly.
 */
final class Im2Col {
  private final int h;
  private final int w;
  private final int c;
  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final int top;
  private final int left;
  private final int oh;
  private final int ow;

  /** Keras's padding: 'same' puts the odd cell at the bottom / right, as libnd4j's conv2d does. */
  Im2Col(long[] inSample, long[] outSample, int[] k, int[] strides, boolean same) {
    this.h = (int) inSample[0];
    this.w = (int) inSample[1];
    this.c = (int) inSample[2];
    this.oh = (int) outSample[0];
    this.ow = (int) outSample[1];
    this.kh = k[0];
    this.kw = k[1];
    this.sh = strides[0];
    this.sw = strides[1];
    this.top = same ? Math.max((oh - 1) * sh + kh - h, 0) / 2 : 0;
    this.left = same ? Math.max((ow - 1) * sw + kw - w, 0) / 2 : 0;
  }

  /** Values per patch row: kH·kW·inC. */
  int patch() {
    return kh * kw * c;
  }

  /** Patch rows for a batch of {@code n} images (one per output pixel). */
  long rows(long n) {
    return n * oh * ow;
  }

  /** The valid kernel columns [kx0, kx1) at output column ox (the rest fall in the padding). */
  private int kx0(int ox) {
    return Math.max(0, left - ox * sw);
  }

  private int kx1(int ox) {
    return Math.min(kw, w + left - ox * sw);
  }

  /** Writes the patch matrix of the NHWC images {@code x} (host values of {@code n} images) into {@code cols}. */
  void fill(float[] x, INDArray cols, int n) {
    FloatBuffer out = floats(cols);
    int patch = patch();
    float[] zeros = new float[kw * c];
    byImages(n, img -> {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int kx0 = kx0(ox);
          int kx1 = Math.max(kx0, kx1(ox));
          int row = (img * oh + oy) * ow + ox;
          for (int ky = 0; ky < kh; ky++) {
            int at = row * patch + ky * kw * c;
            int iy = oy * sh + ky - top;
            if (iy < 0 || iy >= h || kx1 == kx0) {
              out.put(at, zeros, 0, kw * c);
              continue;
            }
            // Padding cells are written as zeros each time: the buffer also holds the patch gradient between batches.
            if (kx0 > 0) out.put(at, zeros, 0, kx0 * c);
            out.put(at + kx0 * c, x, ((img * h + iy) * w + ox * sw + kx0 - left) * c, (kx1 - kx0) * c);
            if (kx1 < kw) out.put(at + kx1 * c, zeros, 0, (kw - kx1) * c);
          }
        }
      }
    });
  }

  /** Adds every patch row's gradient {@code dCols} back onto the input pixels it was read from, into {@code dx} (zeroed here). */
  void accumulate(INDArray dCols, float[] dx, int n) {
    FloatBuffer in = floats(dCols);
    int patch = patch();
    byImages(n, img -> {
      float[] run = new float[kw * c];
      java.util.Arrays.fill(dx, img * h * w * c, (img + 1) * h * w * c, 0f);
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int kx0 = kx0(ox);
          int len = (kx1(ox) - kx0) * c;
          if (len <= 0) continue;
          int row = (img * oh + oy) * ow + ox;
          for (int ky = 0; ky < kh; ky++) {
            int iy = oy * sh + ky - top;
            if (iy < 0 || iy >= h) continue;
            in.get(row * patch + (ky * kw + kx0) * c, run, 0, len);
            int o = ((img * h + iy) * w + ox * sw + kx0 - left) * c;
            for (int i = 0; i < len; i++) dx[o + i] += run[i];
          }
        }
      }
    });
  }

  /** Images split over the cores (each image's input gradient is written by one thread only). */
  private static void byImages(int n, java.util.function.IntConsumer image) {
    IntStream.range(0, n).parallel().forEach(image);
  }

  /** A plain float array's native values as a buffer (absolute bulk gets and puts, no staging copy). */
  private static FloatBuffer floats(INDArray a) {
    if (!Host.isPlain(a)) throw new IllegalStateException("engine buffers are plain arrays");
    return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}

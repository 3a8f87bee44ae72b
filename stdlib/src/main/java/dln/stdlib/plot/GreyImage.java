package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A grey picture with levels in 0..1 (0 black, 1 white), row-major. Built from tensors of any value
 * range; see {@link Scaling} for how values become grey levels.
 */
public record GreyImage(int rows, int cols, double[] levels) {
  /** How raw values become grey levels. */
  public enum Scaling {
    /**
     * Values already in 0..1 stay as they are; non-negative values above 1 are read as 0..255
     * pixels; anything else (negative values) is stretched min..max. Right for data sets.
     */
    AUTO,
    /** Always stretch min..max to black..white. Right for kernels and activations. */
    MIN_MAX
  }

  public GreyImage {
    if (levels.length != rows * cols) throw new IllegalArgumentException(rows + "x" + cols + " != " + levels.length);
  }

  public double at(int r, int c) {
    return levels[r * cols + c];
  }

  /** Raw values (row-major) scaled to grey levels. */
  public static GreyImage of(int rows, int cols, double[] values, Scaling scaling) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double from = 0, to = 1;
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    if (scaling == Scaling.MIN_MAX || lo < 0) {
      from = lo;
      to = hi;
    } else if (hi > 1) {
      to = 255;
    }
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      out[i] = !Double.isFinite(v) ? 0 : to == from ? (from > 0 ? 1 : 0) : clamp((v - from) / (to - from));
    }
    return new GreyImage(rows, cols, out);
  }

  public static GreyImage of(double[][] pixels, Scaling scaling) {
    int rows = pixels.length, cols = rows == 0 ? 0 : pixels[0].length;
    double[] flat = new double[rows * cols];
    for (int r = 0; r < rows; r++) System.arraycopy(pixels[r], 0, flat, r * cols, cols);
    return of(rows, cols, flat, scaling);
  }

  /**
   * One image from a tensor: [h, w], [h, w, 1], [1, h, w], [h, w, 3] (shown as grey), or a flat
   * square vector such as [784] (28 x 28).
   */
  public static GreyImage of(INDArray t, Scaling scaling) {
    long[] s = squeezeLeading(t.shape(), 3);
    if (s.length == 1 || (s.length == 2 && s[0] == 1)) {
      long n = s[s.length - 1];
      int side = (int) Math.round(Math.sqrt(n));
      if ((long) side * side != n) {
        throw DlnRuntimeException.shape("cannot show a vector of " + n + " values as a square picture",
            "reshape it first, e.g. reshape(x, (28, 28))");
      }
      return of(side, side, doubles(t), scaling);
    }
    if (s.length == 2) return of((int) s[0], (int) s[1], doubles(t), scaling);
    if (s.length == 3 && (s[2] == 1 || s[2] == 3)) {
      double[] v = doubles(t);
      int c = (int) s[2];
      double[] grey = new double[(int) (s[0] * s[1])];
      for (int i = 0; i < grey.length; i++) {
        double sum = 0;
        for (int k = 0; k < c; k++) sum += v[i * c + k];
        grey[i] = sum / c;
      }
      return of((int) s[0], (int) s[1], grey, scaling);
    }
    throw DlnRuntimeException.shape("cannot show a tensor of shape " + Arrays.toString(t.shape()) + " as one picture",
        "give [height, width] or [height, width, 1]; for several pictures give a batch [n, height, width]");
  }

  /**
   * A batch of images: [n, h, w, 1|3], [n, h, w], or [n, h*w] with h*w square (e.g. [16, 784]). A
   * single image ([h, w], [h, w, 1], a flat [784]) gives a list of one. A square [h, h] counts as one
   * image; [a, b] with a square b is read as a rows of flattened images.
   */
  public static List<GreyImage> batch(INDArray t, Scaling scaling) {
    long[] s = t.shape();
    boolean single = switch (s.length) {
      case 0, 1 -> true;
      case 2 -> s[0] == s[1] || !(isSquare(s[1]) && s[1] >= 4);
      case 3 -> (s[2] == 1 || s[2] == 3) && s[0] > 3 && s[1] > 3;
      case 4 -> false;
      default -> throw DlnRuntimeException.shape("cannot show a tensor of shape " + Arrays.toString(s) + " as pictures",
          "give one picture [height, width] or a batch [n, height, width] / [n, height, width, 1]");
    };
    if (single) return List.of(of(t, scaling));
    List<GreyImage> out = new ArrayList<>();
    for (long i = 0; i < s[0]; i++) out.add(of(s.length == 2 ? t.getRow(i) : t.slice(i), scaling));
    return out;
  }

  private static boolean isSquare(long n) {
    long side = Math.round(Math.sqrt(n));
    return side * side == n;
  }

  private static long[] squeezeLeading(long[] shape, int maxRank) {
    int start = 0;
    while (shape.length - start > 2 && shape[start] == 1 && shape.length - start > maxRank - 1) start++;
    return Arrays.copyOfRange(shape, start, shape.length);
  }

  static double[] doubles(INDArray t) {
    return t.castTo(DataType.DOUBLE).dup('c').reshape(t.length()).toDoubleVector();
  }

  /** Nearest-neighbour upscaling by an integer factor. */
  public GreyImage scaled(int factor) {
    if (factor <= 1) return this;
    double[] out = new double[rows * factor * cols * factor];
    int w = cols * factor;
    for (int r = 0; r < rows * factor; r++) {
      for (int c = 0; c < w; c++) out[r * w + c] = at(r / factor, c / factor);
    }
    return new GreyImage(rows * factor, w, out);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}

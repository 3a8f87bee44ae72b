package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import java.util.Arrays;

/**
 * Shape arithmetic shared by the tensor operations: numpy's broadcasting rule, axis normalisation,
 * and shapes written the way users see them, {@code (2, 3)}.
 */
public final class Shapes {
  private Shapes() {}

  /** A shape as a Python tuple: {@code ()}, {@code (4,)}, {@code (2, 3)}. */
  public static String str(long[] shape) {
    if (shape.length == 1) return "(" + shape[0] + ",)";
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(shape[i]);
    }
    return sb.append(')').toString();
  }

  /** Number of elements of a shape (1 for the scalar shape {@code ()}). */
  public static long size(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  /**
   * The shape numpy broadcasting gives two operands: axes are matched from the right and each pair
   * must be equal or contain a 1.
   */
  public static long[] broadcast(long[] a, long[] b) {
    long[] out = tryBroadcast(a, b);
    if (out == null) {
      throw DlnRuntimeException.shape("cannot broadcast shapes " + str(a) + " and " + str(b),
          "matching axes from the right, each pair of sizes must be equal or one of them must be 1");
    }
    return out;
  }

  /** Like {@link #broadcast} but returns null instead of failing. */
  static long[] tryBroadcast(long[] a, long[] b) {
    int n = Math.max(a.length, b.length);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long da = i < n - a.length ? 1 : a[i - (n - a.length)];
      long db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da == db || db == 1) {
        out[i] = da;
      } else if (da == 1) {
        out[i] = db;
      } else {
        return null;
      }
    }
    return out;
  }

  /** True when a value of shape {@code from} can be broadcast to exactly {@code to}. */
  static boolean broadcastsTo(long[] from, long[] to) {
    long[] r = tryBroadcast(from, to);
    return r != null && Arrays.equals(r, to);
  }

  /** An axis that may be negative (counting from the end), checked against the rank. */
  public static int axis(int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw DlnRuntimeException.value("axis " + axis + " is out of range for a tensor with " + rank
          + " dimension" + (rank == 1 ? "" : "s"),
          rank == 0 ? "a scalar has no axes" : "valid axes are 0 to " + (rank - 1) + ", or -" + rank + " to -1");
    }
    return a;
  }

  /** Normalised, duplicate-free axes; null means every axis. */
  static int[] axes(int[] axesOrNull, int rank) {
    if (axesOrNull == null) {
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) all[i] = i;
      return all;
    }
    int[] out = new int[axesOrNull.length];
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < out.length; i++) {
      out[i] = axis(axesOrNull[i], rank);
      if (seen[out[i]]) throw DlnRuntimeException.value("axis " + axesOrNull[i] + " is given twice");
      seen[out[i]] = true;
    }
    Arrays.sort(out);
    return out;
  }

  static long[] prependOnes(long[] shape, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
    return out;
  }
}

package dln.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * Shapes, concrete and symbolic. Concrete shapes are a tensor's: numpy's broadcasting rule, axis
 * normalisation, written as Python tuples by {@link #str}. Symbolic shapes are a layer's: a
 * {@code long[]} whose first entry is the batch size, {@link #UNKNOWN} (-1) for "any", written with
 * {@code None} like Keras by {@link #format(long[])}.
 */
public final class Shapes {
  private Shapes() {}

  // ---------------------------------------------------------------- symbolic shapes (layers)

  /** The unknown (batch) dimension. */
  public static final long UNKNOWN = -1;

  /** Keras-style text: {@code (None, 28, 28, 1)}. */
  public static String format(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(shape[i] < 0 ? "None" : Long.toString(shape[i]));
    }
    if (shape.length == 1) sb.append(",");
    return sb.append(")").toString();
  }

  /** Several shapes: one alone prints as itself, several as a list. */
  public static String format(List<long[]> shapes) {
    if (shapes.size() == 1) return format(shapes.get(0));
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shapes.size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(format(shapes.get(i)));
    }
    return sb.append("]").toString();
  }

  /** Prepends the unknown batch dimension to a per-sample shape. */
  public static long[] withBatch(long[] sampleShape) {
    long[] s = new long[sampleShape.length + 1];
    s[0] = UNKNOWN;
    System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
    return s;
  }

  /** Drops the batch dimension. */
  public static long[] sample(long[] shape) {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** Replaces the batch dimension with a concrete size. */
  public static long[] withBatchSize(long[] shape, long batch) {
    long[] s = shape.clone();
    s[0] = batch;
    return s;
  }

  /** Product of the dimensions after the batch. */
  public static long sampleSize(long[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) n *= shape[i];
    return n;
  }

  /** True when both shapes agree on everything but the batch dimension. */
  public static boolean sameSample(long[] a, long[] b) {
    if (a.length != b.length) return false;
    for (int i = 1; i < a.length; i++) if (a[i] != b[i]) return false;
    return true;
  }

  /**
   * True when shape {@code a} admits {@code b} beyond the batch axis: same rank, and each axis
   * equal or unknown ({@code None}) in either, as a model built for {@code (None, None, 8)} takes
   * sequences of any length.
   */
  public static boolean compatibleSample(long[] a, long[] b) {
    if (a.length != b.length) return false;
    for (int i = 1; i < a.length; i++) if (a[i] != b[i] && a[i] != UNKNOWN && b[i] != UNKNOWN) return false;
    return true;
  }

  /** True when an axis after the batch is unknown ({@code None}): a sequence of any length, an image of any size. */
  public static boolean hasUnknownSample(long[] shape) {
    for (int i = 1; i < shape.length; i++) if (shape[i] == UNKNOWN) return true;
    return false;
  }

  /** A size computed from an axis: unknown when that axis is ({@code None} + 2 is {@code None}). */
  public static long ifKnown(long axis, long size) {
    return axis == UNKNOWN ? UNKNOWN : size;
  }

  /** Validates a user-given per-sample shape (all dimensions positive). */
  public static long[] checkSample(long[] sampleShape, String what) {
    for (long d : sampleShape) {
      if (d <= 0) {
        throw DlnRuntimeException.value(
            what + " shape " + format(sampleShape) + " has a dimension " + d + "; every dimension must be positive",
            "give the shape of one sample without the batch, e.g. (28, 28, 1) or 784");
      }
    }
    return sampleShape;
  }

  /**
   * Validates a per-sample input shape in which an axis may be unknown ({@link #UNKNOWN}, Keras's
   * {@code None}: {@code Input(shape=(None,))} for sequences of any length), the others positive.
   */
  public static long[] checkSampleOrUnknown(long[] sampleShape, String what) {
    for (long d : sampleShape) {
      if (d <= 0 && d != UNKNOWN) {
        throw DlnRuntimeException.value(
            what + " shape " + format(sampleShape) + " has a dimension " + d + "; every dimension must be positive or None",
            "give the shape of one sample without the batch, e.g. (28, 28, 1), 784, or (None,) for sequences of any length");
      }
    }
    return sampleShape;
  }

  /** "1 × 2 × 3 = 6" style arithmetic for error messages. */
  public static String product(long[] dims) {
    if (dims.length == 0) return "1";
    StringBuilder sb = new StringBuilder();
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) sb.append(" × ");
      sb.append(dims[i]);
      n *= dims[i];
    }
    return dims.length == 1 ? sb.toString() : sb.append(" = ").append(n).toString();
  }

  // ---------------------------------------------------------------- concrete shapes (tensors)

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
  public static long[] tryBroadcast(long[] a, long[] b) {
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
  public static boolean broadcastsTo(long[] from, long[] to) {
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
  public static int[] axes(int[] axesOrNull, int rank) {
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

  public static long[] prependOnes(long[] shape, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
    return out;
  }
}

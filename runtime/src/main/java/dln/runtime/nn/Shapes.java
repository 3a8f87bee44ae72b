package dln.runtime.nn;

import dln.runtime.DlnRuntimeException;
import java.util.Arrays;
import java.util.List;

/**
 * Helpers for symbolic shapes. A symbolic shape is a {@code long[]} whose first entry is the batch
 * size, {@link #UNKNOWN} (-1) for "any", printed as {@code None} like Keras.
 */
public final class Shapes {
  /** The unknown (batch) dimension. */
  public static final long UNKNOWN = -1;

  private Shapes() {}

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

  /** A shape of a single sample (no batch) as the user wrote it, e.g. {@code (28, 28, 1)}. */
  public static String formatSample(long[] sampleShape) {
    return format(sampleShape);
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

  /** Product of all dimensions. */
  public static long size(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  /** True when both shapes agree on everything but the batch dimension. */
  public static boolean sameSample(long[] a, long[] b) {
    if (a.length != b.length) return false;
    for (int i = 1; i < a.length; i++) if (a[i] != b[i]) return false;
    return true;
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
}

package dln.runtime.train.fast;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves small arrays between native memory and Java. The loss head and the mask generator work on
 * the host because an ND4J op costs ~10–20 µs to dispatch, while a Java loop over a batch's
 * outputs (128 × 10 values) takes about a microsecond.
 */
final class Host {
  private Host() {}

  /** The values of a float array in row-major order (a copy). */
  static float[] read(INDArray a) {
    INDArray plain = plain(a);
    float[] out = new float[(int) plain.length()];
    pointer(plain).get(out);
    Reference.reachabilityFence(plain);
    return out;
  }

  /** Reads into a reused array of exactly the array's length. */
  static void read(INDArray a, float[] into) {
    INDArray plain = plain(a);
    checkFits(plain, 0, into.length);
    pointer(plain).get(into);
    Reference.reachabilityFence(plain);
  }

  /** Overwrites a plain (non-view, row-major) float array owned by the engine. */
  static void write(INDArray a, float[] values) {
    // One bulk copy (DataBuffer.setData writes element by element).
    pointer(plainOrFail(a)).put(values, 0, (int) Math.min(values.length, a.length()));
    Reference.reachabilityFence(a);
  }

  /** Reads the whole of a plain array into {@code into[at ..]}. */
  static void readInto(INDArray a, float[] into, int at) {
    FloatPointer p = pointer(plainOrFail(a));
    p.get(into, at, (int) a.length());
    Reference.reachabilityFence(a);
  }

  /** Reads {@code len} values from {@code offset} of a plain array into the start of {@code into}. */
  static void read(INDArray a, long offset, float[] into, int len) {
    checkFits(a, offset, len);
    FloatPointer p = pointer(plainOrFail(a));
    p.position(p.position() + offset).get(into, 0, len);
    Reference.reachabilityFence(a);
  }

  /** Writes the first {@code len} values of {@code from} at {@code offset} of a plain array. */
  static void write(INDArray a, long offset, float[] from, int len) {
    checkFits(a, offset, len);
    FloatPointer p = pointer(plainOrFail(a));
    p.position(p.position() + offset).put(from, 0, len);
    Reference.reachabilityFence(a);
  }

  /** Overwrites a plain array with {@code len} values of {@code from} starting at {@code fromOffset} (no staging copy). */
  static void writeFrom(INDArray a, float[] from, int fromOffset, int len) {
    checkFits(a, 0, len);
    pointer(plainOrFail(a)).put(from, fromOffset, len);
    Reference.reachabilityFence(a);
  }

  /**
   * Reads values [from, from + len) of a plain array into the same positions of {@code into}: a
   * host pass over row blocks copies its own block in while it is about to read it (in parallel,
   * and cache-hot) instead of one serial copy of the whole array first.
   */
  static void readRange(INDArray a, int from, float[] into, int len) {
    checkFits(a, from, len);
    FloatPointer p = pointer(plainOrFail(a));
    p.position(p.position() + from).get(into, from, len);
    Reference.reachabilityFence(a);
  }

  /** Writes {@code values} [from, from + len) to the same positions of a plain array (see {@link #readRange}). */
  static void writeRange(INDArray a, int from, float[] values, int len) {
    checkFits(a, from, len);
    FloatPointer p = pointer(plainOrFail(a));
    p.position(p.position() + from).put(values, from, len);
    Reference.reachabilityFence(a);
  }

  private static INDArray plainOrFail(INDArray a) {
    if (!isPlain(a)) throw new IllegalStateException("engine buffers are plain arrays");
    return a;
  }

  /**
   * A copy of {@code len} values at {@code offset} stays inside the array: native memory has no
   * bounds check, so a wrong length would read or write past the buffer (a JVM crash, not an error).
   */
  private static void checkFits(INDArray a, long offset, long len) {
    if (offset < 0 || len < 0 || offset + len > a.length()) {
      throw new IllegalStateException("host copy of " + len + " values at " + offset + " does not fit an array of " + a.length());
    }
  }

  // The array is kept reachable (Reference.reachabilityFence) until its raw pointer's copy ends: a
  // plain copy made here is referenced by nothing else, and once collected its native memory is freed.
  private static FloatPointer pointer(INDArray a) {
    Pointer p = a.data().addressPointer();
    FloatPointer f = new FloatPointer(p);
    f.position(p.position() * p.sizeof() / Float.BYTES);
    return f;
  }

  /** The array itself when it is plain, else a plain row-major copy of it. */
  static INDArray plain(INDArray a) {
    return isPlain(a) ? a : a.dup('c');
  }

  /** The array's values in another shape of as many values: a view of a plain array (a copy made plain first otherwise). */
  static INDArray reshaped(INDArray a, long... shape) {
    return plain(a).reshape('c', shape);
  }

  /**
   * Zeroes the rows of {@code width} values of a row-major host array whose mask entry is 0 (the
   * padded steps of a (batch, steps, width) sequence, the mask batch-major as the masking steps hand it on).
   */
  static void clearPadded(float[] values, float[] keep, int width) {
    for (int p = 0; p < keep.length; p++) {
      if (keep[p] == 0f) java.util.Arrays.fill(values, p * width, (p + 1) * width, 0f);
    }
  }

  /** True when the array's buffer holds exactly its values in row-major order. */
  static boolean isPlain(INDArray a) {
    return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length();
  }
}

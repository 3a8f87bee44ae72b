package dln.runtime.train.fast;

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
    INDArray plain = isPlain(a) ? a : a.dup('c');
    return plain.data().asFloat();
  }

  /** Overwrites a plain (non-view, row-major) float array owned by the engine. */
  static void write(INDArray a, float[] values) {
    if (!isPlain(a)) throw new IllegalStateException("engine buffers are plain arrays");
    a.data().setData(values);
  }

  /** True when the array's buffer holds exactly its values in row-major order. */
  static boolean isPlain(INDArray a) {
    return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length();
  }
}

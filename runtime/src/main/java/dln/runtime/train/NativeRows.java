package dln.runtime.train;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays over part of another array's native memory, without a copy, and row copies between
 * arrays. Unlike an ND4J view ({@code x.get(interval(...))}), an array made here is plain (no
 * offset, its buffer exactly its values), so every engine step treats it like an array of its own.
 */
final class NativeRows {
  private NativeRows() {}

  /** True when {@link #over} can make arrays over this one (plain float32 arrays). */
  static boolean canShare(INDArray source) {
    return source.dataType() == DataType.FLOAT && isPlain(source);
  }

  /**
   * A float32 array of {@code shape} over {@code source}'s values from element {@code offset} on
   * ({@link #canShare} must hold). The array keeps {@code source} reachable, so the memory outlives
   * it; it must only be read.
   */
  static INDArray over(INDArray source, long offset, long[] shape) {
    long length = 1;
    for (long d : shape) length *= d;
    Pointer base = source.data().addressPointer();
    long address = base.address() + base.position() * base.sizeof() + offset * Float.BYTES;
    FloatPointer p = new Owned(source, address, length);
    DataBuffer buffer = Nd4j.createBuffer(p, DataType.FLOAT, length, FloatIndexer.create(p));
    return Nd4j.create(buffer, shape);
  }

  /**
   * Copies all rows of {@code from} into the plain array {@code to} (same row size and type),
   * starting at row {@code row}: one memcpy (a view is made plain first).
   */
  static void copyRows(INDArray source, INDArray to, long row) {
    INDArray from = isPlain(source) ? source : source.dup('c');
    long bytes = from.length() * from.dataType().width();
    if (bytes == 0) return;
    long rowBytes = bytes / from.size(0);
    Pointer src = from.data().addressPointer();
    Pointer dst = to.data().addressPointer();
    BytePointer s = new BytePointer(src);
    BytePointer d = new BytePointer(dst);
    s.position(src.position() * src.sizeof());
    d.position(dst.position() * dst.sizeof() + row * rowBytes);
    Pointer.memcpy(d, s, bytes);
  }

  private static boolean isPlain(INDArray a) {
    return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length();
  }

  /** A pointer to foreign memory that holds on to the array owning it. */
  private static final class Owned extends FloatPointer {
    @SuppressWarnings("unused")
    private final INDArray owner;

    Owned(INDArray owner, long address, long floats) {
      super((Pointer) null);
      this.owner = owner;
      this.address = address;
      this.limit = floats;
      this.capacity = floats;
    }
  }
}

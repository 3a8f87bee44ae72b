package dln.stdlib.data;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes: its dimensions (for example {@code [60000, 28, 28]})
 * and the payload in row-major order. The byte array is owned by this record; callers must not
 * modify it (the loader caches it between calls).
 */
public record IdxArray(int[] dims, byte[] data) {
  public IdxArray {
    dims = dims.clone();
  }

  /** Number of items: the first dimension. */
  public int count() {
    return dims[0];
  }

  /** Bytes per item: the product of the dimensions after the first (1 for a labels file). */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < dims.length; i++) size *= dims[i];
    return size;
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}

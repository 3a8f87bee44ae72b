package dln.interp.value;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * What {@code range(start, stop, step)} returns: an immutable sequence of ints that computes its
 * items on demand, as Python's does. {@code for i in range(10**9)} starts at once and stops cleanly
 * at Ctrl-C with {@code i} bound, instead of first building a billion-item list. It is a {@link
 * java.util.List} for every reader (len, indexing, slicing, {@code list(...)}, equality); writing to
 * it is an error.
 */
public final class Range extends AbstractList<Object> implements RandomAccess {
  private final long start;
  private final long stop;
  private final long step;
  private final int size;

  /** {@code count} is the exact number of items from start up to stop, at most {@link Integer#MAX_VALUE}. */
  public Range(long start, long stop, long step, int count) {
    this.start = start;
    this.stop = stop;
    this.step = step;
    this.size = count;
  }

  @Override
  public Object get(int index) {
    if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
    return start + index * step;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<Object> iterator() {
    return new Iterator<>() {
      private int k;

      @Override
      public boolean hasNext() {
        return k < size;
      }

      @Override
      public Object next() {
        if (k >= size) throw new NoSuchElementException();
        return start + (k++) * step;
      }
    };
  }

  /** Python's repr: {@code range(0, 10)} or {@code range(1, 10, 2)}. */
  @Override
  public String toString() {
    return step == 1 ? "range(" + start + ", " + stop + ")" : "range(" + start + ", " + stop + ", " + step + ")";
  }
}

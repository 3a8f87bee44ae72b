package dln.runtime.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts mini-batches out of whole data arrays by copying rows (in shuffled order) straight between
 * native buffers into batch arrays that are allocated once per batch size and reused for every
 * batch. The fit loop used to allocate two arrays per batch and run {@code pullRows}, whose native
 * setup cost more than a Playground network's whole training step.
 *
 * <p>For inference ({@link #forInference}) a batch of consecutive rows is not copied at all: it is
 * an array over the data's own memory (a 1,000-row MNIST batch is a 3 MB copy, ≈ 5% of an MLP's
 * inference batch). The engines only read their inputs, and outside training no step keeps one
 * past the call.
 */
final class BatchBuffers {
  private final List<INDArray> sources;
  private final long[] rowBytes;
  private final Map<Integer, List<INDArray>> cache = new HashMap<>();
  /** Consecutive rows are handed out in place (inference) instead of copied. */
  private final boolean inPlace;

  /** @param arrays the data (batch axis first); copied once into plain row-major arrays if needed */
  BatchBuffers(List<INDArray> arrays) {
    this(arrays, false);
  }

  /** Batches for evaluate / predict: consecutive rows in place, others copied. */
  static BatchBuffers forInference(List<INDArray> arrays) {
    return new BatchBuffers(arrays, true);
  }

  private BatchBuffers(List<INDArray> arrays, boolean inPlace) {
    this.inPlace = inPlace;
    sources = new ArrayList<>();
    rowBytes = new long[arrays.size()];
    for (int i = 0; i < arrays.size(); i++) {
      INDArray a = arrays.get(i);
      boolean plain = !a.isView() && a.ordering() == 'c' && a.data().length() == a.length();
      INDArray p = plain ? a : a.dup('c');
      sources.add(p);
      long rows = p.size(0);
      rowBytes[i] = rows == 0 ? 0 : p.length() / rows * p.dataType().width();
    }
  }

  /**
   * The rows {@code order[start..end)} of every array. The returned arrays are reused: they are
   * valid until the next call with the same batch size.
   */
  List<INDArray> batch(int[] order, int start, int end) {
    if (inPlace && consecutive(order, start, end)) {
      List<INDArray> shared = inPlace(order[start], end - start);
      if (shared != null) return shared;
    }
    int size = end - start;
    List<INDArray> out = cache.computeIfAbsent(size, this::allocate);
    fill(out, order, start, end);
    return out;
  }

  private static boolean consecutive(int[] order, int start, int end) {
    for (int i = start + 1; i < end; i++) if (order[i] != order[i - 1] + 1) return false;
    return true;
  }

  /**
   * Rows {@code [first, first + size)} of every source as arrays over the sources' own memory, or
   * null where a source cannot be shared (not float32: copied instead).
   */
  private List<INDArray> inPlace(int first, int size) {
    List<INDArray> out = new ArrayList<>();
    for (int a = 0; a < sources.size(); a++) {
      INDArray s = sources.get(a);
      if (first == 0 && size == s.size(0)) {
        out.add(s);
        continue;
      }
      if (!NativeRows.canShare(s)) return null;
      long[] shape = s.shape().clone();
      shape[0] = size;
      out.add(NativeRows.over(s, first * (s.length() / s.size(0)), shape));
    }
    return out;
  }

  private List<INDArray> allocate(int size) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray s : sources) {
      long[] shape = s.shape().clone();
      shape[0] = size;
      out.add(Nd4j.create(s.dataType(), shape, 'c'));
    }
    return out;
  }

  private void fill(List<INDArray> out, int[] order, int start, int end) {
    for (int a = 0; a < sources.size(); a++) {
      long bytes = rowBytes[a];
      if (bytes == 0) continue;
      Pointer src = sources.get(a).data().addressPointer();
      Pointer dst = out.get(a).data().addressPointer();
      long srcBase = src.position() * src.sizeof();
      long dstBase = dst.position() * dst.sizeof();
      BytePointer from = new BytePointer(src);
      BytePointer to = new BytePointer(dst);
      // Runs of consecutive rows (unshuffled data) go in one copy.
      int i = start;
      while (i < end) {
        int j = i + 1;
        while (j < end && order[j] == order[j - 1] + 1) j++;
        from.position(srcBase + order[i] * bytes);
        to.position(dstBase + (long) (i - start) * bytes);
        Pointer.memcpy(to, from, (j - i) * bytes);
        i = j;
      }
    }
  }
}

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
 */
final class BatchBuffers {
  private final List<INDArray> sources;
  private final long[] rowBytes;
  private final Map<Integer, List<INDArray>> cache = new HashMap<>();

  /** @param arrays the data (batch axis first); copied once into plain row-major arrays if needed */
  BatchBuffers(List<INDArray> arrays) {
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
    int size = end - start;
    List<INDArray> out = cache.computeIfAbsent(size, this::allocate);
    fill(out, order, start, end);
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

package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.Namespace;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.Rng;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The part of {@code tf.data.Dataset} custom training loops use:
 * {@code Dataset.from_tensor_slices((x, y)).shuffle(buffer_size).batch(64)}, iterated by {@code for}.
 * Immutable: each method returns a new dataset. Shuffling draws a fresh order of all samples on
 * every pass (TensorFlow shuffles within a buffer of {@code buffer_size}; a full shuffle is the
 * limit of that and what fit does).
 *
 * @param arrays the tensors sliced along their first axis, all with the same number of samples
 * @param tuple whether an element is a tuple of them (from a tuple) or one tensor
 */
record TensorSlices(List<INDArray> arrays, boolean tuple, boolean shuffled, int batch, boolean dropRemainder)
    implements Iterable<Object> {

  static void install(Globals g) {
    Namespace ns = g.module("tensorflow.data.Dataset");
    g.def(ns, "from_tensor_slices", "tensors", "A dataset of the samples of a tensor, or of a tuple (x, y) of tensors sliced in step.\n"
        + "Example: ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(64)", a -> {
          Object t = a.get("tensors");
          boolean tuple = t instanceof Tuple || t instanceof List<?>;
          List<INDArray> arrays = new ArrayList<>();
          for (Object o : tuple ? a.list("tensors") : List.of(t)) arrays.add(Values.toTensor(o));
          for (INDArray arr : arrays) {
            if (arr.rank() == 0 || arr.size(0) != arrays.get(0).size(0)) {
              throw DlnException.value("from_tensor_slices() needs tensors with the same number of samples (first axis), got shapes "
                  + shapes(arrays), "slice x and y of the same data set: from_tensor_slices((x_train, y_train))");
            }
          }
          return new TensorSlices(arrays, tuple, false, 0, false);
        });
    TypeTable.define(TensorSlices.class, "Dataset")
        .method("shuffle", "buffer_size, seed?, reshuffle_each_iteration?", "The samples in a new random order on each pass.\n"
            + "Example: ds.shuffle(buffer_size=1024)",
            (TensorSlices d, Args a) -> new TensorSlices(d.arrays, d.tuple, true, d.batch, d.dropRemainder))
        .method("batch", "batch_size, drop_remainder?", "Elements of batch_size samples (the last one smaller unless drop_remainder).\n"
            + "Example: ds.batch(64)", (TensorSlices d, Args a) -> {
              int n = a.intValue("batch_size");
              if (n <= 0) throw DlnException.value("batch_size must be positive, got " + n);
              return new TensorSlices(d.arrays, d.tuple, d.shuffled, n, a.bool("drop_remainder", false));
            })
        .attr("__len__", d -> (long) d.size())
        .repr(d -> "<Dataset " + shapes(d.arrays) + (d.batch > 0 ? " batch=" + d.batch : "") + ">");
  }

  private static String shapes(List<INDArray> arrays) {
    List<String> out = new ArrayList<>();
    for (INDArray a : arrays) out.add(dln.runtime.Shapes.format(a.shape()));
    return String.join(", ", out);
  }

  private long samples() {
    return arrays.get(0).size(0);
  }

  /** The number of elements a pass gives. */
  int size() {
    if (batch == 0) return (int) samples();
    return (int) (dropRemainder ? samples() / batch : (samples() + batch - 1) / batch);
  }

  @Override
  public Iterator<Object> iterator() {
    long n = samples();
    int[] order = shuffled ? Rng.permutation((int) n, Rng.current()) : null;
    int step = batch == 0 ? 1 : batch;
    return new Iterator<>() {
      private int done;

      @Override
      public boolean hasNext() {
        return done < size();
      }

      @Override
      public Object next() {
        long from = (long) done * step;
        long to = Math.min(n, from + step);
        done++;
        List<Object> parts = new ArrayList<>();
        for (INDArray a : arrays) parts.add(slice(a, order, from, to));
        return tuple ? new Tuple(parts) : parts.get(0);
      }
    };
  }

  /** Samples from..to of the (shuffled) order; one sample without its batch axis when unbatched. */
  private INDArray slice(INDArray a, int[] order, long from, long to) {
    INDArray rows;
    if (order == null) {
      rows = a.get(NDArrayIndex.interval(from, to)).dup();
    } else {
      long[] idx = new long[(int) (to - from)];
      for (int i = 0; i < idx.length; i++) idx[i] = order[(int) from + i];
      rows = Nd4j.pullRows(a.reshape(a.size(0), -1), 1, toInts(idx)).reshape(withRows(a.shape(), idx.length)).castTo(a.dataType());
    }
    if (batch == 0) return rows.reshape(java.util.Arrays.copyOfRange(a.shape(), 1, a.rank()));
    return rows;
  }

  private static int[] toInts(long[] xs) {
    int[] out = new int[xs.length];
    for (int i = 0; i < xs.length; i++) out[i] = (int) xs[i];
    return out;
  }

  private static long[] withRows(long[] shape, long rows) {
    long[] s = shape.clone();
    s[0] = rows;
    return s;
  }
}

package dln.interp.lib;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the tensors of a built-in data set came from, so that a saved session can hold them by
 * reference ("mnist(flat=true), training images") instead of copying 200 MB: the loader notes each
 * tensor it returns; the session file records the call, and loading repeats it. Held weakly: a
 * data set the user dropped is not kept alive by this list.
 */
public final class DatasetRefs {
  private DatasetRefs() {}

  /**
   * One tensor of a loader's result.
   *
   * @param loader the builtin's name ("mnist")
   * @param options the keyword arguments it was called with (booleans and ints only)
   * @param split 0 for the training split, 1 for the test split
   * @param part 0 for the inputs, 1 for the labels
   */
  public record Ref(String loader, Map<String, Object> options, int split, int part) {}

  private record Entry(WeakReference<INDArray> tensor, Ref ref) {}

  private static final List<Entry> ENTRIES = new ArrayList<>();

  static synchronized void note(INDArray t, Ref ref) {
    prune();
    ENTRIES.add(new Entry(new WeakReference<>(t), ref));
  }

  /** The loader call that made exactly this tensor object, or null. */
  public static synchronized Ref of(INDArray t) {
    prune();
    for (Entry e : ENTRIES) if (e.tensor().get() == t) return e.ref();
    return null;
  }

  private static void prune() {
    for (Iterator<Entry> it = ENTRIES.iterator(); it.hasNext(); ) if (it.next().tensor().get() == null) it.remove();
  }

  static Map<String, Object> options(boolean flat, boolean normalize, boolean oneHot, boolean channels, Integer limit) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("flat", flat);
    o.put("normalize", normalize);
    o.put("one_hot", oneHot);
    o.put("channels", channels);
    if (limit != null) o.put("limit", (long) limit);
    return o;
  }
}

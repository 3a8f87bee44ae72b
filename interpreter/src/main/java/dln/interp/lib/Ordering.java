package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Invoker;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How DLN orders values, for min, max, sorted and list.sort. */
final class Ordering {
  private Ordering() {}

  /** Python's order: numbers by value, strings and tuples lexicographically, one-element tensors as numbers. */
  static int compare(Object x, Object y) {
    if (Values.isNumber(x) && Values.isNumber(y)) return Double.compare(Values.toDouble(x), Values.toDouble(y));
    if (x instanceof String s && y instanceof String t) return s.compareTo(t);
    if (x instanceof Tuple s && y instanceof Tuple t) {
      for (int i = 0; i < Math.min(s.size(), t.size()); i++) {
        int c = compare(s.get(i), t.get(i));
        if (c != 0) return c;
      }
      return Integer.compare(s.size(), t.size());
    }
    if (x instanceof INDArray s && s.length() == 1) return compare(s.getDouble(0), y);
    if (y instanceof INDArray t && t.length() == 1) return compare(x, t.getDouble(0));
    throw DlnException.type("cannot compare " + Values.typeName(x) + " and " + Values.typeName(y));
  }

  /** Sorts {@code l} in place, stably, by {@code key} (called through {@code invoker}) when given. */
  static void sort(Invoker invoker, List<Object> l, Object key, boolean reverse) {
    List<Object> keys = new ArrayList<>();
    for (Object x : l) keys.add(key == null ? x : invoker.call(key, x));
    Integer[] order = new Integer[l.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (i, j) -> reverse ? compare(keys.get(j), keys.get(i)) : compare(keys.get(i), keys.get(j)));
    List<Object> sorted = new ArrayList<>();
    for (Integer i : order) sorted.add(l.get(i));
    l.clear();
    l.addAll(sorted);
  }
}


package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.call.Invoker;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@code for x in v} walks: lists, tuples, strings (by character), dict keys, tensors (along
 * the first axis) and Java iterables. The evaluator and the builtins (sum, zip, list…) share it.
 */
public final class Iteration {
  private Iteration() {}

  /** An iterator over {@code v}; {@code invoker} is asked for cancellation between tensor rows. */
  public static Iterator<?> of(Invoker invoker, Object v) {
    if (v instanceof Range r) return r.iterator();
    if (v instanceof List<?> l) return new ArrayList<>(l).iterator();
    if (v instanceof Tuple t) return t.items().iterator();
    if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet()).iterator();
    if (v instanceof String s) {
      List<Object> chars = new ArrayList<>();
      for (char ch : s.toCharArray()) chars.add(String.valueOf(ch));
      return chars.iterator();
    }
    if (v instanceof INDArray t) return rows(invoker, t);
    if (v instanceof Iterable<?> it) return it.iterator();
    throw DlnException.type(Values.typeName(v) + " is not iterable");
  }

  /** The items of {@code v} as a new list. */
  public static List<Object> toList(Invoker invoker, Object v) {
    List<Object> out = new ArrayList<>();
    for (Iterator<?> it = of(invoker, v); it.hasNext(); ) out.add(it.next());
    return out;
  }

  /**
   * Rows are made as they are consumed, each after a cancellation check: a 100,000-row tensor must
   * not build 100,000 views before Ctrl-C or a host's timeout is noticed.
   */
  private static Iterator<Object> rows(Invoker invoker, INDArray t) {
    if (t.rank() == 0) throw DlnException.type("cannot iterate over a 0-d tensor");
    long n = t.size(0);
    return new Iterator<>() {
      private long i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Object next() {
        if (i >= n) throw new NoSuchElementException();
        invoker.checkCancelled();
        return Tensors.get(t, List.of(i++));
      }
    };
  }
}

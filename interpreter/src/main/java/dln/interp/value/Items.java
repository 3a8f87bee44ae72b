package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.call.TypeTable;
import dln.runtime.tensor.Slice;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code x[i]} and {@code x[i] = v} for every value: tensors (indices, slices, masks), dicts, lists,
 * tuples, strings, and runtime objects that declare {@code __getitem__}. Errors carry no position:
 * the evaluator adds the position of the subscript.
 */
public final class Items {
  private Items() {}

  /** {@code obj[subs...]}; {@code invoker} runs a declared {@code __getitem__}. */
  public static Object get(Invoker invoker, Object obj, List<Object> subs) {
    if (obj instanceof INDArray t) return tensorItem(t, withoutEllipsis(t, tensorIndices(subs)));
    if (obj instanceof Map<?, ?> m) return dictItem(m, subs.size() == 1 ? subs.get(0) : new Tuple(subs));
    boolean sequence = obj instanceof List || obj instanceof Tuple || obj instanceof String;
    if (subs.size() != 1 && sequence) throw DlnException.type(Values.typeName(obj) + " indices must be a single int or slice");
    // A declared __getitem__ receives x[a, b] as the tuple (a, b), as in Python (np.r_[0:3, 7])
    Object k = subs.size() == 1 ? subs.get(0) : new Tuple(subs);
    List<?> items = obj instanceof List<?> l ? l : obj instanceof Tuple t ? t.items() : null;
    if (items != null) {
      if (k instanceof Slice s) {
        List<Object> out = slice(items, s);
        return obj instanceof Tuple ? new Tuple(out) : out;
      }
      return items.get(index(k, items.size()));
    }
    if (obj instanceof String str) return stringItem(str, k);
    Object getter = TypeTable.getAttr(obj, "__getitem__");
    if (getter instanceof Callable c) return c.call(invoker, List.of(k), Map.of());
    throw DlnException.type(Values.typeName(obj) + " cannot be indexed");
  }

  /** {@code obj[subs...] = value} for tensors, dicts and lists. */
  @SuppressWarnings("unchecked")
  public static void set(Object obj, List<Object> subs, Object value) {
    if (obj instanceof INDArray t) {
      Tensors.put(t, withoutEllipsis(t, tensorIndices(subs)), value instanceof INDArray || Values.isNumber(value) ? value : Values.toTensor(value));
      return;
    }
    if (subs.size() != 1) throw DlnException.type(Values.typeName(obj) + " indices must be a single value");
    Object k = subs.get(0);
    if (obj instanceof Map<?, ?> m) {
      ((Map<Object, Object>) m).put(key(k), value);
    } else if (obj instanceof List<?> l && !(obj instanceof Range)) {
      List<Object> list = (List<Object>) l;
      list.set(index(k, list.size()), value);
    } else {
      throw DlnException.type(Values.typeName(obj) + " does not support item assignment");
    }
  }

  /**
   * Dict keys: integral floats hash like ints, as in Python. Lists, dicts and tensors cannot be
   * keys: they can change, and hashing a tensor runs a native ND4J op that crashed the JVM
   * (SIGSEGV in hashCode_) on some tensors. Tuples are checked item by item. (Found by fuzzing.)
   */
  public static Object key(Object k) {
    if (k instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return d.longValue();
    if (k instanceof List) throw DlnException.type("a list cannot be a dict key (it can change); use a tuple");
    if (k instanceof Map) throw DlnException.type("a dict cannot be a dict key (it can change)");
    if (k instanceof INDArray) {
      throw DlnException.type("a tensor cannot be a dict key (it can change)").withHint("use a number (float(t)) or a tuple");
    }
    if (k instanceof Tuple t) t.items().forEach(Items::key);
    return k;
  }

  /** {@code del obj[sub]}: removes a list item, a slice of a list, or a dict entry. */
  @SuppressWarnings("unchecked")
  public static void delete(Object obj, List<Object> subs) {
    if (subs.size() != 1) throw DlnException.type("del takes one index, got " + subs.size());
    Object sub = subs.get(0);
    if (obj instanceof List<?> l) {
      List<Object> list = (List<Object>) l;
      if (sub instanceof Slice s) {
        List<Object> keep = new java.util.ArrayList<>(list);
        java.util.Set<Integer> drop = new java.util.HashSet<>();
        for (int i : sliceIndexes(list.size(), s)) drop.add(i);
        list.clear();
        for (int i = 0; i < keep.size(); i++) if (!drop.contains(i)) list.add(keep.get(i));
      } else {
        list.remove(index(sub, list.size()));
      }
    } else if (obj instanceof Map<?, ?> m) {
      Object k = key(sub);
      if (!m.containsKey(k)) throw new DlnException("key error", "key " + Values.repr(sub) + " is not in the dict");
      m.remove(k);
    } else {
      throw DlnException.type("cannot delete items of a " + Values.typeName(obj)
          + (obj instanceof Tuple || obj instanceof String ? " (it cannot change)" : ""));
    }
  }

  private static List<Integer> sliceIndexes(int n, Slice s) {
    List<Object> positions = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) positions.add((long) i);
    List<Integer> out = new java.util.ArrayList<>();
    for (Object o : slice(positions, s)) out.add(((Long) o).intValue());
    return out;
  }

  /** A Python index (negative counts from the end) checked against {@code size}. */
  public static int index(Object k, int size) {
    if (!(k instanceof Long) && !(k instanceof Boolean)) {
      throw DlnException.type("indices must be ints, got " + Values.typeName(k));
    }
    long i = k instanceof Boolean b ? (b ? 1 : 0) : (Long) k;
    long j = i < 0 ? i + size : i;
    if (j < 0 || j >= size) throw DlnException.index("index " + i + " is out of range for length " + size);
    return (int) j;
  }

  /** The items a Python slice selects, bounds clamped as Python does. */
  public static List<Object> slice(List<?> items, Slice s) {
    int n = items.size();
    long step = s.step() == null ? 1 : s.step();
    if (step == 0) throw DlnException.value("slice step cannot be zero");
    long start;
    long stop;
    if (step > 0) {
      start = s.start() == null ? 0 : clamp(s.start() < 0 ? s.start() + n : s.start(), 0, n);
      stop = s.stop() == null ? n : clamp(s.stop() < 0 ? s.stop() + n : s.stop(), 0, n);
    } else {
      start = s.start() == null ? n - 1 : clamp(s.start() < 0 ? s.start() + n : s.start(), -1, n - 1);
      stop = s.stop() == null ? -1 : clamp(s.stop() < 0 ? s.stop() + n : s.stop(), -1, n - 1);
    }
    List<Object> out = new ArrayList<>();
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) out.add(items.get((int) i));
    return out;
  }

  /**
   * t[idx] where None (np.newaxis) adds an axis of size 1 at its place among ints and slices, as in
   * NumPy's x[:, None]; the other indices select as usual.
   */
  private static Object tensorItem(INDArray t, List<Object> idx) {
    if (!idx.contains(None.NONE)) return Tensors.get(t, idx);
    List<Object> rest = new ArrayList<>();
    List<Integer> newAxes = new ArrayList<>();
    int out = 0;
    for (Object i : idx) {
      if (i == None.NONE) {
        newAxes.add(out++);
      } else {
        if (i instanceof INDArray) throw DlnException.type("None (np.newaxis) in an index is supported with ints and slices only");
        rest.add(i);
        if (!(i instanceof Long)) out++;
      }
    }
    INDArray r = Tensors.get(t, rest);
    long[] shape = new long[r.rank() + newAxes.size()];
    for (int k = 0, src = 0; k < shape.length; k++) shape[k] = newAxes.contains(k) ? 1 : r.size(src++);
    return Tensors.reshape(r, shape);
  }

  /**
   * The index with its {@code ...} replaced by the full slices it stands for: as many as the axes
   * the other indices leave (None adds an axis and takes none, a bool tensor takes its rank), as
   * NumPy reads x[..., 0] and x[0, ...].
   */
  private static List<Object> withoutEllipsis(INDArray t, List<Object> idx) {
    int at = idx.indexOf(Ellipsis.ELLIPSIS);
    if (at < 0) return idx;
    if (idx.lastIndexOf(Ellipsis.ELLIPSIS) != at) throw DlnException.index("an index can only have a single ellipsis ('...')");
    int taken = 0;
    for (Object i : idx) {
      if (i instanceof INDArray m && m.dataType() == org.nd4j.linalg.api.buffer.DataType.BOOL) taken += m.rank();
      else if (i != None.NONE && i != Ellipsis.ELLIPSIS) taken++;
    }
    List<Object> out = new ArrayList<>(idx.subList(0, at));
    for (int k = taken; k < t.rank(); k++) out.add(Slice.ALL);
    out.addAll(idx.subList(at + 1, idx.size()));
    return out;
  }

  /** Tuples spread into several indices, lists become index tensors, booleans 0/1. */
  private static List<Object> tensorIndices(List<Object> subs) {
    List<Object> idx = new ArrayList<>(subs.size());
    for (Object s : subs) {
      if (s instanceof Tuple tu) idx.addAll(tu.items());
      else if (s instanceof List<?> l) idx.add(Values.toTensor(l));
      else if (s instanceof Boolean b) idx.add(b ? 1L : 0L);
      else idx.add(s);
    }
    return idx;
  }

  private static Object dictItem(Map<?, ?> m, Object k) {
    Object v = m.get(key(k));
    if (v == null) {
      throw new DlnException("key error", "key " + Values.repr(k) + " is not in the dict",
          m.isEmpty() ? null : "keys are: " + keysPreview(m), null);
    }
    return v;
  }

  private static String stringItem(String str, Object k) {
    if (k instanceof Slice s) {
      List<Object> chars = new ArrayList<>();
      for (char ch : str.toCharArray()) chars.add(String.valueOf(ch));
      StringBuilder sb = new StringBuilder();
      for (Object ch : slice(chars, s)) sb.append(ch);
      return sb.toString();
    }
    return String.valueOf(str.charAt(index(k, str.length())));
  }

  private static String keysPreview(Map<?, ?> m) {
    List<String> ks = new ArrayList<>();
    for (Object k : m.keySet()) {
      if (ks.size() == 8) {
        ks.add("…");
        break;
      }
      ks.add(Values.repr(k));
    }
    return String.join(", ", ks);
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}

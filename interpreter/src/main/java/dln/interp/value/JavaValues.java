package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.Failures;
import dln.interp.call.Callable;
import dln.interp.call.TypeTable;
import dln.runtime.DlnRuntimeException;
import dln.runtime.tensor.JavaArrays;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between DLN values and the Java values an embedding host works with (the one place
 * that knows both value models).
 *
 * <table>
 *   <caption>Java to DLN ({@link #toDln})</caption>
 *   <tr><th>Java</th><th>DLN</th></tr>
 *   <tr><td>null</td><td>none</td></tr>
 *   <tr><td>Integer, Long, Short, Byte, BigInteger</td><td>int</td></tr>
 *   <tr><td>Float, Double, BigDecimal</td><td>float</td></tr>
 *   <tr><td>Boolean, String, Character</td><td>bool, str, str</td></tr>
 *   <tr><td>float[], float[][]… and double[]… </td><td>float32 tensor (DLN's working precision)</td></tr>
 *   <tr><td>int[]…, long[]…, boolean[]…</td><td>int32, int64, bool tensor</td></tr>
 *   <tr><td>INDArray</td><td>the same tensor (shared, not copied)</td></tr>
 *   <tr><td>List, Set, Object[]</td><td>a new list, items converted</td></tr>
 *   <tr><td>Map</td><td>a new dict, keys and values converted</td></tr>
 *   <tr><td>DLN values (Tuple, functions, layers, models…)</td><td>themselves</td></tr>
 * </table>
 *
 * <p>DLN to Java ({@link #toJava(Object)}): int is Long, float Double, bool Boolean, str String,
 * none null, tensor INDArray, list a new {@code ArrayList}, tuple an unmodifiable List, dict a new
 * {@code LinkedHashMap}, items converted; functions, layers and models are returned as they are
 * (pass them back to DLN, e.g. to {@code Dln.call}). {@link #toJava(Object, Class, String)}
 * converts to a requested type: {@code INDArray}, {@code float[]}, {@code double[]}, {@code
 * int[]}, {@code long[]} (every element, row-major), {@code float[][]}, {@code double[][]} (rank-2
 * tensors), boxed or primitive numbers (from ints, floats and one-element tensors, never losing
 * information silently), {@code String}, {@code Boolean}, {@code List}, {@code Map}, or any class
 * the value already is. Tensors and Java arrays convert in the runtime ({@link JavaArrays}).
 */
public final class JavaValues {
  private JavaValues() {}

  /** A Java value as a DLN value; a {@code "type error"} for Java objects DLN cannot hold. */
  public static Object toDln(Object v) {
    if (v == null || v == None.NONE) return None.NONE;
    if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String) return v;
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
    if (v instanceof BigInteger b) {
      if (b.bitLength() > 63) throw DlnException.value("the Java integer " + b + " does not fit a DLN int (64 bits)");
      return b.longValue();
    }
    if (v instanceof Float || v instanceof BigDecimal) return ((Number) v).doubleValue();
    if (v instanceof Character c) return String.valueOf(c);
    if (JavaArrays.isEagerTensor(v) || v instanceof Tuple || v instanceof Callable || v instanceof Namespace) return v;
    if (v.getClass().isArray()) return arrayToDln(v);
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(dictKey(toDln(e.getKey())), toDln(e.getValue()));
      return out;
    }
    if (v instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object x : c) out.add(toDln(x));
      return out;
    }
    if (TypeTable.typeOf(v) != null) return v;
    throw new DlnException("type error", "cannot pass a Java " + v.getClass().getName() + " to DLN",
        "pass numbers, strings, booleans, arrays, INDArrays, Lists or Maps; expose other objects through a registered function", null);
  }

  /** The default Java form of a DLN value (see the class comment). */
  public static Object toJava(Object v) {
    if (v == null || v == None.NONE) return null;
    // Java has no dtype type: an embedder gets the name, as str(x.dtype)
    if (v instanceof DType d) return d.name();
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) out.add(toJava(x));
      return out;
    }
    if (v instanceof Tuple t) {
      List<Object> out = new ArrayList<>(t.size());
      for (Object x : t.items()) out.add(toJava(x));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(toJava(e.getKey()), toJava(e.getValue()));
      return out;
    }
    return v;
  }

  /**
   * A DLN value as {@code type}; {@code what} names it in errors ("variable 'x'"). A value that
   * does not fit is a {@code "type error"} saying what it is and what was asked.
   */
  @SuppressWarnings("unchecked")
  public static <T> T toJava(Object v, Class<T> type, String what) {
    Object r = convert(v, box(type), what);
    return (T) r;
  }

  private static Object convert(Object v, Class<?> type, String what) {
    if (type == Object.class) return toJava(v);
    if (v == null || v == None.NONE) {
      if (type.isPrimitive()) throw cannot(v, type, what);
      return null;
    }
    if (JavaArrays.makes(type)) {
      Object t = tensorOf(v, type, what);
      try {
        return JavaArrays.toArray(t, type, what);
      } catch (DlnRuntimeException e) {
        throw Failures.located(e, null); // the host sees only DlnExceptions
      }
    }
    if (type == Long.class || type == Integer.class || type == Short.class || type == Byte.class) return integer(v, type, what);
    if (type == Double.class || type == Float.class || type == Number.class) {
      Object n = number(v, type, what);
      if (type == Double.class) return ((Number) n).doubleValue();
      if (type == Float.class) return ((Number) n).floatValue();
      return n;
    }
    if (type == Boolean.class) {
      if (v instanceof Boolean) return v;
      if (JavaArrays.single(v) instanceof Boolean b) return b;
      throw cannot(v, type, what);
    }
    if (type == String.class) {
      if (v instanceof String) return v;
      throw cannot(v, type, what);
    }
    if (type == List.class || type == Collection.class || type == Iterable.class) {
      if (v instanceof List || v instanceof Tuple) return toJava(v);
      throw cannot(v, type, what);
    }
    if (type == Map.class) {
      if (v instanceof Map) return toJava(v);
      throw cannot(v, type, what);
    }
    if (type.isInstance(v)) return v;
    throw cannot(v, type, what);
  }

  private static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) return type;
    if (type == int.class) return Integer.class;
    if (type == long.class) return Long.class;
    if (type == double.class) return Double.class;
    if (type == float.class) return Float.class;
    if (type == boolean.class) return Boolean.class;
    if (type == short.class) return Short.class;
    if (type == byte.class) return Byte.class;
    return type;
  }

  /** v as an eager tensor (as Object: the tensor type is the runtime's), or a type error. */
  private static Object tensorOf(Object v, Class<?> type, String what) {
    if (JavaArrays.isEagerTensor(v)) return v;
    if (v instanceof List || v instanceof Tuple || Values.isNumber(v)) {
      try {
        return Values.toTensor(v);
      } catch (RuntimeException e) {
        throw cannot(v, type, what);
      }
    }
    throw cannot(v, type, what);
  }

  private static Object integer(Object v, Class<?> type, String what) {
    long x;
    if (v instanceof Long l) {
      x = l;
    } else if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      x = d.longValue();
    } else if (JavaArrays.single(v) instanceof Long l) {
      x = l;
    } else {
      throw cannot(v, type, what);
    }
    long lo = type == Integer.class ? Integer.MIN_VALUE : type == Short.class ? Short.MIN_VALUE : type == Byte.class ? Byte.MIN_VALUE : Long.MIN_VALUE;
    long hi = type == Integer.class ? Integer.MAX_VALUE : type == Short.class ? Short.MAX_VALUE : type == Byte.class ? Byte.MAX_VALUE : Long.MAX_VALUE;
    if (x < lo || x > hi) throw DlnException.value(what + " is " + x + ", outside the range of a Java " + type.getSimpleName());
    if (type == Integer.class) return (int) x;
    if (type == Short.class) return (short) x;
    if (type == Byte.class) return (byte) x;
    return x;
  }

  private static Object number(Object v, Class<?> type, String what) {
    if (v instanceof Long || v instanceof Double) return v;
    Object single = JavaArrays.single(v);
    if (single instanceof Long || single instanceof Double) return single;
    throw cannot(v, type, what);
  }

  private static DlnException cannot(Object v, Class<?> type, String what) {
    String desc = JavaArrays.isEagerTensor(v) ? "a tensor of shape " + java.util.Arrays.toString(JavaArrays.shape(v)) : "a DLN " + Values.typeName(v);
    return DlnException.type(what + " is " + desc + " and cannot become a Java " + type.getSimpleName());
  }

  /** Dict keys follow the evaluator's rule: integral floats are the same key as ints. */
  private static Object dictKey(Object k) {
    if (k instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return d.longValue();
    return k;
  }

  private static Object arrayToDln(Object array) {
    Class<?> leaf = array.getClass();
    while (leaf.isArray()) leaf = leaf.getComponentType();
    if (!leaf.isPrimitive()) {
      int n = Array.getLength(array);
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) out.add(toDln(Array.get(array, i)));
      return out;
    }
    try {
      return JavaArrays.fromArray(array);
    } catch (DlnRuntimeException e) {
      throw Failures.located(e, null); // the host sees only DlnExceptions
    }
  }
}

package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.call.Callable;
import dln.interp.call.TypeTable;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The value model: int is {@link Long}, float is {@link Double}, bool is {@link Boolean}, str is
 * {@link String}, none is {@link None#NONE}, list is a mutable {@link java.util.ArrayList}, tuple is
 * {@link Tuple}, dict is a {@link java.util.LinkedHashMap}, tensor is an ND4J {@link INDArray},
 * functions are {@link Callable}s, and runtime objects (layers, models…) are themselves, described
 * by {@link TypeTable}.
 */
public final class Values {
  private Values() {}

  public static String typeName(Object v) {
    if (v == null || v == None.NONE) return "none";
    if (v instanceof Boolean) return "bool";
    if (v instanceof Long) return "int";
    if (v instanceof Double) return "float";
    if (v instanceof String) return "string";
    if (v instanceof Range) return "range";
    if (v instanceof List) return "list";
    if (v instanceof Tuple) return "tuple";
    if (v instanceof Map) return "dict";
    if (v instanceof INDArray) return "tensor";
    if (v instanceof Namespace) return "namespace";
    if (v instanceof ExceptionValue e) return e.type().name();
    if (v instanceof DlnObject o) return o.cls().name();
    if (v instanceof DlnClass) return "type";
    TypeTable.Type<?> t = TypeTable.typeOf(v);
    if (t != null) return t.name();
    if (v instanceof Callable) return "function";
    return v.getClass().getSimpleName();
  }

  public static boolean truthy(Object v) {
    if (v == null || v == None.NONE) return false;
    if (v instanceof Boolean b) return b;
    if (v instanceof Long l) return l != 0;
    if (v instanceof Double d) return d != 0.0;
    if (v instanceof String s) return !s.isEmpty();
    if (v instanceof Collection<?> c) return !c.isEmpty();
    if (v instanceof Tuple t) return t.size() > 0;
    if (v instanceof Map<?, ?> m) return !m.isEmpty();
    if (v instanceof INDArray t) {
      if (t.length() != 1) {
        throw DlnException.value("the truth value of a tensor with " + t.length() + " elements is ambiguous",
            "use any(x) or all(x), or compare a reduction such as sum(x) > 0");
      }
      return t.getDouble(0) != 0.0;
    }
    return true;
  }

  /** print() form: strings without quotes. */
  public static String str(Object v) {
    if (v instanceof String s) return s;
    if (v instanceof ExceptionValue e) return e.message();
    if (v instanceof DType d) return d.name();
    if (v instanceof DlnObject o) return o.str();
    return repr(v);
  }

  /** REPL form: strings quoted, floats like Python. */
  public static String repr(Object v) {
    if (v == null || v == None.NONE) return "none";
    if (v instanceof Boolean b) return b ? "true" : "false";
    if (v instanceof Long) return v.toString();
    if (v instanceof Double d) return formatFloat(d);
    if (v instanceof String s) return quote(s);
    if (v instanceof Range r) return r.toString();
    if (v instanceof List<?> l) return join("[", l, "]");
    if (v instanceof Tuple t) return t.size() == 1 ? "(" + repr(t.get(0)) + ",)" : join("(", t.items(), ")");
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
      }
      return sb.append('}').toString();
    }
    // A rank-0 tensor prints as its number, as numpy prints a scalar: 0.1, not 0.10000000149011612.
    if (v instanceof INDArray t) return t.rank() == 0 ? repr(Tensors.item(t)) : Tensors.format(t);
    if (v instanceof DlnObject o && o.peer() != null) return repr(o.peer());
    String r = TypeTable.repr(v);
    if (r != null) return r;
    return v.toString();
  }

  /**
   * Floats print like Python's repr: the shortest digits that read back as the same double
   * ({@code 0.1}, {@code 1.0}, {@code 1e-05}, {@code 12345678.0}, {@code 1e+23}), positional for
   * decimal exponents -4..15 and scientific outside.
   */
  public static String formatFloat(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return 1 / d < 0 ? "-0.0" : "0.0";
    java.math.BigDecimal b = dln.runtime.tensor.ShortestDigits.of(d);
    String digits = b.unscaledValue().abs().toString();
    int n = digits.length();
    int e = n - 1 - b.scale(); // the value is d1.d2…dn × 10^e
    StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
    if (e >= -4 && e < 16) {
      if (e < 0) {
        sb.append("0.").append("0".repeat(-e - 1)).append(digits);
      } else if (n <= e + 1) {
        sb.append(digits).append("0".repeat(e + 1 - n)).append(".0");
      } else {
        sb.append(digits, 0, e + 1).append('.').append(digits, e + 1, n);
      }
      return sb.toString();
    }
    sb.append(digits.charAt(0));
    if (n > 1) sb.append('.').append(digits, 1, n);
    return sb.append('e').append(e < 0 ? '-' : '+').append(String.format(Locale.ROOT, "%02d", Math.abs(e))).toString();
  }

  private static String join(String open, List<?> xs, String close) {
    StringBuilder sb = new StringBuilder(open);
    for (int i = 0; i < xs.size(); i++) {
      if (i > 0) sb.append(", ");
      Object x = xs.get(i);
      sb.append(x instanceof INDArray t && t.rank() > 0 ? Tensors.formatInline(t) : repr(x));
    }
    return sb.append(close).toString();
  }

  public static String quote(String s) {
    String q = s.contains("'") && !s.contains("\"") ? "\"" : "'";
    StringBuilder sb = new StringBuilder(q);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (String.valueOf(c).equals(q)) sb.append('\\');
          sb.append(c);
        }
      }
    }
    return sb.append(q).toString();
  }

  /** Numbers, booleans, nested lists/tuples of them, or a tensor, as a float32 tensor. */
  public static INDArray toTensor(Object v) {
    if (v instanceof INDArray t) return t;
    if (v instanceof dln.runtime.autodiff.Variable var) return var.value();
    // A value a gradient tape recorded: its number now (printing the loss, a metric's update).
    if (v instanceof dln.runtime.autodiff.Traced t) return dln.runtime.autodiff.Tape.value(t);
    Object plain = toJava(v);
    if (plain == null) throw DlnException.type("cannot make a tensor from " + typeName(v));
    return Tensors.fromNested(plain, null);
  }

  /** Lists/tuples to java Lists of Numbers/Booleans/INDArrays, or null if not convertible. */
  public static Object toJava(Object v) {
    if (v instanceof Number || v instanceof Boolean || v instanceof INDArray) return v;
    List<?> xs = v instanceof Tuple t ? t.items() : v instanceof List<?> l ? l : null;
    if (xs == null) return null;
    List<Object> out = new ArrayList<>(xs.size());
    for (Object x : xs) {
      Object j = toJava(x);
      if (j == null) return null;
      out.add(j);
    }
    return out;
  }

  /**
   * A one-element eager tensor as its number (Double, Long or Boolean by dtype; a float32 with its
   * shortest digits, see {@link Tensors#shortDouble}); anything else as it is.
   */
  public static Object unwrapScalar(Object v) {
    return v instanceof INDArray t && t.length() == 1 ? Tensors.item(t) : v;
  }

  public static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Boolean;
  }

  /** Python equality: 1 == 1.0, lists and tuples element-wise, tensors by identity elsewhere. */
  public static boolean equal(Object a, Object b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a instanceof DType || b instanceof DType) return DType.same(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Long x && b instanceof Long y) return x.longValue() == y.longValue();
      return toDouble(a) == toDouble(b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) return listEq(x, y);
    if (a instanceof Tuple x && b instanceof Tuple y) return listEq(x.items(), y.items());
    return a.equals(b);
  }

  private static boolean listEq(List<?> x, List<?> y) {
    if (x.size() != y.size()) return false;
    for (int i = 0; i < x.size(); i++) if (!equal(x.get(i), y.get(i))) return false;
    return true;
  }

  public static double toDouble(Object v) {
    if (v instanceof Boolean b) return b ? 1 : 0;
    return ((Number) v).doubleValue();
  }
}

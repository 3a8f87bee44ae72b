package dln.interp;

import dln.interp.value.Items;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.DlnRuntimeException;
import dln.runtime.tensor.OperatorErrors;
import dln.runtime.tensor.TensorOps;
import dln.runtime.tensor.ValueModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Arithmetic and comparison with Python semantics. Anything involving a tensor (eager, traced or a
 * Variable) goes to the runtime's {@link TensorOps}, which also words its errors.
 */
public final class Operators {
  private Operators() {}

  /** How the tensor operators see DLN's values: by DLN's type names, lists and tuples as nested lists. */
  private static final ValueModel VALUES = new ValueModel() {
    @Override
    public String typeName(Object value) {
      return Values.typeName(value);
    }

    @Override
    public List<?> asNestedList(Object value) {
      return value instanceof List || value instanceof Tuple ? (List<?>) Values.toJava(value) : null;
    }
  };

  /**
   * x ** y for ints by repeated squaring: {@code 1 ** (2**63 - 1)} must not loop 2⁶³ times (found
   * by the fuzzer); overflow throws ArithmeticException ("overflow error").
   */
  static long power(long x, long y) {
    if (x == 0) return y == 0 ? 1 : 0;
    if (x == 1) return 1;
    if (x == -1) return (y & 1) == 0 ? 1 : -1;
    long r = 1;
    long base = x;
    while (true) {
      if ((y & 1) != 0) r = Math.multiplyExact(r, base);
      y >>= 1;
      if (y == 0) return r;
      base = Math.multiplyExact(base, base);
    }
  }

  /**
   * {@code a op b} for the arithmetic operators, as the language's {@code a op b} evaluates it;
   * builtins that combine values (such as {@code sum}) use it so that they accept, and word the
   * errors for, exactly what the operator does.
   *
   * @throws DlnRuntimeException when the operands do not combine (to be located by the caller)
   */
  public static Object binary(String op, Object a, Object b) {
    // '%.3f' % x[0]: string formatting, whatever the argument (a one-element tensor included).
    if (op.equals("%") && a instanceof String fmt) return Formatting.percent(fmt, b);
    if (TensorOps.isTensor(a) || TensorOps.isTensor(b)) return TensorOps.binary(op, a, b, VALUES);
    if (Values.isNumber(a) && Values.isNumber(b)) return numeric(op, a, b);
    switch (op) {
      case "+" -> {
        if (a instanceof String x && b instanceof String y) return x + y;
        if (a instanceof List<?> x && b instanceof List<?> y) {
          List<Object> out = new ArrayList<>(x);
          out.addAll(y);
          return out;
        }
        if (a instanceof Tuple x && b instanceof Tuple y) {
          List<Object> out = new ArrayList<>(x.items());
          out.addAll(y.items());
          return new Tuple(out);
        }
      }
      case "*" -> {
        if (a instanceof Long n && !(b instanceof Long)) return repeat(b, n, op, a);
        if (b instanceof Long n) return repeat(a, n, op, b);
      }
      case "%" -> {
        if (a instanceof String fmt) return Formatting.percent(fmt, b);
      }
      default -> { }
    }
    throw mismatch(op, a, b);
  }

  /** The longest list, tuple or string {@code *} may make (like range()'s limit). */
  static final long MAX_REPEAT_ITEMS = 50_000_000;

  private static Object repeat(Object seq, long n, String op, Object other) {
    // Checked before building: 'a' * 10**10 wrapped around (int) and [0] * 10**10 filled the heap,
    // an OutOfMemoryError that can take the host application down. (HostileInputTest)
    long size = seq instanceof String s ? s.length() : seq instanceof List<?> l ? l.size() : seq instanceof Tuple t ? t.size() : -1;
    if (size > 0 && n > 0 && (n > MAX_REPEAT_ITEMS || size * n > MAX_REPEAT_ITEMS)) {
      throw DlnException.value(Values.typeName(seq) + " * " + n + " would hold " + String.format(java.util.Locale.ROOT, "%,.0f", (double) size * n)
          + " items, more than the limit of " + String.format(java.util.Locale.ROOT, "%,d", MAX_REPEAT_ITEMS),
          "use a tensor (zeros(n), full(n, v)) for large data");
    }
    // An empty sequence times 2**31 looped 2**31 times, past every timeout (found by the fuzz run).
    if (size == 0 || n <= 0) {
      if (seq instanceof String) return "";
      if (seq instanceof List) return new ArrayList<>();
      if (seq instanceof Tuple) return new Tuple(new ArrayList<>());
    }
    if (seq instanceof String s) return s.repeat((int) n);
    if (seq instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (long i = 0; i < n; i++) out.addAll(l);
      return out;
    }
    if (seq instanceof Tuple t) {
      List<Object> out = new ArrayList<>();
      for (long i = 0; i < n; i++) out.addAll(t.items());
      return new Tuple(out);
    }
    throw mismatch(op, seq, other);
  }

  static DlnRuntimeException mismatch(String op, Object a, Object b) {
    return OperatorErrors.mismatch(op, Values.typeName(a), Values.typeName(b));
  }

  private static Object numeric(String op, Object a, Object b) {
    boolean ints = !(a instanceof Double) && !(b instanceof Double);
    if (ints) {
      long x = a instanceof Boolean ab ? (ab ? 1 : 0) : (Long) a;
      long y = b instanceof Boolean bb ? (bb ? 1 : 0) : (Long) b;
      switch (op) {
        case "+": return Math.addExact(x, y);
        case "-": return Math.subtractExact(x, y);
        case "*": return Math.multiplyExact(x, y);
        case "/":
          if (y == 0) throw zero();
          return (double) x / y;
        case "//":
          if (y == 0) throw zero();
          return Math.floorDiv(x, y);
        case "%":
          if (y == 0) throw zero();
          return Math.floorMod(x, y);
        case "**":
          if (y >= 0) return power(x, y);
          return Math.pow(x, y);
        default:
          throw mismatch(op, a, b);
      }
    }
    double x = Values.toDouble(a);
    double y = Values.toDouble(b);
    return switch (op) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> {
        if (y == 0) throw zero();
        yield x / y;
      }
      case "//" -> {
        if (y == 0) throw zero();
        yield Math.floor(x / y);
      }
      case "%" -> {
        if (y == 0) throw zero();
        double m = x % y;
        yield (m != 0 && (m < 0) != (y < 0)) ? m + y : m;
      }
      case "**" -> Math.pow(x, y);
      default -> throw mismatch(op, a, b);
    };
  }

  private static DlnException zero() {
    return new DlnException("zero division error", "division by zero");
  }

  /** {@code +v}: a number or tensor unchanged (Python's bool becomes an int), anything else an error. */
  static Object plus(Object v) {
    if (v instanceof Boolean b) return b ? 1L : 0L;
    if (Values.isNumber(v) || TensorOps.isTensor(v)) return v;
    throw DlnException.type("bad operand for unary +: " + Values.typeName(v));
  }

  static Object negate(Object v) {
    if (TensorOps.isTensor(v)) return TensorOps.negate(v);
    if (v instanceof Long l) return Math.negateExact(l);
    if (v instanceof Double d) return -d;
    if (v instanceof Boolean b) return b ? -1L : 0L;
    throw DlnException.type("cannot negate " + Values.typeName(v));
  }

  static Object compare(String op, Object a, Object b) {
    switch (op) {
      case "in": return contains(b, a);
      case "not in": return !contains(b, a);
      case "is": return a == b || (a instanceof Boolean && a.equals(b)) || (a == None.NONE && b == None.NONE);
      case "is not": return !(Boolean) compare("is", a, b);
      default: break;
    }
    if (TensorOps.isTensor(a) || TensorOps.isTensor(b)) return TensorOps.compare(op, a, b, VALUES);
    if (op.equals("==")) return Values.equal(a, b);
    if (op.equals("!=")) return !Values.equal(a, b);
    int c = order(a, b, op);
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      default -> throw new IllegalStateException(op);
    };
  }

  /** Ordering for <, sorted, min and max. */
  static int order(Object a, Object b, String op) {
    if (Values.isNumber(a) && Values.isNumber(b)) {
      if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
      return Double.compare(Values.toDouble(a), Values.toDouble(b));
    }
    if (a instanceof String x && b instanceof String y) return x.compareTo(y);
    List<?> la = a instanceof Tuple t ? t.items() : a instanceof List<?> l ? l : null;
    List<?> lb = b instanceof Tuple t ? t.items() : b instanceof List<?> l ? l : null;
    if (la != null && lb != null && a.getClass() == b.getClass()) {
      for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
        int c = order(la.get(i), lb.get(i), op);
        if (c != 0) return c;
      }
      return Integer.compare(la.size(), lb.size());
    }
    throw OperatorErrors.cannotCompare(op, Values.typeName(a), Values.typeName(b));
  }

  static boolean contains(Object container, Object item) {
    if (container instanceof String s) {
      if (!(item instanceof String sub)) throw DlnException.type("'in <string>' needs a string on the left, got " + Values.typeName(item));
      return s.contains(sub);
    }
    if (container instanceof List<?> l) {
      for (Object x : l) if (Values.equal(x, item)) return true;
      return false;
    }
    if (container instanceof Tuple t) {
      for (Object x : t.items()) if (Values.equal(x, item)) return true;
      return false;
    }
    if (container instanceof Map<?, ?> m) return m.containsKey(Items.key(item));
    throw DlnException.type("'in' needs a list, tuple, dict or string on the right, got " + Values.typeName(container));
  }
}

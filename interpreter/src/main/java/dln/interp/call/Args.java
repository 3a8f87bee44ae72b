package dln.interp.call;

import dln.runtime.Shapes;
import dln.interp.DlnException;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arguments bound to a {@link Params} list, with typed accessors whose errors name the function and
 * the argument: {@code Dense() argument 'units' must be an int, got string}.
 */
public final class Args {
  private final String fn;
  private final Map<String, Object> bound = new LinkedHashMap<>();
  private final List<Object> rest = new ArrayList<>();
  private final Map<String, Object> restKw = new LinkedHashMap<>();
  private final Invoker invoker;

  private Args(String fn, Invoker invoker) {
    this.fn = fn;
    this.invoker = invoker;
  }

  /** Binds call arguments to parameters, checking counts and names the way Python does. */
  public static Args bind(String fn, Params params, Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    Args a = new Args(fn, invoker);
    List<Params.Param> ps = params.params();
    int maxPositional = 0;
    for (Params.Param p : ps) if (!p.keywordOnly()) maxPositional++;
    for (int i = 0; i < positional.size(); i++) {
      if (i < maxPositional) {
        a.bound.put(ps.get(i).name(), positional.get(i));
      } else if (params.varargs() != null) {
        a.rest.add(positional.get(i));
      } else {
        throw DlnException.argument(fn + "() takes " + (maxPositional == 0 ? "no" : "at most " + maxPositional)
            + " positional argument" + (maxPositional == 1 ? "" : "s") + " (" + positional.size() + " given)");
      }
    }
    for (Map.Entry<String, Object> e : keywords.entrySet()) {
      Params.Param p = params.find(e.getKey());
      if (p == null) {
        if (params.varkw() != null) {
          a.restKw.put(e.getKey(), e.getValue());
          continue;
        }
        String close = Names.closest(e.getKey(), params.keywordNames());
        throw DlnException.argument(fn + "() got an unexpected keyword argument '" + e.getKey() + "'",
            close != null ? "did you mean '" + close + "'?"
                : params.keywordNames().isEmpty() ? null : "it accepts: " + String.join(", ", params.keywordNames()));
      }
      if (a.bound.containsKey(p.name())) {
        throw DlnException.argument(fn + "() got multiple values for argument '" + p.name() + "'");
      }
      a.bound.put(p.name(), e.getValue());
    }
    for (Params.Param p : ps) {
      if (!p.optional() && !a.bound.containsKey(p.name())) {
        throw DlnException.argument(fn + "() missing required argument '" + p.name() + "'");
      }
    }
    return a;
  }

  public String function() {
    return fn;
  }

  public Invoker invoker() {
    return invoker;
  }

  /** True when the argument was given and is not none. */
  public boolean has(String name) {
    Object v = bound.get(name);
    return v != null && v != None.NONE;
  }

  /** The raw value, or null when absent (none counts as given: use {@link #has}). */
  public Object get(String name) {
    return bound.get(name);
  }

  public Object get(String name, Object dflt) {
    return has(name) ? bound.get(name) : dflt;
  }

  /** Extra positional arguments (*args). */
  public List<Object> rest() {
    return rest;
  }

  /** Extra keyword arguments (**kwargs). */
  public Map<String, Object> restKeywords() {
    return restKw;
  }

  private DlnException wrong(String name, String what) {
    return DlnException.type(fn + "() argument '" + name + "' must be " + what + ", got " + Values.typeName(bound.get(name)));
  }

  public long integer(String name) {
    Object v = require(name);
    if (v instanceof Long l) return l;
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof Double d && d == Math.rint(d)) return d.longValue();
    throw wrong(name, "an int");
  }

  public long integer(String name, long dflt) {
    return has(name) ? integer(name) : dflt;
  }

  public int intValue(String name) {
    long v = integer(name);
    // An int argument past 2**31 (circle(10**10)) is the user's value error, not an
    // ArithmeticException from toIntExact. (Found by fuzzing.)
    if (v != (int) v) {
      throw DlnException.value(fn + "() argument '" + name + "' is too large: " + v, "use a value below 2147483648");
    }
    return (int) v;
  }

  public int intValue(String name, int dflt) {
    return has(name) ? intValue(name) : dflt;
  }

  public double number(String name) {
    Object v = require(name);
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof INDArray t && t.length() == 1) return t.getDouble(0);
    throw wrong(name, "a number");
  }

  public double number(String name, double dflt) {
    return has(name) ? number(name) : dflt;
  }

  public boolean bool(String name, boolean dflt) {
    if (!has(name)) return dflt;
    return Values.truthy(bound.get(name));
  }

  public String string(String name) {
    Object v = require(name);
    if (v instanceof String s) return s;
    throw wrong(name, "a string");
  }

  public String string(String name, String dflt) {
    return has(name) ? string(name) : dflt;
  }

  /** A tensor, converting numbers and nested lists (float32). */
  public INDArray tensor(String name) {
    Object v = require(name);
    try {
      return Values.toTensor(v);
    } catch (DlnException e) {
      throw wrong(name, "a tensor (or a number or list of numbers)");
    }
  }

  /** A list or tuple as a Java list. */
  public List<Object> list(String name) {
    Object v = require(name);
    if (v instanceof List<?> l) return new ArrayList<>(l);
    if (v instanceof Tuple t) return t.items();
    throw wrong(name, "a list or tuple");
  }

  /** An int or a tuple/list of ints, e.g. kernel_size=3 or (3, 3); a single int is repeated n times. */
  public int[] ints(String name, int n) {
    Object v = require(name);
    if (v instanceof Long l) {
      // n == 0 means "any length": a single int is then a one-element list (axis=0, shape 784).
      int[] out = new int[Math.max(n, 1)];
      java.util.Arrays.fill(out, Math.toIntExact(l));
      return out;
    }
    List<Object> xs = v instanceof Tuple t ? t.items() : v instanceof List<?> l ? new ArrayList<>(l) : null;
    if (xs == null) throw wrong(name, n == 1 ? "an int" : "an int or a tuple of " + n + " ints");
    int[] out = new int[xs.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(xs.get(i) instanceof Long l)) throw wrong(name, "a tuple of ints");
      out[i] = Math.toIntExact(l);
    }
    if (n > 0 && out.length != n) {
      throw DlnException.value(fn + "() argument '" + name + "' must have " + n + " values, got " + out.length);
    }
    return out;
  }

  /** A shape: an int or a tuple/list of ints of any length. */
  public long[] shape(String name) {
    int[] xs = ints(name, 0);
    long[] out = new long[xs.length];
    for (int i = 0; i < xs.length; i++) out[i] = xs[i];
    return out;
  }

  /**
   * A per-sample input shape: an int, or a tuple/list of ints and {@code None} (an axis of any
   * size, as Keras's {@code Input(shape=(None,))}), None given as {@link Shapes#UNKNOWN}.
   */
  public long[] sampleShape(String name) {
    Object v = require(name);
    List<Object> xs = v instanceof Long ? List.of(v) : v instanceof Tuple t ? t.items() : v instanceof List<?> l ? new ArrayList<>(l) : null;
    if (xs == null) throw wrong(name, "an int or a tuple of ints and None");
    long[] out = new long[xs.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = xs.get(i);
      if (d instanceof Long l && l < 0) {
        // -1 is how the runtime spells None; written by hand it is a mistake, not "any size".
        throw DlnException.value(fn + "() argument '" + name + "' has a dimension " + l + "; every dimension must be positive or None",
            "write None for an axis of any size, e.g. shape=(None,)");
      }
      if (d instanceof Long l) out[i] = l;
      else if (d == None.NONE) out[i] = Shapes.UNKNOWN;
      else throw wrong(name, "a tuple of ints and None (None: an axis of any size)");
    }
    return out;
  }

  /**
   * A name given as an identifier value or a string, as in {@code activation=relu} or
   * {@code activation='relu'}: strings pass through; builtins and functions give their name.
   */
  public String nameLike(String name) {
    Object v = require(name);
    if (v instanceof String s) return s;
    if (v instanceof dln.interp.value.DType d) return d.name();
    if (v instanceof Callable c) return c.name();
    throw wrong(name, "a name or a string");
  }

  public String nameLike(String name, String dflt) {
    return has(name) ? nameLike(name) : dflt;
  }

  public <T> T object(String name, Class<T> type, String what) {
    Object v = require(name);
    if (type.isInstance(v)) return type.cast(v);
    throw wrong(name, what);
  }

  private Object require(String name) {
    Object v = bound.get(name);
    if (v == null) throw DlnException.argument(fn + "() missing required argument '" + name + "'");
    return v;
  }
}

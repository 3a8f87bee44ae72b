package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.Operators;
import dln.interp.Interpreter;
import dln.interp.call.Args;
import dln.interp.call.Callable;
import dln.interp.call.TypeTable;
import dln.interp.value.Items;
import dln.interp.value.Iteration;
import dln.interp.value.None;
import dln.interp.value.Range;
import dln.interp.value.Tuple;
import dln.interp.value.ValueType;
import dln.interp.value.Values;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Python's everyday builtins, and the methods of lists, dicts and strings. */
public final class CoreLib implements Library {
  /** Defines the builtins topic by topic; the order is the table's (and help's) order. */
  @Override
  public void install(Globals g) {
    printing(g);
    sizes(g);
    conversions(g);
    numbers(g);
    iteration(g);
    program(g);
    CollectionMethods.install();
    StringMethods.install();
    for (String name : List.of("str", "int", "float", "bool", "list", "tuple", "dict", "range", "type")) {
      ((dln.interp.call.Builtin) g.get(name)).asType();
    }
    g.set("Ellipsis", dln.interp.value.Ellipsis.ELLIPSIS, "Python's ..., in a tensor index the axes the other indices leave.\n"
        + "Example: x[..., 0]  # the first channel of every pixel");
    TypeTable.define(dln.interp.value.Ellipsis.class, "ellipsis").repr(e -> "Ellipsis");
  }

  /** Output: print. */
  private static void printing(Globals g) {
    g.def("print", "*values, sep?, end?, flush?, file?", "Prints values separated by sep (a space) and then end (a newline); output is always flushed. "
        + "file= writes to a file opened for writing instead.\nExample: print('loss', 0.25, sep=': ')", a -> {
      String sep = a.get("sep", None.NONE) == None.NONE ? " " : a.string("sep");
      String end = a.get("end", None.NONE) == None.NONE ? "\n" : a.string("end");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < a.rest().size(); i++) {
        if (i > 0) sb.append(sep);
        sb.append(Values.str(a.rest().get(i)));
      }
      Object file = a.get("file", None.NONE);
      if (file instanceof TextFile f) {
        f.write(sb.append(end).toString());
      } else if (file != None.NONE) {
        throw new DlnException("type error", "print(file=...) needs a file opened for writing, got " + Values.typeName(file),
            "open one with open(path, 'w'), or leave file= out to print to the screen", null);
      } else {
        a.invoker().out().print(sb.append(end));
        a.invoker().out().flush();
      }
      return None.NONE;
    });
  }

  /** Sizes and counting: len, range. */
  private static void sizes(Globals g) {
    g.def("len", "x", "Number of items in a list, tuple, dict or string; the first dimension of a tensor.\nExample: len([1, 2, 3])", a -> {
      Object x = a.get("x");
      if (x instanceof List<?> l) return (long) l.size();
      if (x instanceof Tuple t) return (long) t.size();
      if (x instanceof Map<?, ?> m) return (long) m.size();
      if (x instanceof String s) return (long) s.length();
      if (x instanceof INDArray t) {
        if (t.rank() == 0) throw DlnException.type("len() of a 0-d tensor");
        return t.size(0);
      }
      Object n = TypeTable.getAttr(x, "__len__");
      if (n instanceof Long l) return l;
      throw DlnException.type("object of type " + Values.typeName(x) + " has no len()");
    });
    g.def("range", "start, stop?, step?", "The ints from start (default 0) up to but not including stop, computed as they are used.\nExample: range(5), range(1, 10, 2)", a -> {
      long start = a.has("stop") ? a.integer("start") : 0;
      long stop = a.has("stop") ? a.integer("stop") : a.integer("start");
      long step = a.integer("step", 1);
      if (step == 0) throw DlnException.value("range() step must not be zero");
      // Exact count unless stop - start overflows a long (range(-2**62, 2**62)): that made the old
      // count 0 and the loop below run until the heap was gone. (HostileInputTest)
      long count;
      try {
        long diff = Math.subtractExact(stop, start);
        count = step > 0 ? (diff <= 0 ? 0 : (diff - 1) / step + 1) : (diff >= 0 ? 0 : -(diff + 1) / -step + 1);
      } catch (ArithmeticException e) {
        count = (long) Math.max(0, Math.ceil(((double) stop - (double) start) / step));
      }
      // Items are computed on demand (Range), so only the count is bounded: by a Java list's size.
      if (count > Integer.MAX_VALUE) throw DlnException.value("range() of " + count + " items is too large");
      return new Range(start, stop, step, (int) count);
    });
  }

  /** Types and conversions: str, repr, int, float, bool, type, isinstance, list, tuple, dict. */
  private static void conversions(Globals g) {
    g.def("str", "x?", "Converts a value to a string.\nExample: str(3.5) + ' units'", a -> a.has("x") ? Values.str(a.get("x")) : "");
    g.def("repr", "x", "The printed form of a value, strings quoted.\nExample: repr('a')", a -> Values.repr(a.get("x")));
    g.def("int", "x?", "Converts to an int (truncating floats; parses strings; one-element tensors).\nExample: int('42'), int(3.9)", a -> {
      if (!a.has("x")) return 0L;
      Object x = a.get("x");
      if (x instanceof Long) return x;
      if (x instanceof Boolean b) return b ? 1L : 0L;
      if (x instanceof Double d) {
        if (d.isNaN() || d.isInfinite()) throw DlnException.value("cannot convert " + Values.repr(d) + " to int");
        return (long) d.doubleValue();
      }
      if (x instanceof String s) {
        try {
          return Long.parseLong(s.strip().replace("_", ""));
        } catch (NumberFormatException e) {
          throw DlnException.value("invalid literal for int(): " + Values.quote(s));
        }
      }
      if (x instanceof INDArray t) {
        double d = scalar(t, "int");
        // int64 elements exactly (a double would round those past 2**53).
        return Tensors.item(t) instanceof Long l ? l : (long) d;
      }
      throw DlnException.type("int() cannot convert " + Values.typeName(x));
    });
    g.def("float", "x?", "Converts to a float (parses strings; one-element tensors).\nExample: float('1e-3'), float(t.sum())", a -> {
      if (!a.has("x")) return 0.0;
      Object x = a.get("x");
      if (x instanceof Long l) return l.doubleValue();
      if (x instanceof Double) return x;
      if (x instanceof Boolean b) return b ? 1.0 : 0.0;
      if (x instanceof String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.equals("nan")) return Double.NaN;
        if (t.equals("inf") || t.equals("+inf")) return Double.POSITIVE_INFINITY;
        if (t.equals("-inf")) return Double.NEGATIVE_INFINITY;
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          throw DlnException.value("could not convert string to float: " + Values.quote(s));
        }
      }
      if (x instanceof dln.runtime.autodiff.Traced || x instanceof dln.runtime.autodiff.Variable) x = Values.toTensor(x);
      if (x instanceof INDArray t) return scalar(t, "float");
      throw DlnException.type("float() cannot convert " + Values.typeName(x));
    });
    g.def("bool", "x?", "Truth value of x.\nExample: bool([])", a -> a.has("x") && Values.truthy(a.get("x")));
    g.def("type", "x", "The class of a value, as in Python: type(3) is int; type(x).__name__ is its name.\nExample: type(3.0).__name__  # 'float'", a -> typeOf(g, a.get("x")));
    g.def("property", "fget", "A method read as an attribute: decorate a method with @property.\n"
        + "Example: @property\ndef metrics(self):\n    return [self.loss_tracker]", a -> {
          Callable getter = dln.interp.call.TypeTable.callable(a.get("fget"));
          if (getter == null) throw DlnException.type("property() takes a function, got " + Values.typeName(a.get("fget")));
          return new dln.interp.value.Property(getter);
        });
    g.def("isinstance", "x, type", "True if x is an instance of the class (or one of a tuple of classes); a type name as a string works too.\nExample: isinstance(x, (int, float))", a -> {
      String t = Values.typeName(a.get("x"));
      Object want = a.get("type");
      List<Object> names = want instanceof Tuple tu ? tu.items() : want instanceof List<?> l ? new ArrayList<>(l) : List.of(want);
      for (Object n : names) {
        if (n instanceof dln.interp.value.DlnClass dc) {
          if (a.get("x") instanceof dln.interp.value.DlnObject o && o.cls().isSubclassOf(dc)) return true;
          // Every layer is a keras.layers.Layer, the builtin ones included.
          if (dc == CustomLayerLib.LAYER && a.get("x") instanceof dln.runtime.nn.Layer) return true;
          if (dc == CustomModelLib.MODEL && a.get("x") instanceof dln.runtime.nn.Model) return true;
          continue;
        }
        if (n instanceof dln.interp.value.ExceptionType et) {
          if (a.get("x") instanceof dln.interp.value.ExceptionValue ev && ev.type().isSubclassOf(et)) return true;
          continue;
        }
        String s = n instanceof Callable c ? c.name() : n instanceof ValueType vt ? vt.name() : Values.str(n);
        // bool derives from int in Python: isinstance(True, int) is true.
        if (s.equals(t) || (s.equals("str") && t.equals("string")) || (s.equals("int") && t.equals("bool"))) return true;
      }
      return false;
    });
    g.def("list", "x?", "A new list from any iterable.\nExample: list(range(3))", a -> a.has("x") ? Iteration.toList(a.invoker(), a.get("x")) : new ArrayList<>());
    g.def("tuple", "x?", "A tuple from any iterable.\nExample: tuple([1, 2])", a -> a.has("x") ? new Tuple(Iteration.toList(a.invoker(), a.get("x"))) : new Tuple(List.of()));
    g.def("dict", "x?, **kwargs", "A new dict from pairs or keywords.\nExample: dict(lr=0.1, epochs=5)", a -> {
      Map<Object, Object> out = new LinkedHashMap<>();
      if (a.has("x")) {
        Object x = a.get("x");
        if (x instanceof Map<?, ?> m) out.putAll(m);
        else for (Object pair : Iteration.toList(a.invoker(), a.get("x"))) {
          List<Object> kv = pair instanceof Tuple t ? t.items() : pair instanceof List<?> l ? new ArrayList<>(l) : null;
          if (kv == null || kv.size() != 2) throw DlnException.value("dict() needs (key, value) pairs");
          out.put(Items.key(kv.get(0)), kv.get(1));
        }
      }
      out.putAll(a.restKeywords());
      return out;
    });
  }

  /** Numbers and reductions over items: abs, round, sum, min, max, any, all. */
  private static void numbers(Globals g) {
    g.def("abs", "x", "Absolute value of a number or, element-wise, of a tensor.\nExample: abs(-3)", a -> {
      Object x = a.get("x");
      if (x instanceof Long l) return Math.abs(l);
      if (x instanceof Double d) return Math.abs(d);
      if (x instanceof Boolean b) return b ? 1L : 0L;
      if (x instanceof INDArray t) return Tensors.unary("abs", t);
      throw DlnException.type("abs() needs a number or tensor, got " + Values.typeName(x));
    });
    g.def("round", "x, ndigits?", "Rounds a number (or a tensor element-wise) to ndigits decimals (default: to an int).\nExample: round(3.14159, 2)", a -> {
      Object x = a.get("x");
      if (x instanceof INDArray t) {
        if (!a.has("ndigits")) return Tensors.unary("round", t);
        double f = Math.pow(10, a.integer("ndigits"));
        return Tensors.binary("/", Tensors.unary("round", Tensors.binary("*", t, f)), f);
      }
      if (x instanceof Long) return x;
      double d = a.number("x");
      if (!a.has("ndigits")) {
        // As Python: no int for NaN or infinity; and DLN's ints are 64-bit (found by the fuzzer).
        if (Double.isNaN(d)) throw DlnException.value("cannot convert float NaN to integer");
        double r = Math.rint(d);
        if (Double.isInfinite(d) || r >= 0x1p63 || r < -0x1p63) {
          throw new DlnException("overflow error", "round(" + dln.interp.value.Values.str(d) + ") does not fit in an int", null, null);
        }
        return (long) r;
      }
      if (!Double.isFinite(d)) return d;
      return new java.math.BigDecimal(Double.toString(d)).setScale((int) a.integer("ndigits"), java.math.RoundingMode.HALF_EVEN).doubleValue();
    });
    g.def("sum", "x, axis?, keepdims?, start?", "Sum of a list of numbers, or of a tensor's elements (along axis).\nExample: sum([1, 2, 3]); sum(t, axis=0)", a -> {
      Object x = a.get("x");
      if (x instanceof INDArray t) return reduce("sum", t, a);
      Object acc = a.get("start", 0L);
      for (Iterator<?> it = Iteration.of(a.invoker(), x); it.hasNext(); ) acc = Operators.binary("+", acc, it.next());
      return acc;
    });
    g.def("min", "*values, axis?, keepdims?, key?", "Smallest item of a list or of several values; for a tensor, its minimum (along axis).\nExample: min(3, 1, 2); min(t, axis=1)", a -> extreme(a, "min"));
    g.def("max", "*values, axis?, keepdims?, key?", "Largest item of a list or of several values; for a tensor, its maximum (along axis).\nExample: max([3, 1, 2]); max(t)", a -> extreme(a, "max"));
    g.def("any", "x", "True if any item (or tensor element) is true.\nExample: any([false, true])", a -> {
      Object x = a.get("x");
      if (x instanceof INDArray t) return t.neq(0).any();
      for (Iterator<?> it = Iteration.of(a.invoker(), x); it.hasNext(); ) if (Values.truthy(it.next())) return true;
      return false;
    });
    g.def("all", "x", "True if every item (or tensor element) is true.\nExample: all([true, true])", a -> {
      Object x = a.get("x");
      if (x instanceof INDArray t) return t.neq(0).all();
      for (Iterator<?> it = Iteration.of(a.invoker(), x); it.hasNext(); ) if (!Values.truthy(it.next())) return false;
      return true;
    });
  }

  /** Walking and reshaping sequences: zip, enumerate, reversed, sorted, map, filter. */
  private static void iteration(Globals g) {
    g.def("zip", "*iterables", "Tuples of items taken in step from each iterable.\nExample: for x, y in zip(xs, ys): print(x, y)", a -> {
      List<List<Object>> lists = new ArrayList<>();
      for (Object it : a.rest()) lists.add(Iteration.toList(a.invoker(), it));
      int n = lists.stream().mapToInt(List::size).min().orElse(0);
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<Object> row = new ArrayList<>();
        for (List<Object> l : lists) row.add(l.get(i));
        out.add(new Tuple(row));
      }
      return out;
    });
    g.def("enumerate", "x, start?", "(index, item) pairs.\nExample: for i, fn in enumerate(['relu', 'tanh']): print(i, fn)", a -> {
      long i = a.integer("start", 0);
      List<Object> out = new ArrayList<>();
      for (Object item : Iteration.toList(a.invoker(), a.get("x"))) out.add(Tuple.of(i++, item));
      return out;
    });
    g.def("reversed", "x", "The items in reverse order.\nExample: reversed([1, 2, 3])", a -> {
      List<Object> l = Iteration.toList(a.invoker(), a.get("x"));
      Collections.reverse(l);
      return l;
    });
    g.def("sorted", "x, key?, reverse?", "A sorted list of the items.\nExample: sorted(scores, key=lambda s: s[1], reverse=true)", a -> {
      List<Object> l = Iteration.toList(a.invoker(), a.get("x"));
      Ordering.sort(a.invoker(), l, a.get("key", null), a.bool("reverse", false));
      return l;
    });
    g.def("map", "fn, x", "fn applied to each item.\nExample: map(lambda v: v * 2, [1, 2])", a -> {
      List<Object> out = new ArrayList<>();
      for (Object item : Iteration.toList(a.invoker(), a.get("x"))) out.add(a.invoker().call(a.get("fn"), item));
      return out;
    });
    g.def("filter", "fn, x", "The items for which fn is true.\nExample: filter(lambda v: v > 0, xs)", a -> {
      List<Object> out = new ArrayList<>();
      for (Object item : Iteration.toList(a.invoker(), a.get("x"))) if (Values.truthy(a.invoker().call(a.get("fn"), item))) out.add(item);
      return out;
    });
  }

  /** The running program: its command-line settings (arg), stopping it (error), callable. */
  private static void program(Globals g) {
    g.def("arg", "name, default",
        "A command-line setting given as name=value after the script name, converted to the type of the default.\n"
            + "Example: epochs = arg('epochs', 12)   # ./dln scripts/mnist_cnn.dln epochs=2", a -> {
          String name = a.string("name");
          Object dflt = a.get("default");
          Object argv = ((Interpreter) a.invoker()).globals().lookup("argv");
          if (!(argv instanceof List<?> list)) return dflt;
          for (Object o : list) {
            String s = String.valueOf(o);
            if (!s.startsWith(name + "=")) continue;
            String v = s.substring(name.length() + 1);
            try {
              if (dflt instanceof Long) return Long.parseLong(v);
              if (dflt instanceof Double) return Double.parseDouble(v);
              if (dflt instanceof Boolean) return v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes");
            } catch (NumberFormatException e) {
              throw DlnException.value("command-line setting " + s + " is not a valid " + Values.typeName(dflt),
                  "write it like " + name + "=" + Values.str(dflt));
            }
            return v;
          }
          return dflt;
        });
    g.def("error", "message", "Stops the program with an error message (like Python's raise).\nExample: if depth < 8: error('depth must be at least 8')", a -> {
      String message = a.string("message");
      // A blank message would print as a bare "error:" (found by the fuzzer): say where it came from.
      throw new DlnException("error", message.isBlank() ? "error() was called with an empty message" : message);
    });
    g.def("dir", "x?", "The sorted names of x's attributes and methods; without x, the variables of the current scope.\nExample: dir(model)", a ->
        // dir() itself is the evaluator's (it sees the caller's scope); called under another name, the globals.
        new ArrayList<Object>(a.has("x") ? dln.interp.value.Attributes.dir(a.get("x"))
            : new java.util.TreeSet<>(((Interpreter) a.invoker()).globals().vars().keySet())));
    g.def("help", "x", "Prints the help on x that the REPL's :help shows (a string is looked up as a name).\nExample: help(Dense)", a -> {
      a.invoker().out().println(((Interpreter) a.invoker()).helpText(a.get("x")));
      a.invoker().out().flush();
      return None.NONE;
    });
    g.def("callable", "x", "True if x can be called.\nExample: callable(print)", a -> TypeTable.callable(a.get("x")) != null);
  }

  /**
   * type(x): a user object's class, an exception's class, the builtin class for Python's own types
   * (int, str, list…), else one {@link ValueType} per DLN type name (tensor, Dense, function).
   */
  private static Object typeOf(Globals g, Object x) {
    if (x instanceof dln.interp.value.DlnObject o) return o.cls();
    if (x instanceof dln.interp.value.ExceptionValue e) return e.type();
    if (x instanceof dln.interp.value.DlnClass || x instanceof dln.interp.value.ExceptionType || x instanceof ValueType) return g.get("type");
    if (x instanceof dln.interp.call.Builtin b && b.isType()) return g.get("type");
    String name = switch (Values.typeName(x)) {
      case "string" -> "str";
      case "none" -> "NoneType";
      default -> Values.typeName(x);
    };
    return g.get(name) instanceof dln.interp.call.Builtin b && b.isType() ? b : ValueType.of(name);
  }

  static double scalar(INDArray t, String fn) {
    if (t.length() != 1) {
      throw DlnException.type(fn + "() needs a tensor with one element, got shape " + dln.runtime.Shapes.str(t.shape()));
    }
    // float(x[0]) of a float32 is the float with the same digits (0.1), as the tensor prints it.
    return Values.toDouble(Tensors.item(t));
  }

  private static Object reduce(String op, INDArray t, Args a) {
    int[] axes = a.has("axis") ? a.ints("axis", 0) : null;
    INDArray r = Tensors.reduce(op, t, axes, a.bool("keepdims", false));
    return r;
  }

  private static Object extreme(Args a, String op) {
    List<Object> values = a.rest();
    if (values.size() == 1 && values.get(0) instanceof INDArray t) return reduce(op, t, a);
    if (values.isEmpty()) throw DlnException.argument(op + "() expected at least 1 argument, got 0");
    List<Object> items = values.size() == 1 ? Iteration.toList(a.invoker(), values.get(0)) : new ArrayList<>(values);
    if (items.isEmpty()) throw DlnException.value(op + "() of an empty sequence");
    Object key = a.get("key", null);
    Object best = items.get(0);
    Object bestKey = key == null ? best : a.invoker().call(key, best);
    for (int i = 1; i < items.size(); i++) {
      Object k = key == null ? items.get(i) : a.invoker().call(key, items.get(i));
      int c = Ordering.compare(k, bestKey);
      if (op.equals("min") ? c < 0 : c > 0) {
        best = items.get(i);
        bestKey = k;
      }
    }
    return best;
  }
}

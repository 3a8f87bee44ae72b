package dln.fuzz;

import dln.interp.call.Builtin;
import dln.interp.call.Params;
import dln.interp.value.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Grammar-aware generation of random DLN programs: every construct of {@code Dln.g4} (simple and
 * compound statements, indented and one-line blocks, every operator, literals of every kind,
 * calls with positional, {@code k=v}, terse {@code k v}, {@code *} and {@code **} arguments,
 * indexing, slicing, attributes, lambdas, chains) and calls to the real builtins with random
 * arguments, including tensors of random shapes. Most programs are valid or nearly so, so the
 * evaluator (not only the parser) is exercised; a few deliberately contain edge values (huge ints,
 * NaN, negative sizes, empty tensors) that have found bugs before.
 *
 * <p>Deterministic: the same {@link Random} seed gives the same program.
 */
final class ProgramGenerator {
  /** A builtin the generator may call: its name (with namespace prefix) and keyword names. */
  record Fn(String name, List<String> keywords, int required) {}

  private static final String[] VARS = {"a", "b", "c", "x", "y", "t", "xs", "d", "s", "n"};
  private static final String[] ATTRS = {"shape", "T", "dtype", "append", "pop", "keys", "items", "values", "join",
      "format", "reshape", "sum", "mean", "size", "ndim", "extend", "upper", "split", "get", "numpy", "copy",
      "argmax", "max", "min", "flatten", "transpose", "item", "tolist", "nope"};
  private static final String[] KEYWORD_NAMES = {"axis", "keepdims", "dtype", "shape", "activation", "stride",
      "padding", "units", "key", "reverse", "start", "end", "sep", "alpha", "name", "x", "n"};
  private static final String[] BINOPS = {"+", "-", "*", "/", "//", "%", "**", "@"};
  private static final String[] CMPOPS = {"<", ">", "==", ">=", "<=", "!=", "in", "not in", "is", "is not"};
  private static final String[] AUGOPS = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "@="};
  private static final String[] EDGE_INTS = {"0", "1", "-1", "2", "3", "7", "255", "65536", "2147483647",
      "2147483648", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "0x7fffffffffffffff",
      "0xFF", "1_000", "100000", "10**10", "2**62", "2**63", "-2**31"};
  private static final String[] EDGE_FLOATS = {"0.0", "-0.0", "1.5", "1e-3", ".5", "1e308", "1e309", "2.5e-324",
      "float('nan')", "float('inf')", "-float('inf')", "3.14159", "1e10"};
  private static final String[] STRINGS = {"''", "'a'", "'relu'", "'same'", "'abc'", "\"x\\n\"", "'\\t\\\\'",
      "'\\x41'", "'\\u00e9'", "'%d %s'", "'{} {}'", "'{0}'", "'\\''", "'''tri\nple'''", "\"\"\"doc\"\"\"",
      "'softmax'", "'float64'", "'int32'", "'mse'", "'%'", "'{'", "'\\q'", "'\\u12'"};

  private final Random r;
  private final List<Fn> builtins;
  private final StringBuilder out = new StringBuilder();
  private int budget;
  private final List<String> functions = new ArrayList<>();

  ProgramGenerator(Random r, List<Fn> builtins) {
    this.r = r;
    this.builtins = builtins;
  }

  /** The callable builtins of a fresh interpreter, with their keyword names, namespaces included. */
  static List<Fn> builtinsOf(Map<String, Object> globals) {
    List<Fn> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : globals.entrySet()) {
      if (e.getValue() instanceof Builtin b) out.add(fn(e.getKey(), b));
      if (e.getValue() instanceof Namespace ns) {
        for (Map.Entry<String, Object> m : ns.members().entrySet()) {
          if (m.getValue() instanceof Builtin b) out.add(fn(e.getKey() + "." + m.getKey(), b));
          if (m.getValue() instanceof Namespace inner) {
            for (Map.Entry<String, Object> k : inner.members().entrySet()) {
              if (k.getValue() instanceof Builtin b) out.add(fn(e.getKey() + "." + m.getKey() + "." + k.getKey(), b));
            }
          }
        }
      }
    }
    return out;
  }

  private static Fn fn(String name, Builtin b) {
    List<String> kws = new ArrayList<>();
    int required = 0;
    for (Params.Param p : b.params().params()) {
      kws.add(p.name());
      kws.addAll(p.aliases());
      if (!p.optional() && !p.keywordOnly()) required++;
    }
    return new Fn(name, kws, required);
  }

  /** A whole program of a few statements. */
  String program() {
    out.setLength(0);
    functions.clear();
    budget = 20 + r.nextInt(80);
    // Most programs first give the variables values, so later statements get past name errors.
    if (r.nextInt(4) > 0) {
      for (String v : VARS) {
        if (r.nextInt(3) == 0) out.append(v).append(" = ").append(r.nextInt(3) == 0 ? tensor() : expr(1)).append('\n');
      }
    }
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n && budget > 0; i++) stmt(0);
    return out.toString();
  }

  // ------------------------------------------------------------------------------- statements

  private void indent(int level) {
    out.append("    ".repeat(level));
  }

  private void stmt(int level) {
    budget--;
    int k = r.nextInt(level > 3 || budget < 0 ? 6 : 15);
    switch (k) {
      case 0, 1, 2 -> line(level, simple());
      case 3 -> line(level, "print(" + expr(2) + ")");
      case 4 -> line(level, simple() + "; " + simple() + (r.nextInt(4) == 0 ? ";" : ""));
      case 5 -> {
        if (r.nextInt(6) == 0) out.append("# comment ").append(expr(1)).append('\n');
        else line(level, simple());
      }
      case 6 -> {
        indent(level);
        out.append("if ").append(expr(2)).append(':');
        block(level);
        while (r.nextInt(3) == 0) {
          indent(level);
          out.append("elif ").append(expr(2)).append(':');
          block(level);
        }
        if (r.nextBoolean()) {
          indent(level);
          out.append("else:");
          block(level);
        }
      }
      case 7 -> {
        indent(level);
        String target = r.nextInt(4) == 0 ? "i, j" : "i";
        String iter = switch (r.nextInt(6)) {
          case 0 -> "range(" + smallInt() + ")";
          case 1 -> "enumerate(" + list(2) + ")";
          case 2 -> "zip(" + list(2) + ", " + list(2) + ")";
          case 3 -> expr(2);
          case 4 -> "randn(" + (1 + r.nextInt(3)) + ", 2)";
          default -> list(2);
        };
        out.append("for ").append(target).append(" in ").append(iter).append(':');
        block(level);
      }
      case 8 -> {
        // A bounded loop: an unbounded random one would only measure the timeout.
        String v = "w" + r.nextInt(3);
        line(level, v + " = 0");
        indent(level);
        out.append("while ").append(v).append(" < ").append(smallInt()).append(r.nextInt(5) == 0 ? " and " + expr(1) : "").append(':');
        out.append('\n');
        line(level + 1, v + " += 1");
        int body = r.nextInt(3);
        for (int i = 0; i < body; i++) stmt(level + 1);
        if (r.nextInt(4) == 0) line(level + 1, r.nextBoolean() ? "break" : "continue");
      }
      case 9, 10 -> funcdef(level);
      case 12 -> tryStmt(level);
      case 13 -> classdef(level);
      case 14 -> line(level, pick(new String[] {"raise ValueError(" + expr(1) + ")", "assert " + expr(2) + ", 'why'",
          "del " + pick(VARS), "global g" + r.nextInt(2), "raise", "raise C1(" + expr(1) + ") from " + pick(new String[] {"e", "None", "C0()", expr(1)}),
          "print(type(" + expr(1) + ").__name__, type(" + expr(1) + ") is " + pick(new String[] {"int", "float", "str", "C0"}) + ")",
          "print(dir(" + pick(new String[] {"", "o", "C1", "np", expr(1)}) + "))", "help(" + pick(new String[] {"Dense", "o", "'relu'", expr(1)}) + ")",
          "print(" + expr(1) + ", " + expr(1) + ", sep=" + pick(new String[] {"'-'", "None", "''", expr(1)}) + ", end=" + pick(new String[] {"''", "None", expr(1)}) + ")",
          "with open(" + pick(new String[] {"'f.txt'", "'/etc/passwd'", expr(1)}) + ", " + pick(new String[] {"'w'", "'r'", "'rb'", expr(1)}) + ") as fh: print(fh.read(), file=fh)",
          "print(str(o), repr(o), f'{o!r}', isinstance(o, (C0, " + pick(new String[] {"int", "ValueError", "Exception"}) + ")))"}));
      default -> {
        indent(level);
        out.append(r.nextBoolean() ? "for q in " + list(1) + ": " : "if " + expr(1) + ": ");
        out.append(simple()).append('\n');
      }
    }
  }

  /** try/except/else/finally with Python's exception names (issue 16). */
  private void tryStmt(int level) {
    indent(level);
    out.append("try:");
    block(level);
    int handlers = r.nextInt(3);
    for (int i = 0; i < handlers; i++) {
      indent(level);
      out.append("except ").append(pick(new String[] {"ValueError", "(TypeError, IndexError)", "Exception as e", "ZeroDivisionError as e",
          "NameError", "5"})).append(':');
      block(level);
    }
    if (handlers > 0 && r.nextBoolean()) {
      indent(level);
      out.append("except:");
      block(level);
    }
    if (handlers > 0 && r.nextInt(3) == 0) {
      indent(level);
      out.append("else:");
      block(level);
    }
    if (handlers == 0 || r.nextBoolean()) {
      indent(level);
      out.append("finally:");
      block(level);
    }
  }

  /** A class with __init__, a method and maybe a base, then an instance and a method call. */
  private void classdef(int level) {
    String name = "C" + r.nextInt(3);
    line(level, "class " + name + (r.nextBoolean() ? "(" + pick(new String[] {"C0", "Callback", "object", "ValueError", "Exception", "C1"}) + ")" : "") + ":");
    line(level + 1, "k = " + expr(1));
    line(level + 1, "def __init__(self, a=" + expr(1) + "):");
    line(level + 2, r.nextBoolean() ? "self.a = a" : "super().__init__()");
    if (r.nextBoolean()) line(level + 1, "def " + pick(new String[] {"__str__", "__repr__"}) + "(self): return " + pick(new String[] {"'s'", "str(self.a)", expr(1)}));
    line(level + 1, "def m(self, b):");
    line(level + 2, "return " + pick(new String[] {"self.a", "self.k", "b", "self.missing"}) + " " + pick(BINOPS) + " " + expr(1));
    line(level, "o = " + name + "(" + (r.nextBoolean() ? expr(1) : "") + "); o.m(" + expr(1) + ")");
  }

  private void funcdef(int level) {
    String name = r.nextInt(3) == 0 && !functions.isEmpty() ? pick(functions) : "f" + r.nextInt(4);
    functions.add(name);
    List<String> params = new ArrayList<>();
    int n = r.nextInt(4);
    boolean defaults = false;
    for (int i = 0; i < n; i++) {
      defaults |= r.nextInt(3) == 0;
      params.add("p" + i + (defaults ? "=" + expr(1) : ""));
    }
    if (r.nextInt(5) == 0) params.add("*rest");
    if (r.nextInt(6) == 0) params.add("**kw");
    // Decorators: builtin ones, a user's function, and things that are not callable.
    if (r.nextInt(5) == 0) line(level, "@" + pick(new String[] {"tf.function", "tf.function(jit_compile=True)", "property", "f0", "len", "3", "tf.function(" + expr(1) + ")"}));
    indent(level);
    out.append("def ").append(name).append('(').append(String.join(", ", params)).append(r.nextInt(5) == 0 ? "," : "").append("):");
    if (r.nextInt(5) == 0) {
      out.append(" return ").append(expr(2)).append('\n');
      return;
    }
    out.append('\n');
    int body = 1 + r.nextInt(3);
    for (int i = 0; i < body; i++) stmt(level + 1);
    if (r.nextInt(3) == 0) {
      // Recursion with a base case most of the time; without one the depth limit must answer.
      String base = r.nextInt(4) == 0 ? "" : "if p0 <= 0: return 0\n" + "    ".repeat(level + 1);
      indent(level + 1);
      out.append(base).append("return ").append(name).append("(p0 - 1)").append('\n');
    } else {
      line(level + 1, "return " + expr(2));
    }
    if (r.nextBoolean()) line(level, name + "(" + args(name, List.of(), 0) + ")");
  }

  private void block(int level) {
    if (r.nextInt(5) == 0) {
      out.append(' ').append(simple()).append('\n');
      return;
    }
    out.append('\n');
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) stmt(level + 1);
  }

  private void line(int level, String s) {
    indent(level);
    out.append(s);
    if (r.nextInt(12) == 0) out.append("  # ").append(r.nextInt(100));
    out.append('\n');
  }

  private String simple() {
    budget--;
    return switch (r.nextInt(14)) {
      case 0, 1, 2, 3 -> pick(VARS) + " = " + expr(3);
      case 4 -> pick(VARS) + ", " + pick(VARS) + " = " + expr(2) + ", " + expr(2);
      case 5 -> "(" + pick(VARS) + ", " + pick(VARS) + "), " + pick(VARS) + " = " + expr(3);
      case 6 -> pick(VARS) + " " + pick(AUGOPS) + " " + expr(2);
      case 7 -> pick(VARS) + "[" + expr(1) + "] = " + expr(2);
      case 8 -> pick(VARS) + "." + pick(ATTRS) + " = " + expr(1);
      case 9 -> r.nextInt(3) == 0 ? pick(new String[] {"pass", "break", "continue", "return", "return " + expr(1)}) : call();
      case 10 -> pick(VARS) + " = " + pick(VARS) + " = " + expr(2);
      default -> expr(3);
    };
  }

  // ------------------------------------------------------------------------------ expressions

  private String expr(int depth) {
    budget--;
    if (depth <= 0 || budget < -50) return atom();
    return switch (r.nextInt(25)) {
      case 0, 1, 2 -> atom();
      case 3, 4 -> operand(depth - 1) + " " + pick(BINOPS) + " " + operand(depth - 1);
      case 5 -> "(" + operand(depth - 1) + " " + pick(CMPOPS) + " " + operand(depth - 1)
          + (r.nextInt(4) == 0 ? " " + pick(CMPOPS) + " " + operand(depth - 1) : "") + ")";
      // Low-precedence forms are parenthesised: unparenthesised they are mostly syntax errors, which
      // the byte mutator already produces plenty of; the evaluator needs programs that parse.
      case 6 -> r.nextBoolean() ? "(not " + expr(depth - 1) + ")" : (r.nextBoolean() ? "-" : "+") + operand(depth - 1);
      case 7 -> "(" + expr(depth - 1) + (r.nextBoolean() ? " and " : " or ") + expr(depth - 1) + ")";
      case 8 -> "(" + expr(depth - 1) + " if " + expr(depth - 1) + " else " + expr(depth - 1) + ")";
      case 9 -> "(lambda" + (r.nextBoolean() ? " v" : r.nextBoolean() ? " v, u=1" : "") + ": " + expr(depth - 1) + ")";
      case 10, 11, 12, 13 -> call();
      case 14 -> list(depth - 1);
      case 15 -> "(" + expr(depth - 1) + ", " + expr(depth - 1) + (r.nextBoolean() ? "," : "") + ")";
      case 16 -> "{" + expr(depth - 1) + ": " + expr(depth - 1) + (r.nextBoolean() ? ", 'k': " + expr(depth - 1) : "") + "}";
      case 17 -> operand(depth - 1) + "[" + subscripts(depth - 1) + "]";
      case 18 -> operand(depth - 1) + "." + pick(ATTRS) + (r.nextBoolean() ? "(" + args(null, List.of(), 0) + ")" : "");
      case 19 -> "(" + operand(depth - 1) + " -> " + (r.nextBoolean() ? pick(builtins).name() : "(lambda v: " + expr(depth - 1) + ")") + ")";
      case 20 -> tensor();
      case 21 -> "f\"" + pick(new String[] {"{", "{{", "}}", "x "}) + "{" + expr(depth - 1) + pick(new String[] {"", "!r", ":.2f", ":>8", ":,", ":{3}",
          ":%", "=", ":q"}) + "}\"";
      case 22 -> "sum(" + expr(depth - 1) + " for v in " + list(depth - 1) + (r.nextBoolean() ? " if v" : "") + ")";
      case 23 -> "{v: " + expr(depth - 1) + " for v in " + list(depth - 1) + "}";
      default -> "(" + expr(depth - 1) + ")";
    };
  }

  /** An expression usable as an operand: atoms and calls as they are, anything else in parentheses. */
  private String operand(int depth) {
    String e = expr(depth);
    boolean simple = e.matches("[A-Za-z_][A-Za-z_0-9.]*(\\(.*\\))?|[0-9]+|'[^']*'");
    return simple || r.nextInt(10) == 0 ? e : "(" + e + ")";
  }

  private String subscripts(int depth) {
    int n = 1 + r.nextInt(r.nextInt(4) == 0 ? 3 : 1);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add(switch (r.nextInt(5)) {
        case 0 -> ":";
        case 1 -> smallSigned() + ":" + (r.nextBoolean() ? smallSigned() : "");
        case 2 -> "::" + smallSigned();
        case 3 -> expr(depth);
        default -> smallSigned();
      });
    }
    return String.join(", ", parts);
  }

  private String atom() {
    return switch (r.nextInt(12)) {
      case 0, 1 -> pick(VARS);
      case 2 -> r.nextInt(3) == 0 ? pick(EDGE_INTS) : String.valueOf(r.nextInt(10));
      case 3 -> pick(EDGE_FLOATS);
      case 4 -> pick(STRINGS);
      case 5 -> pick(new String[] {"true", "false", "none", "True", "False", "None"});
      case 6 -> functions.isEmpty() ? pick(VARS) : pick(functions);
      case 7 -> pick(builtins).name();
      case 8 -> "[]";
      case 9 -> "()";
      case 10 -> "{}";
      default -> String.valueOf(r.nextInt(100));
    };
  }

  private String list(int depth) {
    int n = r.nextInt(5);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) items.add(depth > 0 ? expr(depth) : atom());
    return "[" + String.join(", ", items) + (n > 0 && r.nextInt(4) == 0 ? "," : "") + "]";
  }

  /** A tensor of a random (often small, sometimes empty or ragged) shape. */
  private String tensor() {
    return switch (r.nextInt(7)) {
      case 0 -> "tensor(" + nested(1 + r.nextInt(3)) + ")";
      case 1 -> pick(new String[] {"zeros", "ones", "rand", "randn"}) + "(" + shape() + ")";
      case 2 -> "arange(" + smallSigned() + (r.nextBoolean() ? ", " + smallSigned() : "") + ")";
      case 3 -> "np.array(" + nested(1 + r.nextInt(2)) + ")";
      case 4 -> "full((" + shape() + "), " + pick(EDGE_FLOATS) + ")";
      case 5 -> "eye(" + r.nextInt(4) + ")";
      default -> "linspace(0, 1, " + r.nextInt(6) + ")";
    };
  }

  private String shape() {
    int rank = r.nextInt(4);
    List<String> dims = new ArrayList<>();
    for (int i = 0; i < rank; i++) dims.add(r.nextInt(20) == 0 ? pick(new String[] {"0", "-1", "100000", "2**31"}) : String.valueOf(1 + r.nextInt(4)));
    return String.join(", ", dims);
  }

  private String nested(int rank) {
    int n = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(3);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (rank <= 1) items.add(r.nextInt(10) == 0 ? pick(EDGE_FLOATS) : String.valueOf(r.nextInt(9) - 4));
      else items.add(nested(r.nextInt(12) == 0 ? rank - 2 : rank - 1)); // sometimes ragged
    }
    return "[" + String.join(", ", items) + "]";
  }

  private String call() {
    Fn f = pick(builtins);
    return f.name() + "(" + args(f.name(), f.keywords(), f.required()) + ")";
  }

  /** Arguments: mostly the required count, then random keyword, terse, * and ** arguments. */
  private String args(String name, List<String> keywords, int required) {
    List<String> parts = new ArrayList<>();
    int positional = r.nextInt(5) == 0 ? r.nextInt(4) : required + (r.nextInt(3) == 0 ? 1 : 0);
    for (int i = 0; i < positional; i++) parts.add(r.nextInt(3) == 0 ? tensor() : expr(1));
    int extra = r.nextInt(3);
    for (int i = 0; i < extra; i++) {
      String kw = !keywords.isEmpty() && r.nextInt(3) > 0 ? pick(keywords) : pick(KEYWORD_NAMES);
      parts.add(switch (r.nextInt(8)) {
        case 0 -> kw + " " + atom();
        case 1 -> "*" + list(1);
        case 2 -> "**{'" + kw + "': " + atom() + "}";
        default -> kw + "=" + expr(1);
      });
    }
    return String.join(", ", parts) + (!parts.isEmpty() && r.nextInt(6) == 0 ? "," : "");
  }

  private String smallInt() {
    return String.valueOf(r.nextInt(6));
  }

  private String smallSigned() {
    return String.valueOf(r.nextInt(9) - 4);
  }

  private <T> T pick(T[] a) {
    return a[r.nextInt(a.length)];
  }

  private <T> T pick(List<T> a) {
    return a.get(r.nextInt(a.size()));
  }
}

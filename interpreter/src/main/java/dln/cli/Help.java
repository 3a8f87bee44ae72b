package dln.cli;

import dln.interp.Interpreter;
import dln.interp.call.TypeTable;
import dln.interp.value.Namespace;
import dln.interp.value.Values;
import dln.runtime.nn.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Text for {@code :help}, {@code :help NAME} and {@code :vars}, read from the {@link Catalog}. */
public final class Help {
  private Help() {}

  static String overview() {
    StringBuilder sb = new StringBuilder("""
        DLN: type code and press Enter; blocks (def, for, if) end with an empty line.
          x = randn(3, 4); x @ transpose(x)         eager tensor math
          model = Input(784) -> Dense(64, relu) -> Dense(10, softmax)
        Tab completes names, keyword arguments (Dense(64, act<Tab>), their values
        (activation=<Tab>), members after '.', and file names in strings. Ctrl-R searches history.
        Commands (any unique prefix works, e.g. :h, :v):
        """);
    for (Catalog.Command c : Catalog.COMMANDS) sb.append(String.format("  %-15s %s%n", c.usage(), c.summary()));
    sb.append("Ctrl-C stops a running computation and keeps your variables.");
    return sb.toString();
  }

  static String text(Catalog catalog, String name) {
    if (name.isEmpty()) return overview();
    if (name.startsWith(":")) return command(name);
    if (Catalog.KEYWORDS.contains(name)) {
      return "'" + name + "' is a keyword of the language (Python-style: if/elif/else, for … in, while, def, return, lambda)";
    }
    return describe(catalog, name, catalog.resolve(name));
  }

  /**
   * What the builtin {@code help(x)} prints: the text {@code :help} shows for the name x was
   * found under (a string argument is looked up as that name, as Python's help('topic')).
   */
  public static String of(Interpreter interpreter, Object value) {
    Catalog catalog = new Catalog(interpreter);
    if (value instanceof String s) return text(catalog, s);
    return describe(catalog, nameOf(value), value);
  }

  private static String nameOf(Object v) {
    if (v instanceof dln.interp.call.Callable c) return c.name();
    if (v instanceof Namespace ns) return ns.name();
    return Values.repr(v);
  }

  private static String describe(Catalog catalog, String name, Object v) {
    if (v == null) {
      String method = methodHelp(name);
      if (method != null) return method;
      List<String> known = new ArrayList<>(catalog.names());
      String close = Names.closest(name, known);
      return "no help for '" + name + "'" + (close != null ? " (did you mean '" + close + "'?)" : "")
          + "\n  :help lists commands; Tab at an empty prompt lists every name";
    }
    String signature = Catalog.signature(v);
    if (signature != null) return function(signature, Catalog.doc(v), Catalog.choicesOf(v));
    if (v instanceof Namespace ns) return ns.name() + ": " + String.join(", ", ns.members().keySet());
    String doc = catalog.isBuiltin(name) ? catalog.interpreter().builtins().doc(name) : null;
    if (doc != null) return name + "\n" + indent(doc);
    List<String> attrs = TypeTable.attrNames(v);
    return name + " is " + article(Values.typeName(v)) + (attrs.isEmpty() ? "" : "; attributes and methods: " + String.join(", ", attrs));
  }

  /**
   * Help on a method found by its type's name rather than a value: {@code Sequential.fit}, or the bare
   * {@code fit} (its text when one type has it, else the owners to choose from). Null when no type has it.
   */
  private static String methodHelp(String name) {
    int dot = name.lastIndexOf('.');
    String member = name.substring(dot + 1);
    if (member.isEmpty()) return null;
    java.util.SortedMap<String, dln.interp.call.Method> owners = new TreeMap<>();
    if (dot < 0) {
      owners = TypeTable.methodsNamed(member);
    } else {
      dln.interp.call.Method m = TypeTable.methodOf(name.substring(0, dot), member);
      if (m != null) owners.put(name.substring(0, dot), m);
    }
    if (owners.isEmpty()) return null;
    if (owners.size() > 1) {
      return "'" + member + "' is a method of several types; ask for one:\n  "
          + String.join(", ", owners.keySet().stream().map(t -> ":help " + t + "." + member).toList());
    }
    Map.Entry<String, dln.interp.call.Method> only = owners.entrySet().iterator().next();
    dln.interp.call.Method m = only.getValue();
    Map<String, List<String>> choices = new java.util.LinkedHashMap<>();
    for (String p : m.params().keywordNames()) if (Catalog.CHOICES.containsKey(p)) choices.put(p, Catalog.CHOICES.get(p));
    return function(only.getKey() + "." + m.name() + "(" + m.params() + ")", m.doc(), choices);
  }

  private static String function(String signature, String doc, Map<String, List<String>> choices) {
    StringBuilder sb = new StringBuilder(signature);
    sb.append('\n').append(doc == null || doc.isBlank() ? "  (no description)" : indent(doc));
    for (Map.Entry<String, List<String>> e : choices.entrySet()) {
      sb.append("\n  ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue()));
    }
    return sb.toString();
  }

  private static String command(String name) {
    List<Catalog.Command> matches = Catalog.commandsMatching(name);
    if (matches.size() != 1) return "no command " + name + " (:help lists them)";
    Catalog.Command c = matches.get(0);
    return c.usage() + "\n  " + c.summary();
  }

  /** "an int", "a tensor". */
  static String article(String noun) {
    return ("aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
  }

  private static String indent(String doc) {
    return "  " + doc.strip().replace("\n", "\n  ");
  }

  static String vars(Catalog catalog) {
    Map<String, Object> sorted = new TreeMap<>(catalog.interpreter().globals().vars());
    sorted.remove("argv");
    if (sorted.isEmpty()) return "no variables yet\n";
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      Object v = e.getValue();
      String detail = v instanceof INDArray t ? "shape " + java.util.Arrays.toString(t.shape()).replace('[', '(').replace(']', ')') + " " + dtypeName(t)
          : abbreviate(Values.repr(v));
      sb.append(String.format("  %-14s %-10s %s%n", e.getKey(), Values.typeName(v), detail));
    }
    return sb.toString();
  }

  /** numpy spellings (float32, int64) rather than ND4J's (FLOAT, LONG). */
  static String dtypeName(INDArray t) {
    return switch (t.dataType()) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      case HALF -> "float16";
      case INT -> "int32";
      case LONG -> "int64";
      case BOOL -> "bool";
      default -> t.dataType().toString().toLowerCase();
    };
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }
}

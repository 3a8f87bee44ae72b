package dln.cli;

import dln.interp.Interpreter;
import dln.interp.UserFunction;
import dln.interp.call.Builtin;
import dln.interp.call.TypeTable;
import dln.interp.value.Namespace;
import dln.interp.value.Values;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Text for {@code :help}, {@code :help NAME} and {@code :vars}, from the builtin table's docs. */
final class Help {
  private Help() {}

  static final String OVERVIEW = """
      DLN: type code and press Enter; blocks (def, for, if) end with an empty line.
        x = randn(3, 4); x @ transpose(x)         eager tensor math
        model = Input(784) -> Dense(64, relu) -> Dense(10, softmax)
      Commands:
        :help NAME     signature, description and an example for a builtin or layer
        :vars          your variables with their types and shapes
        :load FILE     run a script in this session
        :time EXPR     run and show how long it took
        :info          backend, device, BLAS, threads, memory
        :reset         forget all variables
        :quit          leave (or Ctrl-D); Ctrl-C stops a running computation
      """;

  static String text(Interpreter in, String name) {
    if (name.isEmpty()) return OVERVIEW.stripTrailing();
    Object v = in.globals().lookup(name);
    if (v == null && name.contains(".")) {
      String[] parts = name.split("\\.", 2);
      Object ns = in.globals().lookup(parts[0]);
      if (ns instanceof Namespace n) v = n.get(parts[1]);
    }
    if (v instanceof Builtin b) return b.signature() + "\n" + indent(b.doc());
    if (v instanceof UserFunction f) return f.signature() + (f.doc() != null ? "\n" + indent(f.doc()) : "");
    if (v instanceof Namespace ns) return ns.name() + ": " + String.join(", ", ns.members().keySet());
    if (v != null) {
      String doc = in.builtins().doc(name);
      if (doc != null) return name + "\n" + indent(doc);
      return name + " is a " + Values.typeName(v) + (TypeTable.attrNames(v).isEmpty() ? ""
          : "; attributes and methods: " + String.join(", ", TypeTable.attrNames(v)));
    }
    String close = Values.closest(name, in.builtins().values().keySet());
    return "no help for '" + name + "'" + (close != null ? " (did you mean '" + close + "'?)" : "");
  }

  private static String indent(String doc) {
    return doc == null ? "" : "  " + doc.replace("\n", "\n  ");
  }

  static String vars(Interpreter in) {
    Map<String, Object> sorted = new TreeMap<>(in.globals().vars());
    if (sorted.isEmpty()) return "no variables yet\n";
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      Object v = e.getValue();
      String detail = v instanceof INDArray t ? "shape " + java.util.Arrays.toString(t.shape()).replace('[', '(').replace(']', ')') + " " + t.dataType().toString().toLowerCase()
          : abbreviate(Values.repr(v));
      sb.append(String.format("  %-14s %-10s %s%n", e.getKey(), Values.typeName(v), detail));
    }
    return sb.toString();
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }
}

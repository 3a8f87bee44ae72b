package dln.cli;

import dln.interp.Interpreter;
import dln.interp.UserFunction;
import dln.interp.call.BoundMethod;
import dln.interp.call.Builtin;
import dln.interp.call.TypeTable;
import dln.interp.value.Namespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything the REPL knows about names, in one place: the names in scope, their signatures,
 * keyword parameters and docs, the values that enum-like parameters accept, the language keywords
 * and the REPL commands. Completion, {@code :help} and highlighting all read this table, so what
 * Tab offers and what help describes cannot drift apart.
 */
final class Catalog {
  /** Reserved words of the language (from the grammar), highlighted and completed. */
  static final List<String> KEYWORDS = List.of("if", "elif", "else", "for", "in", "while", "def", "return",
      "pass", "break", "continue", "lambda", "and", "or", "not", "is", "true", "false", "none", "True",
      "False", "None", "try", "except", "finally", "raise", "assert", "class", "with", "as", "global", "nonlocal",
      "del", "import", "from");

  /**
   * Values accepted by enum-like parameters, by parameter name, whichever function takes them
   * ({@code Dense(activation=…)}, {@code Conv2D(padding=…)}, {@code model.compile(loss=…)}). Names are
   * the Keras spellings the workshop slides use.
   */
  static final Map<String, List<String>> CHOICES = choices();

  private static Map<String, List<String>> choices() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    // Taken from the runtime's own tables, so completion never offers a name the runtime rejects.
    m.put("activation", dln.runtime.nn.Activations.NAMES);
    m.put("padding", List.of("valid", "same"));
    m.put("loss", dln.runtime.train.Loss.NAMES);
    m.put("optimizer", dln.runtime.train.Optimizer.NAMES);
    m.put("metrics", dln.runtime.train.Metric.NAMES);
    m.put("kernel_initializer", dln.runtime.nn.Initializers.NAMES);
    m.put("bias_initializer", List.of("zeros", "ones", "random_normal", "random_uniform"));
    m.put("monitor", List.of("val_loss", "loss", "val_accuracy", "accuracy"));
    return m;
  }

  /** A REPL command: its name, argument text and one-line description (for :help and completion). */
  record Command(String name, String args, String summary) {
    String usage() {
      return args.isEmpty() ? name : name + " " + args;
    }
  }

  static final List<Command> COMMANDS = List.of(
      new Command(":help", "[NAME]", "this overview, or signature, description and example of NAME"),
      new Command(":vars", "", "your variables with their types and shapes"),
      new Command(":summary", "MODEL", "layers, output shapes and parameter counts of a model"),
      new Command(":time", "EXPR", "run code and show how long it took"),
      new Command(":save", "FILE", "save the session's state (variables, tensors, models with weights, optimiser state, history) and transcript"),
      new Command(":load", "FILE", "restore a session saved by :save, or run a script in this session"),
      new Command(":script", "FILE", "write this session's successful entries as a runnable script"),
      new Command(":reset", "", "forget all variables (and the entries :script would write)"),
      new Command(":info", "", "backend, device, BLAS, threads, memory"),
      new Command(":quit", "", "leave the REPL (or Ctrl-D)"));

  private static final Pattern CHAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  private final Interpreter interpreter;

  Catalog(Interpreter interpreter) {
    this.interpreter = interpreter;
  }

  Interpreter interpreter() {
    return interpreter;
  }

  /** Every name visible at the prompt (user variables and builtins), sorted. */
  TreeSet<String> names() {
    TreeSet<String> out = new TreeSet<>(interpreter.builtins().values().keySet());
    out.addAll(interpreter.globals().vars().keySet());
    return out;
  }

  boolean isBuiltin(String name) {
    return interpreter.builtins().values().containsKey(name) && !interpreter.globals().vars().containsKey(name);
  }

  /** Builtins spelled with a capital (layers, models, optimisers): highlighted as types. */
  boolean isLayerLike(String name) {
    return isBuiltin(name) && Character.isUpperCase(name.charAt(0));
  }

  /**
   * The value of a plain name or attribute chain such as {@code model.layers}, found without
   * calling anything (attribute getters only); null when it is not such a chain or is unbound.
   */
  Object resolve(String chain) {
    if (!CHAIN.matcher(chain).matches()) return null;
    String[] parts = chain.split("\\.");
    Object v = interpreter.globals().lookup(parts[0]);
    for (int i = 1; i < parts.length && v != null; i++) {
      v = member(v, parts[i]);
    }
    return v;
  }

  private static Object member(Object v, String name) {
    if (v instanceof Namespace ns) return ns.get(name);
    try {
      return TypeTable.getAttr(v, name);
    } catch (RuntimeException e) {
      return null; // a getter that fails (e.g. weights before build) just offers nothing
    }
  }

  /** Names reachable with "." on this value: namespace members or the type's attributes and methods. */
  static List<String> members(Object v) {
    if (v instanceof Namespace ns) return new ArrayList<>(ns.members().keySet());
    return TypeTable.attrNames(v);
  }

  /** Parameter names a call to this value accepts as keywords; empty when unknown. */
  static List<String> keywordNames(Object callee) {
    if (callee instanceof Builtin b) return b.params().keywordNames();
    if (callee instanceof BoundMethod m) return m.method().params().keywordNames();
    if (callee instanceof UserFunction f) return f.keywordNames();
    return List.of();
  }

  /**
   * The keyword names left to offer in a call that already has {@code positional} positional
   * arguments and the keywords {@code given}: parameters filled by position are not offered again.
   */
  static List<String> keywordsLeft(Object callee, int positional, java.util.Set<String> given) {
    List<List<String>> params = new ArrayList<>();
    List<Boolean> byPosition = new ArrayList<>();
    if (callee instanceof Builtin || callee instanceof BoundMethod) {
      dln.interp.call.Params ps = callee instanceof Builtin b ? b.params() : ((BoundMethod) callee).method().params();
      for (dln.interp.call.Params.Param p : ps.params()) {
        List<String> names = new ArrayList<>(List.of(p.name()));
        names.addAll(p.aliases());
        params.add(names);
        byPosition.add(!p.keywordOnly());
      }
    } else if (callee instanceof UserFunction f) {
      for (String n : f.keywordNames()) {
        params.add(List.of(n));
        byPosition.add(true);
      }
    }
    List<String> out = new ArrayList<>();
    int filled = 0;
    for (int i = 0; i < params.size(); i++) {
      List<String> names = params.get(i);
      if (byPosition.get(i) && filled < positional) {
        filled++;
        continue;
      }
      if (names.stream().noneMatch(given::contains)) out.addAll(names);
    }
    return out;
  }

  /** "Dense(units, activation?, …)" or null for values that are not functions. */
  static String signature(Object v) {
    if (v instanceof Builtin b) return b.signature();
    if (v instanceof BoundMethod m) return m.name() + "(" + m.method().params() + ")";
    if (v instanceof UserFunction f) return f.signature();
    return null;
  }

  /** The doc string of a function or method, or null. */
  static String doc(Object v) {
    if (v instanceof Builtin b) return b.doc();
    if (v instanceof BoundMethod m) return m.method().doc();
    if (v instanceof UserFunction f) return f.doc();
    return null;
  }

  /** The enum-like parameters of a function with the values they take, for help. */
  static Map<String, List<String>> choicesOf(Object callee) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String p : keywordNames(callee)) if (CHOICES.containsKey(p)) out.put(p, CHOICES.get(p));
    return out;
  }

  /** The command with this exact name, else the commands it abbreviates (one, several or none). */
  static List<Command> commandsMatching(String typed) {
    List<Command> exact = new ArrayList<>();
    List<Command> prefix = new ArrayList<>();
    for (Command c : COMMANDS) {
      if (c.name().equals(typed)) exact.add(c);
      else if (c.name().startsWith(typed)) prefix.add(c);
    }
    return exact.isEmpty() ? prefix : exact;
  }
}

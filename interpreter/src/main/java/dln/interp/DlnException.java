package dln.interp;

/**
 * Every error a DLN user can cause: a kind ("syntax error", "type error", "shape error"...), a
 * message, an optional hint and the source position. {@link #format()} renders it the way the
 * command line and the REPL show it:
 *
 * <pre>
 * script.dln:3:9: type error: cannot add string and tensor
 *     y = 'a' + x
 *             ^
 *   hint: ...
 * </pre>
 *
 * Builtins throw it without a position; the evaluator adds the position of the call.
 */
public class DlnException extends RuntimeException {
  /** Identical consecutive frames (a recursion) beyond this many are summarised in one line, as Python does. */
  static final int REPEATS_SHOWN = 3;

  private final String kind;
  private String hint;
  private Pos pos;
  /** The call sites the error passed on its way out, innermost first (see {@link #leaving}). */
  private final java.util.List<Pos> callers = new java.util.ArrayList<>();
  /** functions.get(0) holds {@link #pos}; functions.get(i + 1) holds callers.get(i); top level has no entry. */
  private final java.util.List<String> functions = new java.util.ArrayList<>();
  /** What each call site called (a builtin such as fit may have called the user function in turn). */
  private final java.util.List<String> callees = new java.util.ArrayList<>();

  public DlnException(String kind, String message, String hint, Pos pos) {
    super(message);
    this.kind = kind;
    this.hint = hint;
    this.pos = pos;
  }

  public DlnException(String kind, String message) {
    this(kind, message, null, null);
  }

  public static DlnException type(String message) {
    return new DlnException("type error", message);
  }

  public static DlnException value(String message) {
    return new DlnException("value error", message);
  }

  public static DlnException value(String message, String hint) {
    return new DlnException("value error", message, hint, null);
  }

  public static DlnException index(String message) {
    return new DlnException("index error", message);
  }

  public static DlnException name(String message, String hint) {
    return new DlnException("name error", message, hint, null);
  }

  public static DlnException argument(String message) {
    return new DlnException("argument error", message);
  }

  public static DlnException argument(String message, String hint) {
    return new DlnException("argument error", message, hint, null);
  }

  /** Adds a hint if none is set (null leaves it as is). */
  public DlnException withHint(String h) {
    if (hint == null) hint = h;
    return this;
  }

  public String kind() {
    return kind;
  }

  public String hint() {
    return hint;
  }

  /** Where the error happened, or null when not yet known. */
  public Pos pos() {
    return pos;
  }

  /** Sets the position if none is set yet (the innermost position wins). */
  public DlnException at(Pos p) {
    if (pos == null) pos = p;
    return this;
  }

  /**
   * The error is leaving the body of the user function {@code function}: the innermost frame not yet
   * named is in it, and the next call site met on the way out ({@link #calledFrom}) is where it was
   * called. Errors without a position yet are located at the call site instead and get no frame.
   */
  public DlnException leaving(String function) {
    if (pos != null && functions.size() == callers.size()) functions.add(function);
    return this;
  }

  /** The call through which the error left a user function (ignored unless {@link #leaving} asked for one). */
  public DlnException calledFrom(Pos site, String callee) {
    if (pos != null && functions.size() == callers.size() + 1) {
      callers.add(site);
      callees.add(callee);
    }
    return this;
  }

  /** The call sites between the top level and the error, outermost first. */
  public java.util.List<Pos> callSites() {
    java.util.List<Pos> out = new java.util.ArrayList<>(callers);
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The error as shown to users: location, kind, message, the source line with a caret, hint. An
   * error inside a function is preceded by its traceback, Python's way round (innermost last): each
   * call site that led to it, with the function it is in and the one it calls, located and with its
   * source line and caret.
   */
  public String format() {
    StringBuilder sb = new StringBuilder();
    if (!callers.isEmpty()) {
      sb.append("traceback (most recent call last):\n");
      int n = callers.size();
      for (int i = n - 1; i >= 0; i--) {
        // Identical consecutive frames (deep recursion): show a few, then count the rest.
        int same = 0;
        while (i - same - 1 >= 0 && callers.get(i - same - 1).equals(callers.get(i))) same++;
        int shown = Math.min(same + 1, REPEATS_SHOWN);
        for (int k = 0; k < shown; k++) frame(sb, callers.get(i - k), i + 1 < functions.size() ? functions.get(i + 1) : null, callees.get(i - k), functions.get(i - k));
        if (same + 1 > shown) sb.append("  [previous frame repeated ").append(same + 1 - shown).append(" more times]\n");
        i -= same;
      }
    }
    if (pos != null) sb.append(pos).append(": ");
    sb.append(kind).append(": ").append(getMessage());
    if (pos != null) {
      String line = pos.source().line(pos.line());
      if (!line.isBlank()) {
        String expanded = line.replace('\t', ' ');
        sb.append("\n    ").append(expanded);
        sb.append("\n    ").append(" ".repeat(Math.max(0, Math.min(pos.col(), expanded.length())))).append('^');
      }
    }
    if (hint != null) sb.append("\n  hint: ").append(hint);
    return sb.toString();
  }

  private static void frame(StringBuilder sb, Pos site, String in, String callee, String reached) {
    sb.append("  ").append(site).append(": ").append(in == null ? "at top level" : "in " + in).append(", calling ").append(callee);
    // fit(..., callbacks=[...]) calling the user's on_epoch_end: name both.
    if (!callee.equals(reached)) sb.append(", which called ").append(reached);
    sb.append('\n');
    String line = site.source().line(site.line());
    if (!line.isBlank()) {
      String expanded = line.replace('\t', ' ');
      sb.append("      ").append(expanded).append('\n');
      sb.append("      ").append(" ".repeat(Math.max(0, Math.min(site.col(), expanded.length())))).append("^\n");
    }
  }
}

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
  private final String kind;
  private String hint;
  private Pos pos;

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

  /** The error as shown to users: location, kind, message, the source line with a caret, hint. */
  public String format() {
    StringBuilder sb = new StringBuilder();
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
}

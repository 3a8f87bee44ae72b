package dln.runtime;

/**
 * An error a user caused, raised by the runtime (bad shapes, bad configuration, bad data).
 * The runtime knows nothing of source positions: the interpreter catches this at the call that
 * triggered it and reports it with file:line:column, the source line, a caret and the hint.
 */
public class DlnRuntimeException extends RuntimeException {
  private final String kind;
  private final String hint;

  public DlnRuntimeException(String message) {
    this("error", message, null);
  }

  public DlnRuntimeException(String kind, String message, String hint) {
    super(message);
    this.kind = kind;
    this.hint = hint;
  }

  /** A shape mismatch: message names both shapes; hint suggests a fix where one exists. */
  public static DlnRuntimeException shape(String message, String hint) {
    return new DlnRuntimeException("shape error", message, hint);
  }

  /** An operand or argument of the wrong kind ("cannot add tensor and string"). */
  public static DlnRuntimeException type(String message, String hint) {
    return new DlnRuntimeException("type error", message, hint);
  }

  public static DlnRuntimeException value(String message) {
    return new DlnRuntimeException("value error", message, null);
  }

  public static DlnRuntimeException value(String message, String hint) {
    return new DlnRuntimeException("value error", message, hint);
  }

  public static DlnRuntimeException io(String message, String hint) {
    return new DlnRuntimeException("file error", message, hint);
  }

  /** Short category shown before the message, e.g. "shape error". */
  public String kind() {
    return kind;
  }

  /** A suggestion for the user, or null. */
  public String hint() {
    return hint;
  }
}

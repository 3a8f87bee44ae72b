package dln.interp;

import dln.runtime.DlnRuntimeException;

/**
 * The one place where a failure from Java, ND4J or the runtime becomes a {@link DlnException}: the
 * evaluator hands every failure it catches here with the position it belongs to, and the embedding
 * API ({@code dln.Dln}) hands here what escapes outside a running program.
 */
public final class Failures {
  private Failures() {}

  /**
   * A failure while running the program, at {@code pos} unless it already has a position: DLN's own
   * errors keep theirs, the runtime's keep kind and hint, and Java's and ND4J's get the user's words.
   */
  public static DlnException located(Throwable e, Pos pos) {
    if (e instanceof DlnException d) return d.at(pos);
    if (e instanceof DlnRuntimeException r) return new DlnException(r.kind(), r.getMessage(), r.hint(), pos);
    if (e instanceof StackOverflowError) {
      return new DlnException("recursion error", "maximum recursion depth exceeded", "check that the recursion has a base case", pos);
    }
    if (e instanceof OutOfMemoryError) return new DlnException("memory error", "out of memory", "use smaller tensors or batches", pos);
    return fromJava(e, pos);
  }

  /** Like {@link #located}, for the operator {@code op}: Java's exact long arithmetic overflowing. */
  public static DlnException inOperator(String op, RuntimeException e, Pos pos) {
    if (e instanceof ArithmeticException) {
      return new DlnException("overflow error", "integer overflow in " + op, "use floats for very large numbers", pos);
    }
    return located(e, pos);
  }

  /** A failure of DLN itself, outside a running program (parsing, converting values for the host, the REPL). */
  public static DlnException internal(Exception e) {
    return caused(new DlnException("internal error", "DLN failed: " + message(e)), e);
  }

  /** A host function registered through the embedding API threw: the host's failure, named so. */
  public static DlnException host(String function, RuntimeException e) {
    if (e instanceof DlnException d) return d;
    return caused(new DlnException("host error", function + "() failed: " + message(e)), e);
  }

  private static DlnException fromJava(Throwable e, Pos pos) {
    String msg = message(e);
    // Malformed format specs ('%-+s', '{:.2fx}') reach java.util.Formatter / Integer.parseInt: the
    // user's error. (Found by the long fuzz run.)
    if (e instanceof java.util.IllegalFormatException || (e instanceof NumberFormatException && msg.startsWith("For input string"))) {
      return caused(new DlnException("value error", "bad format specification: " + msg, "see :help format for the supported forms", pos), e);
    }
    // Math.toIntExact and friends in builtins (AveragePooling2D(2**63 - 1), std(t, axis=2**63 - 1)).
    if (e instanceof ArithmeticException && msg.equals("integer overflow")) {
      return caused(new DlnException("overflow error", "a number is too large for this argument", "use a value below 2147483648", pos), e);
    }
    // ND4J reports a slice past the end ("Indices are out of range") as an IllegalStateException.
    if (e instanceof IllegalStateException && msg.startsWith("Indices are out of range")) {
      return caused(new DlnException("index error", firstLine(msg), null, pos), e);
    }
    // ND4J refuses most operations on empty tensors (a dimension of 0, e.g. arange(-3)) with "... on
    // empty array": a user mistake, not a DLN failure. (Found by fuzzing: np.square(arange(-3)).)
    if (e instanceof IllegalStateException && msg.contains("empty array")) {
      return caused(new DlnException("value error", "this operation does not work on an empty tensor",
          "a dimension of the tensor is 0; check how it was made", pos), e);
    }
    return caused(new DlnException("runtime error", firstLine(msg), null, pos), e);
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String firstLine(String msg) {
    return msg.lines().findFirst().orElse(msg);
  }

  private static DlnException caused(DlnException d, Throwable cause) {
    d.initCause(cause);
    return d;
  }
}

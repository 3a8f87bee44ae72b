package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import java.util.Map;

/**
 * The words for operands an operator cannot combine. The tensor operators and the language's own
 * operators on strings and lists use them both, so every mismatch reads the same way.
 */
public final class OperatorErrors {
  private OperatorErrors() {}

  private static final Map<String, String> VERBS = Map.ofEntries(
      Map.entry("+", "add"), Map.entry("-", "subtract"), Map.entry("*", "multiply"), Map.entry("/", "divide"),
      Map.entry("//", "floor-divide"), Map.entry("%", "take the remainder of"), Map.entry("**", "raise"),
      Map.entry("@", "matrix-multiply"));

  /** "cannot add tensor and string" (with a hint to convert when a string is added), by type names. */
  public static DlnRuntimeException mismatch(String op, String left, String right) {
    String msg = switch (op) {
      case "**" -> "cannot raise " + left + " to the power of " + right;
      default -> "cannot " + VERBS.getOrDefault(op, "apply " + op + " to") + " " + left + " and " + right;
    };
    String hint = op.equals("+") && (left.equals("string") || right.equals("string")) ? "convert with str(x) first" : null;
    return DlnRuntimeException.type(msg, hint);
  }

  /** "cannot compare tensor and string with <", by type names. */
  public static DlnRuntimeException cannotCompare(String op, String left, String right) {
    return DlnRuntimeException.type("cannot compare " + left + " and " + right + " with " + op, null);
  }
}

package dln.runtime.tensor;

import java.util.List;

/**
 * What the tensor operators ({@link TensorOps}) need to know about the other values of the
 * language that uses them: the names its users know them by, for error messages, and which of
 * them are sequences that become tensors next to a tensor (as numpy turns lists into arrays).
 */
public interface ValueModel {
  /** The user-facing name of a value's type: "string", "list", "tensor". */
  String typeName(Object value);

  /**
   * A sequence value (a list, a tuple) as nested {@link java.util.List}s of numbers, booleans and
   * tensors; null when the value is no sequence or holds something a tensor cannot.
   */
  List<?> asNestedList(Object value);
}

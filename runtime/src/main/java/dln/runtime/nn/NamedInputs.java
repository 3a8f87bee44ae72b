package dln.runtime.nn;

import java.util.List;

/**
 * A layer called with several tensors by name rather than one tensor or a list, as Keras's
 * {@code mha(query, value, key=None, attention_mask=None)}. A language front end binds the call's
 * positional and keyword arguments to {@link #inputNames()} and hands them to {@link #arrange},
 * which orders them into the node's inputs; the layer itself still sees a plain list.
 */
public interface NamedInputs {
  /** The tensor arguments in positional order; the first {@link #requiredInputs()} must be given. */
  List<String> inputNames();

  /** How many of {@link #inputNames()} are required. */
  int requiredInputs();

  /**
   * The node's inputs for the given tensors, aligned with {@link #inputNames()} (null where an
   * optional one was left out).
   *
   * @param <T> symbolic tensors or eager arrays
   */
  <T> List<T> arrange(List<T> given);
}

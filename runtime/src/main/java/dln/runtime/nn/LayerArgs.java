package dln.runtime.nn;

/**
 * The arguments of a layer constructor call as the runtime sees them, whatever language made
 * them: the interpreter adapts its arguments to this view so that {@link LayerSpec} can build
 * layer configs without knowing the language. Each accessor throws the caller's usual error for
 * a value of the wrong type.
 */
public interface LayerArgs {
  /** True when the argument was given. */
  boolean has(String name);

  int intValue(String name);

  /** An int or a tuple of ints of any length (a single int gives one element). */
  int[] ints(String name);

  /** A shape: an int or a tuple of ints. */
  long[] shape(String name);

  double number(String name);

  boolean bool(String name);

  /** A name given as an identifier, a string or a function (its name): {@code relu}, {@code 'relu'}. */
  String name(String name);

  /** True when the argument is a string or a function, so {@link #name} reads it. */
  boolean isName(String name);

  /** True when the argument is a function, as an activation passed positionally. */
  boolean isFunction(String name);

  /** A function given as the argument, as a piece of graph (Lambda's function). */
  GraphFunction function(String name);

  /** The argument as given (a runtime object such as a {@link Regularizer}, a String, a number). */
  Object raw(String name);
}

package dln.runtime.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A user's function as a piece of graph, supplied by a language front end for a
 * {@link dln.runtime.nn.layers.Lambda} layer: applied to the layer's input variable it adds the
 * function's operations to that variable's SameDiff graph, so the autodiff differentiates it. The
 * runtime knows nothing of the language the function was written in.
 */
public interface GraphFunction {
  /**
   * The function's output for an input variable, built in the input's graph. Errors in the user's
   * code are the front end's own (located in that code).
   */
  SDVariable apply(SDVariable input);

  /** How summaries and messages name the function, e.g. "<lambda>" or "double_it". */
  String describe();
}

package dln.runtime.autodiff;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A tensor value seen while {@link Tape#gradients} runs a user's function, or while a custom
 * layer's forward pass is traced: every operation on it becomes a SameDiff node instead of being
 * computed eagerly, so the function can be differentiated.
 *
 * @param knownShape the shape as far as the operations so far tell it ({@code -1} for the unknown
 *     batch axis of a layer's input), or null when unknown; SameDiff does not infer the shapes of
 *     operation outputs before the graph runs, so the tape carries them itself
 */
public record Traced(SDVariable var, long[] knownShape) {
  /** A graph variable or placeholder, whose shape the graph knows. */
  public Traced(SDVariable var) {
    this(var, var.getShape());
  }

  /** The shape if known without running the graph, else the value's shape (computed). */
  public long[] shape() {
    return knownShape != null ? knownShape.clone() : var.eval().shape();
  }
}

package dln.runtime.autodiff;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A tensor value seen while {@link Tape#gradients} runs a user's function: every operation on it
 * becomes a SameDiff node instead of being computed eagerly, so the function can be differentiated.
 */
public record Traced(SDVariable var) {
  public long[] shape() {
    return var.getShape();
  }
}

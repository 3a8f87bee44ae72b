package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A step joining several tensors into one (Add, Concatenate, MultiHeadAttention): the multi-input
 * counterpart of {@link LayerStep}, with the same contract (buffers per batch size, the last
 * forward remembered for the backward pass). Merges have no weights; attention has its projections.
 */
abstract class MergeStep {
  /** The layer's weights, in the same order as {@link #gradients()}. */
  List<Weight> weights() {
    return List.of();
  }

  /** Gradient buffers of the last backward pass (aligned with {@link #weights()}). */
  List<INDArray> gradients() {
    return List.of();
  }

  /** Forward pass over the inputs, in the node's input order; returns a buffer owned by this step. */
  abstract INDArray forward(List<INDArray> ins, boolean training);

  /**
   * True for a merge that reads its inputs' masks of padded steps (attention); the others only
   * hand on the AND of them. Such a step gets {@link #inputMasks} before each forward.
   */
  boolean readsInputMasks() {
    return false;
  }

  /** The masks of the next forward's inputs (batch-major, 1 kept; null for an input without one). */
  void inputMasks(float[][] masks) {}

  /**
   * Backward pass of the last forward: the gradient of every input whose {@code need} flag is set
   * (null for the others), and the weight gradients when {@code weightGrads}. Each returned array
   * is distinct (the plan may add into it), and may be {@code dOut} itself for one of them.
   */
  abstract INDArray[] backward(INDArray dOut, boolean[] need, boolean weightGrads);
}

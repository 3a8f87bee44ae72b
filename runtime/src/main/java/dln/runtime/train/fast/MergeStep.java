package dln.runtime.train.fast;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A step joining several tensors into one (Add, Concatenate): the multi-input counterpart of
 * {@link LayerStep}, with the same contract (buffers per batch size, the last forward remembered
 * for the backward pass). Merges have no weights.
 */
abstract class MergeStep {
  /** Forward pass over the inputs, in the node's input order; returns a buffer owned by this step. */
  abstract INDArray forward(List<INDArray> ins);

  /**
   * Backward pass of the last forward: the gradient of every input whose {@code need} flag is set
   * (null for the others). Each returned array is distinct (the plan may add into it), and may be
   * {@code dOut} itself for one of them.
   */
  abstract INDArray[] backward(INDArray dOut, boolean[] need);
}

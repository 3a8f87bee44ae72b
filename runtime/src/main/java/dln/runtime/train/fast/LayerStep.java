package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of a compiled training step: forward into buffers it owns, and the hand-written
 * backward pass. Buffers are allocated once per batch size and reused on every step, so a step
 * allocates nothing on the training path. A step remembers the arrays of its last forward pass
 * for the backward pass that follows.
 */
abstract class LayerStep {
  /** [kernel] or [kernel, bias]: the weight (or gradient) list of a layer whose bias is optional. */
  static <T> List<T> kernelAndBias(T kernel, T bias) {
    return bias == null ? List.of(kernel) : List.of(kernel, bias);
  }

  /** The layer's weights, in the same order as {@link #gradients()}. */
  List<Weight> weights() {
    return List.of();
  }

  /** Gradient buffers of the last backward pass (aligned with {@link #weights()}). */
  List<INDArray> gradients() {
    return List.of();
  }

  /**
   * Forward pass.
   *
   * @param training training mode (dropout active)
   * @return the output (a buffer owned by this step, or a view of the input)
   */
  abstract INDArray forward(INDArray in, boolean training);

  /**
   * Backward pass of the last forward: fills the weight gradients (when {@code weightGrads}) and
   * returns the gradient of the input (null when {@code inputGrad} is false). May overwrite
   * {@code dOut}.
   */
  abstract INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad);

  /**
   * The squashing this step ends in, softmax over the last axis or sigmoid, when a loss outside
   * the plan may read the step's {@link #preActivation()} as its logits (not fused into a loss head
   * already); null otherwise.
   */
  Act squashing() {
    return null;
  }

  /** The input of this step's squashing in the last forward (where {@link #squashing()} is not null). */
  INDArray preActivation() {
    return null;
  }

  /**
   * {@link #backward} with {@code dLogits} the gradient of {@link #preActivation()} rather than of
   * the output: the squashing's own derivative is skipped (a loss that read the logits gave it).
   */
  INDArray backwardFromLogits(INDArray dLogits, boolean weightGrads, boolean inputGrad) {
    throw new IllegalStateException(getClass().getSimpleName() + " ends in no squashing");
  }

  /** A per-batch-size cache of buffers. */
  static final class PerBatch<T> {
    private final Map<Long, T> cache = new HashMap<>();
    private final LongFunction<T> make;

    PerBatch(LongFunction<T> make) {
      this.make = make;
    }

    T get(long batch) {
      T t = cache.get(batch);
      if (t == null) {
        // A fit uses at most three sizes (full batch, last partial batch, evaluation); bound the
        // cache anyway in case a caller predicts on many sizes.
        if (cache.size() > 8) cache.clear();
        t = make.apply(batch);
        cache.put(batch, t);
      }
      return t;
    }
  }

  static long[] withBatch(long batch, long[] sample) {
    long[] s = new long[sample.length + 1];
    s[0] = batch;
    System.arraycopy(sample, 0, s, 1, sample.length);
    return s;
  }
}

package dln.runtime.train;

import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a built-in model's call inside a {@link GradientTape} as one node, outside the tape's
 * recorded graph: the fast engine provides it ({@code dln.runtime.train.fast.FastTapeRunner}),
 * found through {@link ServiceLoader} so that this package, which the engines build on, does not
 * depend on one of them. Without a provider every call is recorded op by op.
 */
public interface TapeModelRunner {
  /**
   * Runs the model's forward pass for {@code owner} (the tape), or returns null when this runner
   * does not take the call (another backend, a layer it does not cover, inputs of other shapes).
   */
  Run forward(Model model, List<INDArray> xs, boolean training, Object owner);

  /** One call's forward pass, awaiting its backward pass. */
  interface Run {
    /** The model's outputs of this call (the caller's copies). */
    List<INDArray> outputs();

    /**
     * Per output, the logits behind it when it comes out of a softmax or sigmoid a loss may read
     * them from (as fit's loss does: stable where a probability underflows), else null. For such an
     * output {@link #backward} takes the gradient of the logits instead of the output's.
     */
    List<Squashed> logits();

    /** The weights this call reads, each once. */
    Set<Weight> weights();

    /**
     * The backward pass of this call's forward, repeatable with other output gradients (a
     * Jacobian's rows) until {@link #release}: {@code outputGrads} are the gradients of
     * the outputs, or of their {@link #logits} where given (null for an output the target does not
     * depend on), {@code wanted} the weights
     * whose gradients to compute, {@code inputGrads} which inputs' gradients to compute.
     */
    Gradients backward(List<INDArray> outputGrads, Set<Weight> wanted, boolean[] inputGrads);

    /** Frees what the call keeps for its backward passes, when no more gradients will be asked. */
    void release();
  }

  /** An output's logits (the caller's copy) and the squashing that made the output of them. */
  record Squashed(INDArray logits, dln.runtime.nn.GraphContext.LogitKind kind) {}

  /** What {@link Run#backward} computed: gradients of the wanted weights and of the inputs asked for (null for the others). */
  record Gradients(Map<Weight, INDArray> weights, List<INDArray> inputs) {}

  /** The runner installed on the class path, or null for none. */
  static TapeModelRunner installed() {
    return Holder.RUNNER;
  }

  /** Looked up once (a ServiceLoader scan per tape call would cost more than the call saves). */
  final class Holder {
    private static final TapeModelRunner RUNNER = ServiceLoader.load(TapeModelRunner.class).findFirst().orElse(null);

    private Holder() {}
  }
}

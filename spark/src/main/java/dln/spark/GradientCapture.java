package dln.spark;

import dln.runtime.nn.Weight;
import dln.runtime.train.Optimizer;
import dln.runtime.train.ParamUpdater;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The worker's "optimiser" when the driver owns the real one: a step records each weight's
 * gradient (copied: engines reuse their buffers) and changes nothing. The engine therefore runs
 * exactly its single-machine step (forward, loss head, backward, penalties), and the driver
 * applies the averaged gradients with the model's own optimiser, whose state (Adam's moments,
 * the step count) stays in one place and is never averaged.
 */
final class GradientCapture extends Optimizer {
  private final Map<Weight, float[]> gradients = new IdentityHashMap<>();

  GradientCapture() {
    super(1.0);
  }

  @Override
  public void step(List<Weight> weights, List<INDArray> grads, int epoch) {
    for (int i = 0; i < weights.size(); i++) gradients.put(weights.get(i), grads.get(i).dup('c').data().asFloat());
  }

  /** The gradient of a weight from the last step, or null when the step gave it none. */
  float[] gradient(Weight w) {
    return gradients.get(w);
  }

  void clear() {
    gradients.clear();
  }

  // step() records gradients instead of updating, so no per-weight updater is ever asked for;
  // reaching this would mean a worker tried to keep optimiser state, which must live on the driver.
  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    throw new UnsupportedOperationException("GradientCapture keeps no optimiser state");
  }
}

package dln.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The optimiser state of one parameter array and the rule that updates it in place. */
public interface ParamUpdater {
  /**
   * Updates {@code param} in place from its gradient ({@code grad} may be overwritten).
   *
   * @param iteration optimiser steps taken before this one (Adam's bias correction)
   */
  void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch);

  /**
   * The live state arrays (moments, accumulators, velocities) in a fixed order; model files save
   * them and copy saved values back into them, so training continues where it stopped.
   */
  default List<INDArray> state() {
    return List.of();
  }

  /** A rule with state arrays that {@link #state()} exposes. */
  static ParamUpdater withState(List<INDArray> state, ParamUpdater rule) {
    List<INDArray> arrays = new ArrayList<>();
    for (INDArray a : state) if (a != null) arrays.add(a);
    List<INDArray> fixed = List.copyOf(arrays);
    return new ParamUpdater() {
      @Override
      public void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch) {
        rule.apply(param, grad, learningRate, iteration, epoch);
      }

      @Override
      public List<INDArray> state() {
        return fixed;
      }
    };
  }
}

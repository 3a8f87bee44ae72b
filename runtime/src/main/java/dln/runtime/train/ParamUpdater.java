package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The optimiser state of one parameter array and the rule that updates it in place. */
public interface ParamUpdater {
  /**
   * Updates {@code param} in place from its gradient ({@code grad} may be overwritten).
   *
   * @param iteration optimiser steps taken before this one (Adam's bias correction)
   */
  void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch);
}

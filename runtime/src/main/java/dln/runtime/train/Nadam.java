package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Adam with Nesterov momentum (Keras's defaults), on ND4J's fused updater. */
public final class Nadam extends Optimizer {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double epsilon = 1e-7;

  private Nadam() {
    super(0.001);
  }

  public Nadam(double learningRate) {
    super(learningRate);
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    NativeUpdater.CurrentRate rate = new NativeUpdater.CurrentRate();
    org.nd4j.linalg.learning.config.Nadam cfg = new org.nd4j.linalg.learning.config.Nadam(learningRate, beta1, beta2, epsilon);
    cfg.setLearningRateSchedule(rate);
    return new NativeUpdater(cfg, rate, param);
  }
}

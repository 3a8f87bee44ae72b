package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Adam with Keras's defaults (beta_1 0.9, beta_2 0.999, epsilon 1e-7), on ND4J's fused updater. */
public class Adam extends Optimizer {
  protected double beta1 = 0.9;
  protected double beta2 = 0.999;
  protected double epsilon = 1e-7;

  protected Adam() {
    super(0.001);
  }

  public Adam(double learningRate) {
    super(learningRate);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    super(learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    if (HostAdamUpdater.applies(param)) return new HostAdamUpdater(param, beta1, beta2, epsilon);
    NativeUpdater.CurrentRate rate = new NativeUpdater.CurrentRate();
    org.nd4j.linalg.learning.config.Adam cfg = new org.nd4j.linalg.learning.config.Adam(learningRate, beta1, beta2, epsilon);
    cfg.setLearningRateSchedule(rate);
    return new NativeUpdater(cfg, rate, param);
  }
}

package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter; Keras's AdamW): each step first shrinks
 * the weights by {@code lr·weight_decay·w}, then applies the Adam update. Default decay 0.004.
 */
public final class AdamW extends Adam {
  private double weightDecay = 0.004;

  private AdamW() {
    super();
  }

  public AdamW(double learningRate, double weightDecay) {
    super(learningRate);
    if (!(weightDecay >= 0)) throw DlnRuntimeException.value("weight_decay must be zero or positive, got " + weightDecay);
    this.weightDecay = weightDecay;
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    ParamUpdater adam = super.newUpdater(param);
    return ParamUpdater.withState(adam.state(), (p, g, lr, it, ep) -> {
      p.muli(1 - lr * weightDecay);
      adam.apply(p, g, lr, it, ep);
    });
  }
}

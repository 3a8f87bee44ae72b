package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Stochastic gradient descent, Keras's rule: {@code v = momentum·v − lr·g; w += v} (plain
 * {@code w −= lr·g} without momentum); Nesterov momentum uses ND4J's native updater, whose rule
 * is the same as Keras's.
 */
public final class SGD extends Optimizer {
  private double momentum;
  private boolean nesterov;

  private SGD() {
    super(0.01);
  }

  public SGD(double learningRate, double momentum, boolean nesterov) {
    super(learningRate);
    if (!(momentum >= 0 && momentum < 1)) throw DlnRuntimeException.value("momentum must be in [0, 1), got " + momentum);
    if (nesterov && momentum == 0) throw DlnRuntimeException.value("nesterov=true needs a momentum > 0", "e.g. SGD(0.01, momentum=0.9, nesterov=true)");
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    if (nesterov) {
      NativeUpdater.CurrentRate rate = new NativeUpdater.CurrentRate();
      return new NativeUpdater(new Nesterovs(rate, momentum), rate, param);
    }
    if (momentum == 0) return (p, g, lr, it, ep) -> p.subi(g.muli(lr));
    INDArray velocity = Nd4j.zerosLike(param);
    return ParamUpdater.withState(java.util.List.of(velocity), (p, g, lr, it, ep) -> {
      velocity.muli(momentum).subi(g.muli(lr));
      p.addi(velocity);
    });
  }
}

package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSprop, Keras's rule: {@code a = rho·a + (1−rho)·g²; w −= lr·g / (√a + epsilon)}, with
 * optional momentum on the step. Defaults: rho 0.9, epsilon 1e-7.
 */
public final class RMSprop extends Optimizer {
  private double rho = 0.9;
  private double momentum = 0;
  private double epsilon = 1e-7;

  private RMSprop() {
    super(0.001);
  }

  public RMSprop(double learningRate) {
    super(learningRate);
  }

  public RMSprop(double learningRate, double rho, double momentum) {
    super(learningRate);
    this.rho = rho;
    this.momentum = momentum;
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    INDArray acc = Nd4j.zerosLike(param);
    INDArray velocity = momentum > 0 ? Nd4j.zerosLike(param) : null;
    return ParamUpdater.withState(java.util.Arrays.asList(acc, velocity), (p, g, lr, it, ep) -> {
      acc.muli(rho).addi(g.mul(g).muli(1 - rho));
      INDArray step = g.divi(Transforms.sqrt(acc, true).addi(epsilon)).muli(lr);
      if (velocity == null) {
        p.subi(step);
      } else {
        velocity.muli(momentum).addi(step);
        p.subi(velocity);
      }
    });
  }
}

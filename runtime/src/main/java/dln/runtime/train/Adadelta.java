package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adadelta, Keras's rule (which, unlike ND4J's, scales the step by the learning rate):
 * {@code a = rho·a + (1−rho)·g²; d = √(s+eps)/√(a+eps)·g; s = rho·s + (1−rho)·d²; w −= lr·d}.
 */
public final class Adadelta extends Optimizer {
  private double rho = 0.95;
  private double epsilon = 1e-7;

  private Adadelta() {
    super(0.001);
  }

  public Adadelta(double learningRate) {
    super(learningRate);
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    INDArray accGrad = Nd4j.zerosLike(param);
    INDArray accDelta = Nd4j.zerosLike(param);
    return ParamUpdater.withState(java.util.List.of(accGrad, accDelta), (p, g, lr, it, ep) -> {
      accGrad.muli(rho).addi(g.mul(g).muli(1 - rho));
      INDArray delta = Transforms.sqrt(accDelta.add(epsilon), false)
          .divi(Transforms.sqrt(accGrad.add(epsilon), false)).muli(g);
      accDelta.muli(rho).addi(delta.mul(delta).muli(1 - rho));
      p.subi(delta.muli(lr));
    });
  }
}

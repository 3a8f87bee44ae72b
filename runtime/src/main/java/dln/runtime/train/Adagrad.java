package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adagrad, Keras's rule: {@code a += g²; w −= lr·g / (√a + epsilon)}, accumulator starting at 0.1.
 */
public final class Adagrad extends Optimizer {
  private double initialAccumulatorValue = 0.1;
  private double epsilon = 1e-7;

  private Adagrad() {
    super(0.001);
  }

  public Adagrad(double learningRate) {
    super(learningRate);
  }

  @Override
  protected ParamUpdater newUpdater(INDArray param) {
    INDArray acc = Nd4j.zerosLike(param).addi(initialAccumulatorValue);
    return ParamUpdater.withState(java.util.List.of(acc), (p, g, lr, it, ep) -> {
      acc.addi(g.mul(g));
      p.subi(g.divi(Transforms.sqrt(acc, true).addi(epsilon)).muli(lr));
    });
  }
}

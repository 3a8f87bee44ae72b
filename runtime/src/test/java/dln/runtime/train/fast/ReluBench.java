package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;

/** Micro-benchmark of relu backward variants at a CNN activation's size (not a unit test). */
public final class ReluBench {
  public static void main(String[] args) {
    INDArray out = Nd4j.rand(DataType.FLOAT, 128, 24, 24, 64).subi(0.5);
    INDArray grad = Nd4j.rand(DataType.FLOAT, 128, 24, 24, 64);
    INDArray other = Nd4j.create(DataType.FLOAT, 128, 24, 24, 64);
    INDArray mask = Nd4j.create(DataType.FLOAT, 128, 24, 24, 64);
    for (int round = 0; round < 3; round++) {
      time("relu_bp in place", () -> Nd4j.exec(new ThresholdReluBp(out, grad, grad, 0.0)));
      time("relu_bp out of place", () -> Nd4j.exec(new ThresholdReluBp(out, grad, other, 0.0)));
      time("legacy relu derivative x,y,z", () -> Nd4j.exec(new RectifiedLinearDerivative(out, grad, grad)));
      time("muli only", () -> grad.muli(mask));
      time("sign + muli", () -> {
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.same.Sign(out, mask));
        grad.muli(mask);
      });
      time("java loop", () -> {
        float[] o = Host.read(out);
        float[] g = Host.read(grad);
        for (int i = 0; i < g.length; i++) if (!(o[i] > 0)) g[i] = 0f;
        Host.write(grad, g);
      });
    }
  }

  private static void time(String what, Runnable r) {
    r.run();
    long t = System.nanoTime();
    for (int i = 0; i < 10; i++) r.run();
    System.out.printf("%-26s %.2f ms%n", what, (System.nanoTime() - t) / 1e7);
  }
}

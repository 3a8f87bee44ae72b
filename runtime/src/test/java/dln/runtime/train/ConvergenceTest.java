package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.Input;
import dln.runtime.nn.LayerNames;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small problems every working trainer must learn: XOR and two interleaved spirals. */
class ConvergenceTest {
  @BeforeEach
  void seed() {
    Nd4j.getRandom().setSeed(1234);
    dln.runtime.Rng.seed(1234);
    LayerNames.reset();
  }

  @Test
  void learnsXor() {
    INDArray x = Nd4j.createFromArray(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    INDArray y = Nd4j.createFromArray(new float[][] {{0}, {1}, {1}, {0}});
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(8, "tanh"), new Dense(1, "sigmoid")));
    TrainingSession.of(m).compile(new Adam(0.05), Loss.byName("binary_crossentropy"), List.of("accuracy"));
    History h = TrainingSession.of(m).fit(x, y, new FitOptions().epochs(300).batchSize(4).seed(1));
    INDArray p = TrainingSession.of(m).predict(x);
    assertTrue(p.getDouble(0) < 0.2 && p.getDouble(1) > 0.8 && p.getDouble(2) > 0.8 && p.getDouble(3) < 0.2, p.toString());
    assertTrue(h.last("accuracy") == 1.0, h.history().toString());
    List<Double> eval = TrainingSession.of(m).evaluate(x, y);
    assertTrue(eval.size() == 2 && eval.get(1) == 1.0 && eval.get(0) < 0.1, eval.toString());
  }

  /**
   * Two spirals of n points each (1.5 turns, radius up to 4), labels 0 and 1: the classic
   * playground set. The radius matters: on a unit disc a tanh network sits on a long plateau
   * (a NumPy reference implementation of the same network and optimiser does too).
   */
  static INDArray[] spirals(int n, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[2 * n][2];
    float[] y = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double t = 0.25 + 3.0 * i / n * Math.PI;
      for (int c = 0; c < 2; c++) {
        double angle = t + c * Math.PI;
        double radius = 4 * t / (3 * Math.PI);
        x[2 * i + c][0] = (float) (radius * Math.cos(angle) + r.nextGaussian() * 0.04);
        x[2 * i + c][1] = (float) (radius * Math.sin(angle) + r.nextGaussian() * 0.04);
        y[2 * i + c] = c;
      }
    }
    return new INDArray[] {Nd4j.createFromArray(x), Nd4j.createFromArray(y)};
  }

  @Test
  void learnsTwoSpirals() {
    INDArray[] data = spirals(200, 5);
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(64, "tanh"), new Dense(64, "tanh"), new Dense(2, "softmax")));
    TrainingSession.of(m).compile(new Adam(0.01), Loss.byName("sparse_categorical_crossentropy"), List.of("accuracy"));
    long t0 = System.nanoTime();
    TrainingSession.of(m).fit(data[0], data[1], new FitOptions().epochs(80).batchSize(32).seed(3));
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<Double> eval = TrainingSession.of(m).evaluate(data[0], data[1]);
    assertTrue(eval.get(1) >= 0.95, "accuracy " + eval + " after " + seconds + " s");
  }
}

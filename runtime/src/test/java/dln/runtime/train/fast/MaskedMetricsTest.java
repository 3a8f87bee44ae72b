package dln.runtime.train.fast;

import static dln.runtime.train.fast.MaskingTest.STEPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.TimeDistributed;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.Loss;
import dln.runtime.train.Metric;
import dln.runtime.train.SGD;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compiled metrics on an output that carries a mask of padded steps are means over the kept
 * steps, as Keras makes them (the mask is the metric's sample weight): fit's and evaluate's
 * accuracy and MAE on both engines equal the values computed by hand from predict's outputs over
 * the non-padded steps, and differ from the unmasked means the padded steps would give.
 */
class MaskedMetricsTest {
  private static final int N = 20;
  private static final int UNITS = 3;

  private static Model model() {
    return new Sequential(List.of(Input.of(STEPS), MaskingTest.maskedEmbedding(9, 4), MaskingTest.lstm(5, true, false),
        new TimeDistributed(new Dense(4, "tanh")), new Dense(UNITS, "softmax")));
  }

  /**
   * A model on one engine, compiled with a learning rate (1e-30) too small to move a float weight,
   * so fit's steps see the weights predict saw.
   */
  private static TrainingSession session(Model m, boolean fast) {
    TrainingSession s = TrainingSession.of(m);
    s.compile(new CompileConfig(new SGD(1e-30, 0.0, false), List.of(Loss.byName("categorical_crossentropy")), List.of("accuracy", "mae")));
    s.setEngineFactory(fast ? FastEngine::create : SameDiffEngine::new);
    if (fast) assertInstanceOf(FastEngine.class, s.engine(), () -> FastEngine.unsupportedReason(m, s.compileConfig()));
    return s;
  }

  @Test
  void metricsOnAMaskedSequenceOutputAreMeansOverTheKeptSteps() {
    for (boolean fast : new boolean[] {false, true}) {
      String what = fast ? "fast" : "SameDiff";
      Rng.seed(320);
      INDArray x = MaskingTest.paddedTokens(N, 9, false);
      Model m = model();
      TrainingSession s = session(m, fast);
      INDArray out = s.predict(x);
      // Labels: random classes at kept steps; at padded steps the class the model predicts there,
      // so counting padded steps would raise the accuracy.
      INDArray y = Nd4j.zeros(N, STEPS, UNITS);
      for (int n = 0; n < N; n++) {
        for (int t = 0; t < STEPS; t++) {
          int c = x.getFloat(n, t) == 0 ? argMax(out, n, t) : Rng.current().nextInt(UNITS);
          y.putScalar(new long[] {n, t, c}, 1);
        }
      }
      double[] masked = handMetrics(out, y, x, true);
      double[] all = handMetrics(out, y, x, false);
      assertTrue(all[0] - masked[0] > 0.1, what + ": the padded steps change the accuracy (" + all[0] + " vs " + masked[0] + ")");

      Map<String, Double> logs = s.evaluateByName(List.of(x), List.of(y), 7);
      assertEquals(masked[0], logs.get("accuracy"), 1e-6, what + " evaluate accuracy");
      assertEquals(masked[1], logs.get("mae"), 1e-6, what + " evaluate mae");
      History h = s.fit(List.of(x), List.of(y), new FitOptions().epochs(1).batchSize(6).shuffle(true).seed(3));
      assertEquals(masked[0], h.last("accuracy"), 1e-6, what + " fit accuracy");
      assertEquals(masked[1], h.last("mae"), 1e-5, what + " fit mae");

      TrainingEngine.StepResult r = s.engine().evaluate(List.of(x), List.of(y));
      for (int n = 0; n < N; n++) {
        for (int t = 0; t < STEPS; t++) {
          assertEquals(x.getFloat(n, t) == 0 ? 0 : 1, r.outputMask(0).getFloat(n, t), what + " the output's mask");
        }
      }
    }
  }

  /**
   * Every metric weighs by the mask alike in the host loop (a small batch) and in the ND4J ops (a
   * batch of over 2^20 values): the weighted sum over kept positions and their count, by hand.
   */
  @Test
  void everyMetricWeighsByTheMaskOnBothPaths() {
    for (int steps : new int[] {5, 200_000}) {
      Rng.seed(321);
      INDArray p = FastEngineTest.data(2, steps, UNITS);
      INDArray y = FastEngineTest.data(2, steps, UNITS);
      INDArray mask = Nd4j.zeros(2, steps);
      for (int n = 0; n < 2; n++) for (int t = 0; t < steps; t++) if (Rng.current().nextInt(3) > 0) mask.putScalar(n, t, 1);
      float[] pv = p.data().asFloat();
      float[] yv = y.data().asFloat();
      float[] keep = mask.data().asFloat();
      for (String name : List.of("categorical_accuracy", "binary_accuracy", "mse", "mae")) {
        double sum = 0;
        double kept = 0;
        for (int r = 0; r < keep.length; r++) {
          if (keep[r] == 0) continue;
          kept++;
          int o = r * UNITS;
          double v = 0;
          int bp = 0;
          int by = 0;
          for (int k = 0; k < UNITS; k++) {
            double d = pv[o + k] - yv[o + k];
            v += switch (name) {
              case "binary_accuracy" -> (pv[o + k] > 0.5f) == (yv[o + k] > 0.5f) ? 1.0 / UNITS : 0;
              case "mse" -> d * d / UNITS;
              case "mae" -> Math.abs(d) / UNITS;
              default -> 0;
            };
            if (pv[o + k] > pv[o + bp]) bp = k;
            if (yv[o + k] > yv[o + by]) by = k;
          }
          sum += name.equals("categorical_accuracy") ? (bp == by ? 1 : 0) : v;
        }
        double[] got = Metric.resolve(name, Loss.byName("mse"), UNITS).batch(p, y, mask);
        assertEquals(kept, got[1], 1e-9, name + " count, " + steps + " steps");
        assertEquals(sum / kept, got[0] / got[1], 1e-5, name + ", " + steps + " steps");
      }
    }
  }

  /** {accuracy, mae} over the steps with a token (or every step), in plain loops. */
  private static double[] handMetrics(INDArray out, INDArray y, INDArray x, boolean onlyKept) {
    double correct = 0;
    double absolute = 0;
    int steps = 0;
    for (int n = 0; n < N; n++) {
      for (int t = 0; t < STEPS; t++) {
        if (onlyKept && x.getFloat(n, t) == 0) continue;
        steps++;
        if (argMax(out, n, t) == argMax(y, n, t)) correct++;
        for (int k = 0; k < UNITS; k++) absolute += Math.abs(out.getDouble(n, t, k) - y.getDouble(n, t, k)) / UNITS;
      }
    }
    return new double[] {correct / steps, absolute / steps};
  }

  private static int argMax(INDArray a, int n, int t) {
    int best = 0;
    for (int k = 1; k < UNITS; k++) if (a.getDouble(n, t, k) > a.getDouble(n, t, best)) best = k;
    return best;
  }
}

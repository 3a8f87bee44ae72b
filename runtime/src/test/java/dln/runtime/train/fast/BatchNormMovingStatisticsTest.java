package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.train.SGD;
import dln.runtime.train.TrainingEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BatchNormalization's moving statistics and their use at inference, on both engines, against the
 * closed form computed here in plain double arithmetic (as NumPy would): after each training step
 * {@code moving = moving·momentum + batch·(1 − momentum)} with the batch's <em>biased</em>
 * variance (divided by n, Keras 3's {@code ops.moments} and tf.keras's non-fused path; PyTorch and
 * tf.keras's fused kernel move towards the unbiased n/(n−1) one), and inference normalises with
 * {@code (x − moving_mean) / sqrt(moving_variance + epsilon)}. The batch here has n = 36 values per
 * channel, where the two conventions differ by 2.9%, far beyond the tolerance.
 */
class BatchNormMovingStatisticsTest {
  private static final double MOMENTUM = 0.5;
  private static final double EPSILON = 1e-3;

  @Test
  void movingStatisticsFollowKerasClosedFormOnBothEngines() {
    Rng.seed(41);
    INDArray x = data(4, 3, 3, 2).muli(2).addi(0.7); // 4 images × 3 × 3 = 36 values per channel
    INDArray y = data(4, 3, 3, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(3, 3, 2),
        new BatchNormalization(new BatchNormalization.Config(MOMENTUM, EPSILON, true, true), null))),
        () -> new SGD(0.01, 0.0, false), "mse");
    double[][] batch = meanAndBiasedVariance(x);
    double[] mm = {0, 0};
    double[] mv = {1, 1};
    for (int step = 0; step < 3; step++) {
      for (int c = 0; c < 2; c++) {
        mm[c] = mm[c] * MOMENTUM + batch[0][c] * (1 - MOMENTUM);
        mv[c] = mv[c] * MOMENTUM + batch[1][c] * (1 - MOMENTUM);
      }
      for (TrainingEngine engine : List.of(p.refEngine(), p.fastEngine())) engine.trainStep(List.of(x), List.of(y), 0);
    }
    for (Model m : List.of(p.reference(), p.fast())) {
      BatchNormalization bn = (BatchNormalization) m.layers().get(0);
      String engine = m == p.fast() ? "fast" : "reference";
      for (int c = 0; c < 2; c++) {
        assertEquals(mm[c], bn.weight("moving_mean").value().getDouble(c), 1e-5, engine + " moving mean " + c);
        assertEquals(mv[c], bn.weight("moving_variance").value().getDouble(c), 1e-5, engine + " moving variance " + c);
        double unbiased = mv[c] + (1 - Math.pow(MOMENTUM, 3)) * batch[1][c] / 35; // what n/(n−1) would give
        assertTrue(Math.abs(unbiased - mv[c]) > 1e-3, "the test tells the two conventions apart");
      }
    }
    for (TrainingEngine engine : List.of(p.refEngine(), p.fastEngine())) {
      Model m = engine == p.fastEngine() ? p.fast() : p.reference();
      BatchNormalization bn = (BatchNormalization) m.layers().get(0);
      float[] out = engine.predict(List.of(x)).get(0).dup('c').data().asFloat();
      float[] in = x.dup('c').data().asFloat();
      for (int i = 0; i < in.length; i++) {
        int c = i % 2;
        double expected = (in[i] - mm[c]) / Math.sqrt(mv[c] + EPSILON) * bn.weight("gamma").value().getDouble(c)
            + bn.weight("beta").value().getDouble(c);
        assertEquals(expected, out[i], 1e-4, "inference with the moving statistics, value " + i);
      }
    }
  }

  /** Per channel (the last axis of a channels-last batch): mean and variance divided by n. */
  private static double[][] meanAndBiasedVariance(INDArray x) {
    float[] v = x.dup('c').data().asFloat();
    int channels = (int) x.size(x.rank() - 1);
    int n = v.length / channels;
    double[] mean = new double[channels];
    double[] var = new double[channels];
    for (int i = 0; i < v.length; i++) mean[i % channels] += v[i] / (double) n;
    for (int i = 0; i < v.length; i++) var[i % channels] += Math.pow(v[i] - mean[i % channels], 2) / n;
    return new double[][] {mean, var};
  }
}

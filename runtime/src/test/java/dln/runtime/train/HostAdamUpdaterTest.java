package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The Java Adam follows ND4J's native adam_updater step for step, for small and large arrays. */
class HostAdamUpdaterTest {
  @Test
  void matchesTheNativeUpdaterOverManySteps() {
    // Small, one chunk; several chunks; and large enough to be split across two threads.
    for (long[] shape : new long[][] {{7, 5}, {301, 117}, {784, 512}}) {
      matches(shape);
    }
  }

  private static void matches(long[] shape) {
    Rng.seed(3);
    for (double[] settings : new double[][] {{0.001, 0.9, 0.999, 1e-7}, {0.03, 0.8, 0.99, 1e-3}}) {
      INDArray a = Rng.normal(shape, 0, 1);
      INDArray b = a.dup();
      NativeUpdater.CurrentRate rate = new NativeUpdater.CurrentRate();
      var cfg = new org.nd4j.linalg.learning.config.Adam(settings[0], settings[1], settings[2], settings[3]);
      cfg.setLearningRateSchedule(rate);
      ParamUpdater reference = new NativeUpdater(cfg, rate, a);
      ParamUpdater host = new HostAdamUpdater(b, settings[1], settings[2], settings[3]);
      for (int it = 0; it < 25; it++) {
        INDArray g = Rng.normal(shape, 0, it < 20 ? 1 : 1e-4);
        reference.apply(a, g.dup(), settings[0], it, 0);
        host.apply(b, g.dup(), settings[0], it, 0);
      }
      float[] x = a.data().asFloat();
      float[] y = b.data().asFloat();
      for (int i = 0; i < x.length; i++) {
        assertTrue(Math.abs(x[i] - y[i]) <= 1e-6 + 1e-5 * Math.abs(x[i]), i + ": native " + x[i] + " vs host " + y[i]);
      }
      assertTrue(a.sub(b).amaxNumber().doubleValue() < 1e-5);
      // The state uses the native layout (m then v in one [1, 2n] row), so model files can save either.
      INDArray sa = reference.state().get(0);
      INDArray sb = host.state().get(0);
      assertTrue(java.util.Arrays.equals(sa.shape(), sb.shape()));
      assertTrue(sa.sub(sb).amaxNumber().doubleValue() < 1e-5 * (1 + sa.amaxNumber().doubleValue()));
    }
  }

  @Test
  void viewsAndDoublesKeepTheNativeUpdater() {
    assertTrue(!HostAdamUpdater.applies(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 4).getRow(1)));
    assertTrue(!HostAdamUpdater.applies(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4, 4)));
    assertTrue(HostAdamUpdater.applies(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 784, 512)));
  }
}

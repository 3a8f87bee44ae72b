package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.layers.BatchNormalization;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BatchNormStep}'s training passes on one shape, with and without the absorbed relu,
 * interleaved, medians in ms per batch (forward, backward wall; both passes' CPU, {@link CpuClock}). Not a test: run it by hand.
 *
 * <pre>
 * OMP_WAIT_POLICY=passive java -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2 \
 *   -cp runtime/target/classes:runtime/target/test-classes:$CP dln.runtime.train.fast.BatchNormBench batch size channels reps
 * </pre>
 */
final class BatchNormBench {
  private BatchNormBench() {}

  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]);
    int h = Integer.parseInt(a[1]);
    int c = Integer.parseInt(a[2]);
    int reps = Integer.parseInt(a[3]);
    Rng.seed(1);
    long[] sample = {h, h, c};
    INDArray x = Rng.normal(new long[] {n, h, h, c}, 0.3, 1.5);
    INDArray dy = Rng.normal(new long[] {n, h, h, c}, 0, 1);
    BatchNormStep[] steps = new BatchNormStep[2];
    for (int v = 0; v < 2; v++) {
      BatchNormalization layer = new BatchNormalization(new BatchNormalization.Config(0.5, 0.001, true, true), null);
      layer.apply(Input.of(h, h, c));
      steps[v] = new BatchNormStep(layer, sample);
      if (v == 1) steps[v].absorbRelu();
    }
    String[] names = {"BN", "BN + relu"};
    double[][][] ms = new double[2][2][reps];
    double[][] cpu = new double[2][reps];
    for (int w = 0; w < 20; w++) for (BatchNormStep s : steps) run(s, x, dy, new double[2]);
    for (int r = 0; r < reps; r++) {
      for (int v = 0; v < 2; v++) {
        double[] t = new double[2];
        long c0 = CpuClock.nanos();
        for (int k = 0; k < 5; k++) run(steps[v], x, dy, t);
        cpu[v][r] = (CpuClock.nanos() - c0) / 5e6;
        ms[v][0][r] = t[0] / 5;
        ms[v][1][r] = t[1] / 5;
      }
    }
    for (int v = 0; v < 2; v++) {
      System.out.printf("%-10s forward %7.2f ms  backward %7.2f ms  CPU both %7.2f ms (medians of %d, batch %d × %d×%d×%d)%n",
          names[v], median(ms[v][0]), median(ms[v][1]), median(cpu[v]), reps, n, h, h, c);
    }
  }

  private static void run(BatchNormStep s, INDArray x, INDArray dy, double[] t) {
    long t0 = System.nanoTime();
    s.forward(x, true);
    long t1 = System.nanoTime();
    s.backward(dy, true, true); // (BatchNormStep reads dOut, never writes it)
    long t2 = System.nanoTime();
    t[0] += (t1 - t0) / 1e6;
    t[1] += (t2 - t1) / 1e6;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

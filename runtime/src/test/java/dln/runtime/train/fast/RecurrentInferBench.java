package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Model;
import dln.runtime.train.FitOptions;
import dln.runtime.train.session.TrainingSession;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The bench's recurrent inference workload on its own ({@link RecurrentWarmupBench}'s model:
 * LSTM(64) or GRU(64) over 20 steps × 8 features, then Dense(1, sigmoid)), after the bench's
 * 1,280-sample warm-up fit: {@code rounds} predicts of 2,000 sequences at batch 1,000, each with
 * its wall time and the process's CPU time (all threads, in the OS's 10 ms ticks), and the medians.
 *
 * <p>Run: {@code java -cp runtime/target/classes:runtime/target/test-classes:$CP
 * dln.runtime.train.fast.RecurrentInferBench [rounds] [lstm|gru]}.
 */
public final class RecurrentInferBench {
  private RecurrentInferBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    boolean gru = args.length > 1 && args[1].equals("gru");
    Rng.seed(4);
    int n = 2000;
    INDArray x = RecurrentWarmupBench.inputs(n);
    INDArray y = RecurrentWarmupBench.labels(x);
    Model m = RecurrentWarmupBench.model(gru);
    TrainingSession.of(m).fit(x.get(NDArrayIndex.interval(0, 1280)), y.get(NDArrayIndex.interval(0, 1280)),
        new FitOptions().epochs(1).batchSize(64));
    TrainingSession.of(m).predict(x.get(NDArrayIndex.interval(0, 1000)), 1000); // the bench's warm-up batch
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long c0 = sun.getProcessCpuTime();
      long t0 = System.nanoTime();
      TrainingSession.of(m).predict(x, 1000);
      wall[r] = (System.nanoTime() - t0) / 1e6;
      cpu[r] = (sun.getProcessCpuTime() - c0) / 1e6;
      System.out.printf("predict %d: %.1f ms wall (%.0f samples/s), %.1f ms CPU%n", r + 1, wall[r], n / wall[r] * 1e3, cpu[r]);
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    System.out.printf("%s median: %.1f ms wall (%.0f samples/s), %.1f ms CPU; min wall %.1f%n", gru ? "gru" : "lstm",
        wall[rounds / 2], n / wall[rounds / 2] * 1e3, cpu[rounds / 2], wall[0]);
  }
}

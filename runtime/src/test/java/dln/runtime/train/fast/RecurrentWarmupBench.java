package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.train.Callback;
import dln.runtime.train.FitOptions;
import dln.runtime.train.TrainingContext;
import dln.runtime.train.session.TrainingSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How fast a fresh JVM reaches its warm training speed on the bench's recurrent workload (LSTM(64)
 * or GRU(64) over 20 steps × 8 features, then Dense(1, sigmoid), Adam, batch 64): the bench's
 * 1,280-sample warm-up, then epochs of 8,192 samples, each with its wall time, the main thread's CPU
 * time, the JIT compiler threads' CPU time so far (from /proc, Linux only) and the mean step time
 * per 16 batches. On a loaded machine the main thread's CPU time is the steadier figure; the
 * compiler threads' share in the first epoch is what a fresh JVM pays there.
 *
 * <p>Run: {@code java -cp runtime/target/classes:runtime/target/test-classes:$CP
 * dln.runtime.train.fast.RecurrentWarmupBench [epochs] [lstm|gru]}.
 */
public final class RecurrentWarmupBench {
  private RecurrentWarmupBench() {}

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    boolean gru = args.length > 1 && args[1].equals("gru");
    long start = System.nanoTime();
    Rng.seed(4);
    int n = 8192;
    INDArray x = inputs(n);
    INDArray y = labels(x);
    Model m = model(gru);
    List<Long> batchEnds = new ArrayList<>();
    Callback clock = new Callback() {
      @Override
      public void onBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {
        batchEnds.add(System.nanoTime());
      }
    };
    long t = System.nanoTime();
    long cpu = mainCpuNanos();
    TrainingSession.of(m).fit(x.get(NDArrayIndex.interval(0, 1280)), y.get(NDArrayIndex.interval(0, 1280)),
        new FitOptions().epochs(1).batchSize(64).callback(clock));
    System.out.printf("set-up %.0f ms; warm-up fit %.0f ms (main CPU %.0f ms); JIT CPU so far %d ms%n", (t - start) / 1e6,
        (System.nanoTime() - t) / 1e6, (mainCpuNanos() - cpu) / 1e6, jitCpuMillis());
    for (int e = 1; e <= epochs; e++) {
      batchEnds.clear();
      t = System.nanoTime();
      cpu = mainCpuNanos();
      batchEnds.add(t);
      TrainingSession.of(m).fit(x, y, new FitOptions().epochs(1).batchSize(64).callback(clock));
      double seconds = (System.nanoTime() - t) / 1e9;
      StringBuilder steps = new StringBuilder();
      for (int k = 0; k + 16 < batchEnds.size(); k += 16) {
        steps.append(String.format(" %.2f", (batchEnds.get(k + 16) - batchEnds.get(k)) / 16e6));
      }
      System.out.printf("epoch %d: %.0f samples/s (main CPU %.0f ms); JIT CPU so far %d ms; ms/step per 16 batches:%s%n", e,
          n / seconds, (mainCpuNanos() - cpu) / 1e6, jitCpuMillis(), steps);
    }
  }

  /** n random sequences of the workload's shape (20 steps × 8 features). */
  static INDArray inputs(int n) {
    return Rng.normal(new long[] {n, 20, 8}, 0, 1);
  }

  /** The workload's labels: whether a sequence's values sum above zero. */
  static INDArray labels(INDArray x) {
    return x.sum(1, 2).gt(0).castTo(DataType.FLOAT).reshape(x.size(0), 1);
  }

  /** The workload's model, compiled: LSTM(64) or GRU(64), then Dense(1, sigmoid), Adam and binary cross-entropy. */
  static Model model(boolean gru) {
    Model m = new Sequential(List.of(Input.of(20, 8), gru ? new GRU(64, false) : new LSTM(64, false), new Dense(1, "sigmoid")));
    TrainingSession.of(m).compile("adam", "binary_crossentropy");
    return m;
  }

  private static long mainCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** User + system CPU time of the C1/C2 compiler threads (clock ticks of 10 ms), −1 where /proc is missing. */
  private static long jitCpuMillis() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      long ticks = 0;
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended since the listing
        }
        int close = stat.lastIndexOf(')');
        String name = stat.substring(stat.indexOf('(') + 1, close);
        if (!name.startsWith("C1 Compi") && !name.startsWith("C2 Compi")) continue;
        String[] fields = stat.substring(close + 2).split(" ");
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      }
      return ticks * 10;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}

package dln.runtime.train.fast;

import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.train.session.TrainingSession;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference probe for the Keras MNIST MLP (random weights and rows): {@code predict} in ms per
 * batch of 1,000, the three GEMMs alone, and µs per single-sample predict, min and median per round.
 * {@code -Dprobe.ops=true} times each step of the compiled plan instead; {@code -Dprobe.loop=one}
 * or {@code batch} loops one kind of call for 15 s (for a profiler). Run:
 * {@code java -cp runtime/target/classes:runtime/target/test-classes:$(deps) dln.runtime.train.fast.InferProbe [rounds]}.
 */
public final class InferProbe {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Model m = new Sequential(List.of(Input.of(784), new Dense(512, "relu"), new Dropout(0.2), new Dense(512, "relu"),
        new Dropout(0.2), new Dense(10, "softmax")));
    TrainingSession.of(m).compile("adam", "categorical_crossentropy");
    INDArray x = Nd4j.rand(DataType.FLOAT, 10000, 784);
    INDArray one = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
    for (int i = 0; i < 5; i++) TrainingSession.of(m).predict(x, 1000);
    INDArray a1 = Nd4j.rand(DataType.FLOAT, 1000, 784), w1 = Nd4j.rand(DataType.FLOAT, 784, 512), c1 = Nd4j.create(DataType.FLOAT, 1000, 512);
    INDArray a2 = Nd4j.rand(DataType.FLOAT, 1000, 512), w2 = Nd4j.rand(DataType.FLOAT, 512, 512), c2 = Nd4j.create(DataType.FLOAT, 1000, 512);
    INDArray w3 = Nd4j.rand(DataType.FLOAT, 512, 10), c3 = Nd4j.create(DataType.FLOAT, 1000, 10);
    for (int i = 0; i < 1000; i++) TrainingSession.of(m).predict(one, 1);
    if (Boolean.getBoolean("probe.ops")) {
      opsProfile(m, x, rounds);
      return;
    }
    String loop = System.getProperty("probe.loop");
    if (loop != null) {
      long end = System.nanoTime() + 15_000_000_000L;
      long calls = 0;
      while (System.nanoTime() < end) {
        if (loop.equals("one")) TrainingSession.of(m).predict(one, 1);
        else TrainingSession.of(m).predict(x, 1000);
        calls++;
      }
      System.out.println(loop + " calls: " + calls);
      return;
    }
    for (int r = 0; r < rounds; r++) {
      double[] p = new double[10];
      for (int k = 0; k < p.length; k++) {
        long t = System.nanoTime();
        TrainingSession.of(m).predict(x, 1000);
        p[k] = (System.nanoTime() - t) / 1e6 / 10;
      }
      double[] g = new double[30];
      for (int k = 0; k < g.length; k++) {
        long t = System.nanoTime();
        Nd4j.gemm(a1, w1, c1, false, false, 1.0, 0.0);
        Nd4j.gemm(a2, w2, c2, false, false, 1.0, 0.0);
        Nd4j.gemm(a2, w3, c3, false, false, 1.0, 0.0);
        g[k] = (System.nanoTime() - t) / 1e6;
      }
      double[] s = new double[2000];
      for (int k = 0; k < s.length; k++) {
        long t = System.nanoTime();
        TrainingSession.of(m).predict(one, 1);
        s[k] = (System.nanoTime() - t) / 1e3;
      }
      System.out.printf("round %d: predict med %.2f min %.2f ms/batch (%.0f samples/s), gemms med %.2f min %.2f ms, predict(1) med %.1f min %.1f us  [load %.1f]%n",
          r, med(p), min(p), 1000 / med(p) * 1000, med(g), min(g), med(s), min(s),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** Each op of the compiled plan timed on its own, batch by batch (min and median over batches). */
  private static void opsProfile(Model m, INDArray x, int rounds) {
    FastPlan plan;
    try {
      plan = FastPlan.compile(m, TrainingSession.of(m).compileConfig());
    } catch (FastPlan.Unsupported e) {
      throw new IllegalStateException(e);
    }
    int batches = 10 * rounds;
    double[][] t = new double[plan.ops.size() + 2][batches];
    INDArray buf = Nd4j.create(DataType.FLOAT, 1000, 784);
    for (int b = -20; b < batches; b++) {
      int from = (Math.max(b, 0) % 10) * 1000;
      long t0 = System.nanoTime();
      buf.assign(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 1000)));
      long t1 = System.nanoTime();
      if (b >= 0) t[0][b] = (t1 - t0) / 1e6;
      INDArray v = buf;
      for (int i = 0; i < plan.ops.size(); i++) {
        long s0 = System.nanoTime();
        v = plan.ops.get(i).step().forward(v, false);
        if (b >= 0) t[i + 1][b] = (System.nanoTime() - s0) / 1e6;
      }
      long s0 = System.nanoTime();
      v.dup('c');
      if (b >= 0) t[plan.ops.size() + 1][b] = (System.nanoTime() - s0) / 1e6;
    }
    System.out.printf("%-30s %8s %8s%n", "op", "min ms", "med ms");
    System.out.printf("%-30s %8.3f %8.3f%n", "batch copy", min(t[0]), med(t[0]));
    for (int i = 0; i < plan.ops.size(); i++) System.out.printf("%-30s %8.3f %8.3f%n", plan.ops.get(i).label(), min(t[i + 1]), med(t[i + 1]));
    System.out.printf("%-30s %8.3f %8.3f%n", "output dup", min(t[t.length - 1]), med(t[t.length - 1]));
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().getAsDouble();
  }

  private static double med(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}

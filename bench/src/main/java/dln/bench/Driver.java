package dln.bench;

import java.util.function.Supplier;

/**
 * The measurement protocol every JVM peer shares: build the network, train a warm-up slice (JIT,
 * native kernels, allocator pools), then time one epoch; warm up inference, then time it. The
 * clock covers exactly the peer's trainEpoch/predict call.
 */
public final class Driver {
  public static final int TRAIN_BATCH = 128;

  private final Plan plan;
  private final Report report;

  public Driver(Plan plan, Report report) {
    this.plan = plan;
    this.report = report;
  }

  private boolean failed;

  /** Whether a network failed; the process then exits non-zero after measuring the others. */
  public boolean failed() {
    return failed;
  }

  /**
   * Measures one network: {@code <net>_train} and {@code <net>_infer} result lines. A failure is
   * printed (bench.py reports it as MISSING) and the next network still runs.
   */
  public void run(String net, Supplier<BenchNet> build) {
    try {
      measure(net, build);
    } catch (RuntimeException | Error e) {
      failed = true;
      System.err.println("ERROR " + net + ": " + e);
      e.printStackTrace();
    }
  }

  private void measure(String net, Supplier<BenchNet> build) {
    int samples = plan.samples(net);
    int warmup = plan.warmup(net);
    int inferSamples = plan.inferSamples(net);
    long t0 = System.nanoTime();
    try (BenchNet model = build.get()) {
      double buildS = seconds(t0);
      model.trainEpoch(warmup);
      for (int r = 0; r < plan.repeats; r++) {
        long t = System.nanoTime();
        double loss = model.trainEpoch(samples);
        double s = seconds(t);
        report.line(net + "_train").put("samples", samples).put("seconds", s).put("samples_per_s", samples / s)
            .put("loss", loss).put("build_s", buildS).print();
      }
      model.predict(Math.min(2 * plan.inferBatch, inferSamples), plan.inferBatch);
      for (int r = 0; r < plan.repeats; r++) {
        long t = System.nanoTime();
        double acc = model.predict(inferSamples, plan.inferBatch);
        double s = seconds(t);
        report.line(net + "_infer").put("samples", inferSamples).put("batch", plan.inferBatch).put("seconds", s)
            .put("samples_per_s", inferSamples / s).put("accuracy", acc).print();
      }
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}

package dln.runtime.train.fast;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a training step's time goes, phase by phase, when the JVM runs with {@code -Ddln.profile=true}
 * (e.g. {@code DLN_JAVA_OPTS=-Ddln.profile=true ./dln perf/mlp.dln}): each layer's forward and
 * backward, the loss head and the optimiser, as milliseconds per step, printed to stderr when the
 * JVM exits. ND4J's CPU ops are synchronous, so wall-clock time around a call is that call's
 * cost. Off by default: then each probe is one branch on a constant.
 */
final class StepProfile {
  static final boolean ON = Boolean.getBoolean("dln.profile");
  /** Leading training steps left out of the table ({@code -Ddln.profile.skip=N}): JIT compilation and first-call set-up. */
  private static final long SKIP = Long.getLong("dln.profile.skip", 0);

  /** Nanoseconds and calls per phase, in first-seen order. */
  private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();
  /** Sub-phases inside a layer's step (already counted in its phase), nanoseconds and calls. */
  private static final Map<String, long[]> DETAILS = new LinkedHashMap<>();
  /** Training steps counted; negative while the skipped leading steps run. */
  private static long steps = -SKIP;

  static {
    if (ON) Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err), "dln-profile"));
  }

  private StepProfile() {}

  /** A timestamp when profiling, else 0. */
  static long start() {
    return ON ? System.nanoTime() : 0;
  }

  /** Charges the time since {@code t0} to {@code phase}; returns now (the next phase's start). */
  static long add(String phase, long t0) {
    if (!ON) return 0;
    long now = System.nanoTime();
    synchronized (TOTALS) {
      if (steps < 0) return now;
      long[] t = TOTALS.computeIfAbsent(phase, k -> new long[2]);
      t[0] += now - t0;
      t[1]++;
    }
    return now;
  }

  /**
   * Charges {@code nanos} to a sub-phase of a layer's step (e.g. a recurrent layer's per-step GEMMs,
   * summed over its time steps): printed under the phases, not added to their total.
   */
  static void detail(String phase, long nanos) {
    if (!ON) return;
    detailNanos(phase, nanos);
  }

  /** {@link #detail(String, long)} of the time since {@code t0} (a {@link #start()}); returns now (the next sub-phase's start). */
  static long detailSince(String phase, long t0) {
    if (!ON) return 0;
    long now = System.nanoTime();
    detailNanos(phase, now - t0);
    return now;
  }

  private static void detailNanos(String phase, long nanos) {
    synchronized (TOTALS) {
      if (steps < 0) return;
      long[] t = DETAILS.computeIfAbsent(phase, k -> new long[2]);
      t[0] += nanos;
      t[1]++;
    }
  }

  /** Counts one training step (the denominator of the table). */
  static void step() {
    if (!ON) return;
    synchronized (TOTALS) {
      steps++;
    }
  }

  static void print(PrintStream out) {
    synchronized (TOTALS) {
      if (steps <= 0) return;
      long total = 0;
      for (long[] t : TOTALS.values()) total += t[0];
      out.printf("%nfast engine profile: %,d training steps, %.3f ms per step in the phases below%n", steps, total / 1e6 / steps);
      out.printf("  %-34s %10s %7s%n", "phase", "ms/step", "share");
      for (Map.Entry<String, long[]> e : TOTALS.entrySet()) {
        double ms = e.getValue()[0] / 1e6 / steps;
        out.printf("  %-34s %10.3f %6.1f%%%n", e.getKey(), ms, 100.0 * e.getValue()[0] / total);
      }
      if (!DETAILS.isEmpty()) out.printf("  inside those phases (forward and backward of inference included):%n");
      for (Map.Entry<String, long[]> e : DETAILS.entrySet()) {
        double ms = e.getValue()[0] / 1e6 / steps;
        out.printf("    %-32s %10.3f %6.1f%%%n", e.getKey(), ms, 100.0 * e.getValue()[0] / total);
      }
    }
  }
}

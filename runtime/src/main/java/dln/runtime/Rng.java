package dln.runtime;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DLN's random numbers: one seeded generator per thread (so interpreters on different threads are
 * independent), used for rand/randn, weight initialisation, dropout masks and shuffling.
 *
 * <p>Why not ND4J's generator: in 1.0.0-M2.1 {@code Nd4j.getRandom().setSeed(n)} (and even a new
 * native random instance made from a seed) gives different numbers in every process, so seeded
 * runs would not be reproducible. Numbers are drawn in Java and copied into the tensor.
 */
public final class Rng {
  private static final ThreadLocal<SplittableRandom> CURRENT =
      ThreadLocal.withInitial(() -> new SplittableRandom(System.nanoTime() ^ Thread.currentThread().getId()));

  private Rng() {}

  /** Makes every following draw on this thread reproducible. */
  public static void seed(long seed) {
    CURRENT.set(new SplittableRandom(seed));
  }

  /** This thread's generator. */
  public static SplittableRandom current() {
    return CURRENT.get();
  }

  /** A fresh long for seeding something else (a data shuffle, a generator) from the current stream. */
  public static long nextSeed() {
    return current().nextLong();
  }

  /** Uniform values in [lo, hi). */
  public static INDArray uniform(long[] shape, double lo, double hi) {
    SplittableRandom r = current();
    float[] v = new float[count(shape)];
    double span = hi - lo;
    for (int i = 0; i < v.length; i++) v[i] = (float) (lo + span * r.nextDouble());
    return create(v, shape);
  }

  /** Normal values with the given mean and standard deviation. */
  public static INDArray normal(long[] shape, double mean, double std) {
    SplittableRandom r = current();
    float[] v = new float[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * r.nextGaussian());
    return create(v, shape);
  }

  /** Normal values redrawn until within two standard deviations (Keras's truncated normal). */
  public static INDArray truncatedNormal(long[] shape, double mean, double std) {
    SplittableRandom r = current();
    float[] v = new float[count(shape)];
    for (int i = 0; i < v.length; i++) {
      double g;
      do {
        g = r.nextGaussian();
      } while (Math.abs(g) > 2);
      v[i] = (float) (mean + std * g);
    }
    return create(v, shape);
  }

  /**
   * An inverted-dropout mask: each value {@code 1 / keep} with probability {@code keep}, else 0.
   * Both training engines draw their masks here, in the same order, so seeded runs agree.
   */
  public static INDArray dropoutMask(long[] shape, double keep) {
    float[] v = new float[count(shape)];
    fillDropoutMask(v, keep);
    return create(v, shape);
  }

  /** Position codes for the mask hash ({@code i · golden ratio}), grown to the largest mask drawn. */
  private static volatile int[] positions = new int[0];

  /**
   * Fills {@code out} with an inverted-dropout mask. One 64-bit draw from this thread's generator
   * seeds the whole mask; value {@code i} is then a hash of {@code i} and that seed (two rounds of
   * a 32-bit avalanche mix), kept when its top 24 bits, as a fraction, are below {@code keep}.
   * Written so the JIT vectorises the loop (no branches, no loop-carried state, a loaded position
   * code rather than a computed one): ≈ 0.2 ns per value, where a generator call per value pair
   * took 2–3 ns, and masks are drawn for every activation of every training step.
   */
  public static void fillDropoutMask(float[] out, double keep) {
    long seed = current().nextLong();
    int s1 = (int) seed;
    int s2 = (int) (seed >>> 32);
    float scale = (float) (1.0 / keep);
    float k = (float) keep;
    int n = out.length;
    int[] codes = positions(n);
    for (int i = 0; i < n; i++) {
      int z = mix(codes[i] ^ s1);
      z = mix(z + s2);
      float u = (z >>> 8) * 0x1.0p-24f;
      // 1 when u < keep, else 0: (k − u) is either ≤ 0 or at least 2^-48, which the multiply
      // saturates to +∞ (then clamped to 1).
      out[i] = scale * Math.min(Math.max((k - u) * Float.MAX_VALUE, 0f), 1f);
    }
  }

  /** A 32-bit avalanche mix (Wellons's "lowbias32"). */
  private static int mix(int z) {
    z = (z ^ (z >>> 16)) * 0x7feb352d;
    z = (z ^ (z >>> 15)) * 0x846ca68b;
    return z ^ (z >>> 16);
  }

  private static int[] positions(int n) {
    int[] p = positions;
    if (p.length >= n) return p;
    p = new int[Math.max(n, Math.min(2 * p.length, Integer.MAX_VALUE - 8))];
    for (int i = 0; i < p.length; i++) p[i] = i * 0x9e3779b9;
    positions = p;
    return p;
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  public static int[] permutation(int n) {
    SplittableRandom r = current();
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static int count(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    if (n > Integer.MAX_VALUE - 8) throw DlnRuntimeException.value("a random tensor of " + n + " values is too large");
    return (int) n;
  }

  private static INDArray create(float[] v, long[] shape) {
    if (v.length == 0) return Nd4j.create(DataType.FLOAT, shape);
    return Nd4j.createFromArray(v).reshape(shape);
  }
}

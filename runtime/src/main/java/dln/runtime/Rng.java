package dln.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
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

  /** Values per chunk of a dropout mask (bounds the scratch of {@link #fillDropoutMask}). */
  private static final int MASK_CHUNK = 1 << 16;

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
    double span = hi - lo;
    return filled(shape, (v, len) -> {
      for (int i = 0; i < len; i++) v[i] = (float) (lo + span * r.nextDouble());
    });
  }

  /** Normal values with the given mean and standard deviation. */
  public static INDArray normal(long[] shape, double mean, double std) {
    SplittableRandom r = current();
    return filled(shape, (v, len) -> {
      for (int i = 0; i < len; i++) v[i] = (float) (mean + std * r.nextGaussian());
    });
  }

  /** Fills {@code out} with normal values: the same draws as {@link #normal} for an array of that many values. */
  public static void fillNormal(float[] out, double mean, double std) {
    SplittableRandom r = current();
    for (int i = 0; i < out.length; i++) out[i] = (float) (mean + std * r.nextGaussian());
  }

  /** Normal values redrawn until within two standard deviations (Keras's truncated normal). */
  public static INDArray truncatedNormal(long[] shape, double mean, double std) {
    SplittableRandom r = current();
    return filled(shape, (v, len) -> {
      for (int i = 0; i < len; i++) {
        double g;
        do {
          g = r.nextGaussian();
        } while (Math.abs(g) > 2);
        v[i] = (float) (mean + std * g);
      }
    });
  }

  /** Whether data buffers are host memory that {@link #filled} may write (a holder: asked on first use, not at start-up). */
  private static final class Backend {
    static final boolean HOST_MEMORY =
        !Nd4j.getBackend().getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("cuda");
  }

  /** Values per chunk of {@link #filled}: 256 KiB of floats, small enough to stay in cache. */
  private static final int FILL_CHUNK = 1 << 16;

  /** Writes the next {@code len} values of a stream into the start of {@code chunk}. */
  @FunctionalInterface
  private interface ChunkFill {
    void fill(float[] chunk, int len);
  }

  /**
   * A new float32 tensor of {@code shape} filled in place, chunk by chunk, in row-major order.
   *
   * <p>Why chunks: drawing into a {@code float[]} of the whole tensor and copying it into a native
   * array kept three copies alive at once (the Java array, the native copy, a reshaped copy): a
   * 2 GB Dense kernel peaked at 6 GB and spent most of its 25 s allocating and copying. Now the
   * only allocation is the tensor itself (uninitialised, so not even zeroed), and the values
   * reach it through one reused 256 KiB array; the draws and their order are the same as before,
   * so seeded runs keep their numbers.
   */
  private static INDArray filled(long[] shape, ChunkFill source) {
    long n = 1;
    for (long d : shape) n = Math.multiplyExact(n, d);
    if (!Backend.HOST_MEMORY) {
      // A device backend's buffers are not plain host memory: draw into one array and copy it over.
      float[] all = new float[count(shape)];
      for (int from = 0; from < all.length; from += FILL_CHUNK) {
        int len = Math.min(FILL_CHUNK, all.length - from);
        float[] chunk = new float[len];
        source.fill(chunk, len);
        System.arraycopy(chunk, 0, all, from, len);
      }
      return create(all, shape);
    }
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    if (n == 0) return out;
    Pointer address = out.data().addressPointer();
    FloatPointer target = new FloatPointer(address);
    long base = address.position() * address.sizeof() / Float.BYTES;
    float[] chunk = new float[(int) Math.min(FILL_CHUNK, n)];
    for (long from = 0; from < n; from += chunk.length) {
      int len = (int) Math.min(chunk.length, n - from);
      source.fill(chunk, len);
      target.position(base + from).put(chunk, 0, len);
    }
    return out;
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

  /** Position codes for the mask hash ({@code i · golden ratio}), for the first {@link #MASK_CHUNK} positions. */
  private static final int[] POSITIONS = new int[MASK_CHUNK];

  static {
    for (int i = 0; i < MASK_CHUNK; i++) POSITIONS[i] = i * 0x9e3779b9;
  }

  /** Per-thread scratch of the mask loop: the values' bits, and a native buffer to reinterpret them. */
  private static final ThreadLocal<MaskScratch> MASK_SCRATCH = ThreadLocal.withInitial(MaskScratch::new);

  private static final class MaskScratch {
    final int[] bits = new int[MASK_CHUNK];
    final ByteBuffer buffer = ByteBuffer.allocateDirect(MASK_CHUNK * Integer.BYTES).order(ByteOrder.nativeOrder());
    final IntBuffer ints = buffer.asIntBuffer();
    final FloatBuffer floats = buffer.asFloatBuffer();
  }

  /**
   * Fills {@code out} with an inverted-dropout mask. One 64-bit draw from this thread's generator
   * seeds the whole mask; value {@code i} is then a hash of {@code i} and that seed (two rounds of
   * a 32-bit avalanche mix), kept when its top 24 bits, as a fraction, are below {@code keep}.
   *
   * <p>Written for the JIT's vectoriser, because a mask is drawn for every activation of every
   * training step: integer operations only (JDK 17 vectorises neither int→float conversions nor
   * float selects), no branches, no loop-carried state, a loaded position code instead of a
   * computed one. The kept value's bits ({@code 1/keep}) are masked in as integers and the chunk is
   * reinterpreted as floats through a native buffer: ≈ 0.8 ns per value, where a generator call
   * per value pair took 2–3 ns.
   */
  public static void fillDropoutMask(float[] out, double keep) {
    long seed = current().nextLong();
    int s1 = (int) seed;
    int s2 = (int) (seed >>> 32);
    int scaleBits = Float.floatToRawIntBits((float) (1.0 / keep));
    // Kept when the top 24 bits are below keep · 2^24.
    int threshold = (int) Math.min(Math.ceil(keep * (1 << 24)), 1 << 24);
    MaskScratch scratch = MASK_SCRATCH.get();
    int[] bits = scratch.bits;
    int[] codes = POSITIONS;
    for (int from = 0; from < out.length; from += MASK_CHUNK) {
      int len = Math.min(MASK_CHUNK, out.length - from);
      // Each chunk its own stream: the chunk index goes into the second seed.
      int s2c = s2 + from * 0x85ebca6b;
      for (int i = 0; i < len; i++) {
        int z = mix(mix(codes[i] ^ s1) + s2c);
        bits[i] = scaleBits & (((z >>> 8) - threshold) >> 31);
      }
      scratch.ints.clear();
      scratch.ints.put(bits, 0, len);
      scratch.floats.clear();
      scratch.floats.get(out, from, len);
    }
  }

  /** A 32-bit avalanche mix (Wellons's "lowbias32"). */
  private static int mix(int z) {
    z = (z ^ (z >>> 16)) * 0x7feb352d;
    z = (z ^ (z >>> 15)) * 0x846ca68b;
    return z ^ (z >>> 16);
  }


  /**
   * A uniformly random permutation of 0..n-1 (Fisher–Yates) drawn from {@code random}: this
   * thread's {@link #current()} generator, or a {@code java.util.Random} where a seeded sequence
   * must stay as it always was (data shuffles and splits).
   */
  public static int[] permutation(int n, RandomGenerator random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
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

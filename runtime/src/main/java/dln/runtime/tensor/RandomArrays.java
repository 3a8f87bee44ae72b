package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The draws of NumPy's {@code np.random} functions and {@code Generator} methods from a given
 * generator: np.random.* passes this thread's {@link dln.runtime.Rng} stream, a
 * {@code default_rng(seed)} object its own. The streams are DLN's (SplittableRandom), not
 * NumPy's Mersenne Twister / PCG64: the same seed repeats, but gives other numbers than NumPy.
 */
public final class RandomArrays {
  private RandomArrays() {}

  /** Uniform values in [lo, hi) (float32, as DLN's working precision). */
  public static INDArray uniform(SplittableRandom r, long[] shape, double lo, double hi) {
    double[] v = new double[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
    return ArrayOps.fromDoubles(v, shape, DataType.FLOAT);
  }

  /** Normal values with mean {@code loc} and standard deviation {@code scale} (float32). */
  public static INDArray normal(SplittableRandom r, long[] shape, double loc, double scale) {
    if (scale < 0) throw DlnRuntimeException.value("normal(): scale must be non-negative, got " + scale);
    double[] v = new double[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = loc + scale * r.nextGaussian();
    return ArrayOps.fromDoubles(v, shape, DataType.FLOAT);
  }

  /** Integers in [lo, hi) (int64), as NumPy's randint and Generator.integers. */
  public static INDArray integers(SplittableRandom r, long[] shape, long lo, long hi) {
    if (hi <= lo) throw DlnRuntimeException.value("high <= low: cannot draw integers from [" + lo + ", " + hi + ")");
    long[] v = new long[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = r.nextLong(lo, hi);
    return ArrayOps.fromLongs(v, shape, DataType.LONG);
  }

  /** A random ordering of 0 … n-1 (Fisher–Yates). */
  public static long[] permutation(SplittableRandom r, long n) {
    long[] p = new long[Math.toIntExact(n)];
    for (int i = 0; i < p.length; i++) p[i] = i;
    for (int i = p.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** x with the sub-tensors along axis 0 in a random order (a copy). */
  public static INDArray permuted(SplittableRandom r, INDArray x) {
    if (x.rank() == 0) throw DlnRuntimeException.value("x must be an integer or at least 1-dimensional");
    return rows(x, permutation(r, x.size(0)));
  }

  /** np.random.shuffle: reorders x's sub-tensors along axis 0 in place. */
  public static void shuffle(SplittableRandom r, INDArray x) {
    if (x.rank() == 0) throw DlnRuntimeException.value("shuffle() needs a tensor with at least one dimension");
    x.assign(permuted(r, x));
  }

  /**
   * np.random.choice over n items: positions 0 … n-1, drawn with probabilities p (null: uniform),
   * with or without replacement.
   */
  public static long[] choice(SplittableRandom r, long n, int count, boolean replace, double[] p) {
    if (n <= 0) throw DlnRuntimeException.value("choice(): a must be a non-empty sequence or a positive int");
    if (p != null) {
      if (p.length != n) throw DlnRuntimeException.value("choice(): a and p must have the same size (" + n + " and " + p.length + ")");
      double sum = 0;
      for (double q : p) {
        if (!(q >= 0)) throw DlnRuntimeException.value("choice(): probabilities are not non-negative");
        sum += q;
      }
      // 1e-6, not NumPy's 1.5e-8: p usually arrives as a float32 tensor
      if (Math.abs(sum - 1) > 1e-6) throw DlnRuntimeException.value("choice(): probabilities do not sum to 1 (they sum to " + sum + ")");
    }
    if (!replace && count > n) {
      throw DlnRuntimeException.value("choice(): cannot take a larger sample than population when replace=False ("
          + count + " from " + n + ")");
    }
    long[] out = new long[count];
    if (p == null) {
      if (replace) {
        for (int i = 0; i < count; i++) out[i] = r.nextLong(n);
      } else {
        System.arraycopy(permutation(r, n), 0, out, 0, count);
      }
      return out;
    }
    double[] w = p.clone();
    for (int i = 0; i < count; i++) {
      double total = 0;
      for (double q : w) total += q;
      if (!replace && total <= 0) throw DlnRuntimeException.value("choice(): fewer non-zero entries in p than size");
      double u = r.nextDouble() * total;
      int k = 0;
      double acc = w[0];
      while (acc <= u && k < w.length - 1) acc += w[++k];
      while (w[k] == 0 && k > 0) k--; // the last step may land on a zero weight through rounding
      out[i] = k;
      if (!replace) w[k] = 0;
    }
    return out;
  }

  /** The sub-tensors of x along axis 0 at the given positions. */
  public static INDArray rows(INDArray x, long[] positions) {
    long[] shape = x.shape().clone();
    shape[0] = positions.length;
    long row = x.size(0) == 0 ? 0 : x.length() / x.size(0);
    long[] pos = new long[Math.toIntExact(positions.length * row)];
    for (int i = 0; i < positions.length; i++) {
      for (long j = 0; j < row; j++) pos[(int) (i * row + j)] = positions[i] * row + j;
    }
    return ArrayOps.take(x, pos, shape, 0);
  }

  private static int count(long[] shape) {
    for (long d : shape) if (d < 0) throw DlnRuntimeException.value("negative dimensions are not allowed: " + Shapes.str(shape));
    return Math.toIntExact(Shapes.size(shape));
  }
}

package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everyday data preparation: one-hot labels, scaling (min-max and z-score), shuffling and a
 * train/test split. Results are new float32 tensors; inputs are never modified.
 */
public final class Preprocess {
  private Preprocess() {}

  /**
   * Class indices [n] (or [n, 1]) to one-hot rows [n, classes]. {@code classes <= 0} infers
   * the count as the largest label + 1.
   */
  public static INDArray oneHot(INDArray labels, int classes) {
    if (!(labels.rank() == 1 || labels.rank() == 2 && labels.size(1) == 1 || labels.rank() == 0)) {
      throw DlnRuntimeException.shape("one_hot() needs class indices of shape [n] or [n, 1], got " + Arrays.toString(labels.shape()),
          labels.rank() == 2 ? "these look one-hot encoded already; argmax(y, 1) turns them back into indices" : null);
    }
    double[] v = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    int n = v.length;
    int k = classes;
    if (k <= 0) {
      if (n == 0) throw DlnRuntimeException.value("one_hot() cannot infer the number of classes from no labels", "pass classes=");
      double max = 0;
      for (double d : v) if (d > max) max = d;
      k = max < Integer.MAX_VALUE ? (int) max + 1 : Integer.MAX_VALUE;
    }
    for (int i = 0; i < n; i++) {
      if (v[i] != Math.rint(v[i])) {
        throw DlnRuntimeException.value("one_hot(): label " + fmt(v[i]) + " at index " + i + " is not a whole number", "labels are class indices 0, 1, 2, ...");
      }
      if (v[i] < 0 || v[i] >= k) {
        throw DlnRuntimeException.value("one_hot(): label " + fmt(v[i]) + " at index " + i + " is out of range for " + k + " classes (0.." + (k - 1) + ")",
            classes > 0 ? "pass classes=" + (long) Math.max(k, v[i] + 1) + " or more if that label is right" : null);
      }
    }
    if ((long) n * k > Integer.MAX_VALUE - 16) {
      throw DlnRuntimeException.value("one_hot(): " + n + " labels x " + k + " classes is too large a tensor", null);
    }
    float[] out = new float[n * k];
    for (int i = 0; i < n; i++) out[i * k + (int) v[i]] = 1f;
    return Nd4j.create(out, new long[] {n, k}, 'c');
  }

  /**
   * Min-max scaling to [0, 1] along {@code axis} (null: over all values; 0: each column/feature
   * separately, as scikit-learn's MinMaxScaler). A constant slice becomes 0.
   */
  public static INDArray normalize(INDArray x, Integer axis) {
    return scale(x, axis, true);
  }

  /**
   * Standardisation to mean 0 and standard deviation 1 along {@code axis} (null: over all values;
   * 0: each feature separately, as scikit-learn's StandardScaler). A constant slice becomes 0.
   */
  public static INDArray standardize(INDArray x, Integer axis) {
    return scale(x, axis, false);
  }

  private static INDArray scale(INDArray x, Integer axis, boolean minMax) {
    String fn = minMax ? "normalize" : "standardize";
    long[] shape = x.shape();
    if (x.length() == 0) return x.castTo(DataType.FLOAT).dup();
    // View x as [outer, along, inner]: statistics run over the middle axis for each (outer, inner).
    long outer = 1;
    long along;
    long inner = 1;
    if (axis == null) {
      along = x.length();
    } else {
      int a = axis < 0 ? axis + x.rank() : axis;
      if (a < 0 || a >= x.rank()) {
        throw DlnRuntimeException.value(fn + "(): axis " + axis + " does not exist for a tensor of shape " + Arrays.toString(shape)
            + " (rank " + x.rank() + ")", "use axis=0 for one scale per feature, or axis=none for one scale over all values");
      }
      along = shape[a];
      for (int i = 0; i < a; i++) outer *= shape[i];
      for (int i = a + 1; i < shape.length; i++) inner *= shape[i];
    }
    float[] v = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
    for (long o = 0; o < outer; o++) {
      for (long in = 0; in < inner; in++) {
        long base = o * along * inner + in;
        double a = 0;
        double b = 0;
        if (minMax) {
          double lo = Double.POSITIVE_INFINITY;
          double hi = Double.NEGATIVE_INFINITY;
          for (long k = 0; k < along; k++) {
            double e = v[(int) (base + k * inner)];
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
          }
          a = lo;
          b = hi > lo ? hi - lo : 1;
        } else {
          double sum = 0;
          for (long k = 0; k < along; k++) sum += v[(int) (base + k * inner)];
          double mean = sum / along;
          double sq = 0;
          for (long k = 0; k < along; k++) {
            double d = v[(int) (base + k * inner)] - mean;
            sq += d * d;
          }
          double std = Math.sqrt(sq / along);
          a = mean;
          b = std > 0 ? std : 1;
        }
        for (long k = 0; k < along; k++) {
          int idx = (int) (base + k * inner);
          v[idx] = (float) ((v[idx] - a) / b);
        }
      }
    }
    return Nd4j.create(v, shape, 'c');
  }

  /** Shuffles the samples (first axis) of x and y with one permutation; {@code y} may be null. */
  public static XY shuffle(INDArray x, INDArray y, Long seed) {
    checkPair("shuffle", x, y);
    int[] perm = permutation((int) x.size(0), seed);
    return new XY(take(x, perm, 0, perm.length), y == null ? null : take(y, perm, 0, perm.length));
  }

  /**
   * Shuffles and splits into ((x_train, y_train), (x_test, y_test)). {@code test} below 1 is the
   * fraction of samples for the test split (rounded), 1 or more a number of samples.
   */
  public static TrainTest trainTestSplit(INDArray x, INDArray y, double test, Long seed) {
    checkPair("train_test_split", x, y);
    int n = (int) x.size(0);
    long nTest;
    if (test > 0 && test < 1) {
      nTest = Math.round(n * test);
    } else if (test >= 1 && test == Math.rint(test)) {
      nTest = (long) test;
    } else {
      throw DlnRuntimeException.value("train_test_split(): test=" + fmt(test) + " must be a fraction between 0 and 1 (e.g. 0.2) or a number of samples",
          null);
    }
    if (nTest < 1 || nTest > n - 1) {
      throw DlnRuntimeException.value("train_test_split(): test=" + fmt(test) + " of " + n + " samples leaves " + (n - nTest)
          + " for training and " + nTest + " for testing; both need at least one", null);
    }
    int[] perm = permutation(n, seed);
    int nTrain = n - (int) nTest;
    XY train = new XY(take(x, perm, 0, nTrain), y == null ? null : take(y, perm, 0, nTrain));
    XY testXY = new XY(take(x, perm, nTrain, n), y == null ? null : take(y, perm, nTrain, n));
    return new TrainTest(train, testXY);
  }

  private static void checkPair(String fn, INDArray x, INDArray y) {
    if (x.rank() == 0) throw DlnRuntimeException.shape(fn + "() needs samples along the first axis, got a scalar", null);
    if (y != null && (y.rank() == 0 || y.size(0) != x.size(0))) {
      throw DlnRuntimeException.shape(fn + "(): x has " + x.size(0) + " samples (shape " + Arrays.toString(x.shape()) + ") but y has "
          + (y.rank() == 0 ? "none (a scalar)" : y.size(0) + " (shape " + Arrays.toString(y.shape()) + ")"),
          "x and y need one row per sample, in the same order");
    }
  }

  /** A uniformly random permutation of 0..n-1; a null seed draws a fresh one. */
  static int[] permutation(int n, Long seed) {
    return dln.runtime.Rng.permutation(n, new Random(seed == null ? dln.runtime.Rng.nextSeed() : seed));
  }

  /** Rows perm[from..to) of x along its first axis, any rank and data type, copied as raw bytes. */
  static INDArray take(INDArray x, int[] perm, int from, int to) {
    INDArray src = x.isView() || x.ordering() != 'c' || x.data().length() != x.length() ? x.dup('c') : x;
    long[] shape = src.shape().clone();
    shape[0] = to - from;
    INDArray out = Nd4j.createUninitialized(src.dataType(), shape, 'c');
    if (out.length() == 0) return out;
    int rowBytes = Math.toIntExact(src.length() / src.size(0) * src.dataType().width());
    ByteBuffer in = src.data().asNio();
    ByteBuffer dst = out.data().asNio();
    for (int i = from; i < to; i++) dst.put(Math.multiplyExact(i - from, rowBytes), in, Math.multiplyExact(perm[i], rowBytes), rowBytes);
    return out;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}

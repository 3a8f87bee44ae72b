package dln.runtime.nn;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight initialisers with Keras's names and formulas. Fans follow Keras: for a kernel of shape
 * (..., in, out) the receptive field is the product of the leading dimensions.
 * Random numbers come from {@link dln.runtime.Rng} (per thread, reproducible once seeded).
 */
public final class Initializers {
  /** Every accepted name. */
  public static final List<String> NAMES = List.of(
      "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
      "zeros", "ones", "random_normal", "random_uniform", "orthogonal");

  // Keras draws "normal" initialisers from a normal truncated at two standard deviations; this
  // constant (the std of a standard normal truncated to [-2, 2]) restores the intended variance.
  private static final double TRUNCATED_STD = 0.87962566103423978;

  private Initializers() {}

  /** Throws a helpful error for an unknown name; returns the canonical name. */
  public static String check(String name) {
    String n = name == null ? "glorot_uniform" : name.toLowerCase(java.util.Locale.ROOT);
    if (n.equals("xavier")) n = "glorot_uniform";
    if (n.equals("zero")) n = "zeros";
    if (n.equals("one")) n = "ones";
    if (!NAMES.contains(n)) {
      throw DlnRuntimeException.value("unknown initializer '" + name + "'", Names.hint(name, NAMES));
    }
    return n;
  }

  /** A new float32 array of the given shape initialised by the named scheme. */
  public static INDArray create(String name, long... shape) {
    String n = check(name);
    long fanIn;
    long fanOut;
    if (shape.length == 0) {
      fanIn = fanOut = 1;
    } else if (shape.length == 1) {
      fanIn = fanOut = shape[0];
    } else {
      long receptive = 1;
      for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
      fanIn = shape[shape.length - 2] * receptive;
      fanOut = shape[shape.length - 1] * receptive;
    }
    return switch (n) {
      case "zeros" -> Nd4j.zeros(DataType.FLOAT, shape);
      case "ones" -> Nd4j.ones(DataType.FLOAT, shape);
      case "glorot_uniform" -> uniform(Math.sqrt(6.0 / (fanIn + fanOut)), shape);
      case "he_uniform" -> uniform(Math.sqrt(6.0 / fanIn), shape);
      case "lecun_uniform" -> uniform(Math.sqrt(3.0 / fanIn), shape);
      case "glorot_normal" -> truncatedNormal(Math.sqrt(2.0 / (fanIn + fanOut)) / TRUNCATED_STD, shape);
      case "he_normal" -> truncatedNormal(Math.sqrt(2.0 / fanIn) / TRUNCATED_STD, shape);
      case "lecun_normal" -> truncatedNormal(Math.sqrt(1.0 / fanIn) / TRUNCATED_STD, shape);
      case "random_normal" -> Rng.normal(shape, 0, 0.05);
      case "random_uniform" -> uniform(0.05, shape);
      case "orthogonal" -> orthogonal(shape);
      default -> throw new IllegalStateException(n);
    };
  }

  private static INDArray uniform(double limit, long... shape) {
    return Rng.uniform(shape, -limit, limit);
  }

  private static INDArray truncatedNormal(double std, long... shape) {
    return Rng.truncatedNormal(shape, 0, std);
  }

  /** Keras's orthogonal initialiser: rows (or columns) of a random orthonormal matrix. */
  private static INDArray orthogonal(long... shape) {
    int cols = (int) shape[shape.length - 1];
    int rows = (int) (Shapes.size(shape) / cols);
    // Gram-Schmidt on the longer side gives orthonormal vectors along the shorter side.
    boolean transpose = rows < cols;
    int n = transpose ? cols : rows;
    int k = transpose ? rows : cols;
    double[][] q = new double[k][n];
    java.util.SplittableRandom random = Rng.current();
    double[] g = new double[k * n];
    for (int i = 0; i < g.length; i++) g[i] = random.nextGaussian();
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < n; i++) q[j][i] = g[j * n + i];
      for (int p = 0; p < j; p++) {
        double dot = 0;
        for (int i = 0; i < n; i++) dot += q[j][i] * q[p][i];
        for (int i = 0; i < n; i++) q[j][i] -= dot * q[p][i];
      }
      double norm = 0;
      for (int i = 0; i < n; i++) norm += q[j][i] * q[j][i];
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) q[j][i] /= norm;
    }
    double[] out = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) out[r * cols + c] = transpose ? q[r][c] : q[c][r];
    }
    return Nd4j.create(out, shape, 'c').castTo(DataType.FLOAT);
  }
}

package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engineered input features of the TensorFlow Playground, computed from points (x1, x2):
 * {@code x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)}.
 */
public final class Features {
  private static final Map<String, DoubleBinaryOperator> FEATURES = new LinkedHashMap<>();

  static {
    FEATURES.put("x1", (a, b) -> a);
    FEATURES.put("x2", (a, b) -> b);
    FEATURES.put("x1^2", (a, b) -> a * a);
    FEATURES.put("x2^2", (a, b) -> b * b);
    FEATURES.put("x1*x2", (a, b) -> a * b);
    FEATURES.put("sin(x1)", (a, b) -> Math.sin(a));
    FEATURES.put("sin(x2)", (a, b) -> Math.sin(b));
  }

  private Features() {}

  /** The valid feature names, in the Playground's order. */
  public static List<String> names() {
    return List.copyOf(FEATURES.keySet());
  }

  /**
   * Builds [n, names.size()] from points x [n, 2], one column per name in the order given.
   * Spaces are ignored and {@code **} is read as {@code ^}, so {@code 'x1 ** 2'} is {@code x1^2}.
   */
  public static INDArray build(INDArray x, List<String> names) {
    if (x.rank() != 2 || x.size(1) != 2) {
      throw DlnRuntimeException.shape("features() needs points of shape [n, 2] (columns x1, x2), got "
          + java.util.Arrays.toString(x.shape()), "pass the x of circle(), xor(), gauss() or spiral()");
    }
    if (names.isEmpty()) {
      throw DlnRuntimeException.value("features() needs at least one feature name", "valid names: " + String.join(", ", names()));
    }
    DoubleBinaryOperator[] fs = new DoubleBinaryOperator[names.size()];
    for (int j = 0; j < fs.length; j++) {
      String key = names.get(j).replace(" ", "").replace("**", "^").toLowerCase(java.util.Locale.ROOT);
      fs[j] = FEATURES.get(key);
      if (fs[j] == null) {
        throw DlnRuntimeException.value("unknown feature '" + names.get(j) + "'", "valid names: " + String.join(", ", names()));
      }
    }
    int n = (int) x.size(0);
    double[] pts = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    float[] out = new float[n * fs.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < fs.length; j++) out[i * fs.length + j] = (float) fs[j].applyAsDouble(pts[2 * i], pts[2 * i + 1]);
    }
    return Nd4j.create(out, new long[] {n, fs.length}, 'c');
  }
}

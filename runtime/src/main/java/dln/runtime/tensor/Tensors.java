package dln.runtime.tensor;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Placeholder while the eager tensor library is written on its branch (replaced on merge). */
public final class Tensors {
  private Tensors() {}

  public static INDArray fromNested(Object nested, DataType dtype) {
    if (nested instanceof Number n) return Nd4j.scalar(n.floatValue());
    List<?> l = (List<?>) nested;
    float[] v = new float[l.size()];
    for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).floatValue();
    return Nd4j.createFromArray(v);
  }

  public static String format(INDArray t) {
    return t.toString();
  }

  public static String formatInline(INDArray t) {
    return t.toString();
  }

  public static String shapeString(long[] shape) {
    return java.util.Arrays.toString(shape);
  }

  public static INDArray binary(String op, Object a, Object b) {
    INDArray x = a instanceof INDArray t ? t : Nd4j.scalar(((Number) a).floatValue());
    INDArray y = b instanceof INDArray t ? t : Nd4j.scalar(((Number) b).floatValue());
    return switch (op) {
      case "+" -> x.add(y);
      case "-" -> x.sub(y);
      case "*" -> x.mul(y);
      case "/" -> x.div(y);
      default -> x.mmul(y);
    };
  }

  public static INDArray unary(String fn, INDArray x) {
    return switch (fn) {
      case "neg" -> x.neg();
      case "relu" -> Transforms.relu(x, true);
      default -> Transforms.abs(x, true);
    };
  }

  public static INDArray reduce(String op, INDArray x, int[] axes, boolean keepdims) {
    return x.sum(keepdims, axes == null ? new int[0] : axes);
  }

  public static INDArray get(INDArray x, List<Object> index) {
    return x.getRow((Long) index.get(0));
  }

  public static void put(INDArray x, List<Object> index, Object value) {
    x.putRow((Long) index.get(0), (INDArray) value);
  }
}

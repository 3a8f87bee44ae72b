package dln.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small helpers shared by the tensor tests. */
final class T {
  private T() {}

  /** A float32 tensor from nested Java lists / numbers, as DLN's tensor(...) makes it. */
  static INDArray t(Object nested) {
    return Tensors.fromNested(nested, null);
  }

  /** A float32 tensor of the given shape holding 0, 1, 2, ... */
  static INDArray seq(long... shape) {
    return Tensors.reshape(Tensors.arange(0, Tensors.zeros(shape).length(), 1), shape);
  }

  static List<Object> ix(Object... parts) {
    List<Object> out = new ArrayList<>();
    for (Object p : parts) out.add(p instanceof Integer i ? Long.valueOf(i) : p);
    return out;
  }

  static Slice s(Integer start, Integer stop) {
    return new Slice(start == null ? null : start.longValue(), stop == null ? null : stop.longValue(), null);
  }

  static Slice s(Integer start, Integer stop, Integer step) {
    return new Slice(start == null ? null : start.longValue(), stop == null ? null : stop.longValue(),
        step == null ? null : step.longValue());
  }

  /** Asserts shape and values (row-major) of a tensor. */
  static void same(INDArray x, long[] shape, double... values) {
    assertArrayEquals(shape, x.shape(), "shape " + Arrays.toString(x.shape()));
    double[] got = x.length() == 0 ? new double[0]
        : x.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {x.length()}).toDoubleVector();
    assertArrayEquals(values, got, 1e-5, "values of " + Tensors.format(x));
  }

  static long[] shape(long... dims) {
    return dims;
  }

  static void dtype(String name, INDArray x) {
    assertEquals(name, Tensors.dtypeName(x.dataType()));
  }
}

package dln.runtime.tensor;

import static dln.runtime.tensor.T.dtype;
import static dln.runtime.tensor.T.same;
import static dln.runtime.tensor.T.shape;
import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReductionsTest {
  // [[1, 5, 3], [4, 2, 6]]
  private final INDArray x = t(List.of(List.of(1, 5, 3), List.of(4, 2, 6)));

  @Test
  void wholeTensor() {
    same(Tensors.reduce("sum", x, null, false), shape(), 21);
    same(Tensors.reduce("mean", x, null, false), shape(), 3.5);
    same(Tensors.reduce("max", x, null, false), shape(), 6);
    same(Tensors.reduce("min", x, null, false), shape(), 1);
    same(Tensors.reduce("prod", x, null, false), shape(), 720);
    // population variance: mean of squared deviations = (6.25+2.25+0.25+0.25+2.25+6.25)/6
    same(Tensors.reduce("var", x, null, false), shape(), 17.5 / 6);
    same(Tensors.reduce("std", x, null, false), shape(), Math.sqrt(17.5 / 6));
    same(Tensors.reduce("argmax", x, null, false), shape(), 5);
    same(Tensors.reduce("argmin", x, null, false), shape(), 0);
  }

  @Test
  void alongAxes() {
    same(Tensors.reduce("sum", x, new int[] {0}, false), shape(3), 5, 7, 9);
    same(Tensors.reduce("sum", x, new int[] {1}, false), shape(2), 9, 12);
    same(Tensors.reduce("mean", x, new int[] {-1}, false), shape(2), 3, 4);
    same(Tensors.reduce("max", x, new int[] {0}, false), shape(3), 4, 5, 6);
    same(Tensors.reduce("min", x, new int[] {1}, false), shape(2), 1, 2);
    same(Tensors.reduce("argmax", x, new int[] {1}, false), shape(2), 1, 2);
    same(Tensors.reduce("argmin", x, new int[] {0}, false), shape(3), 0, 1, 0);
    same(Tensors.reduce("std", x, new int[] {0}, false), shape(3), 1.5, 1.5, 1.5);
    same(Tensors.reduce("var", x, new int[] {1}, false), shape(2), 8.0 / 3, 8.0 / 3);
    same(Tensors.reduce("prod", x, new int[] {1}, false), shape(2), 15, 48);
    same(Tensors.reduce("sum", x, new int[] {0, 1}, false), shape(), 21);
  }

  @Test
  void keepdims() {
    same(Tensors.reduce("sum", x, new int[] {1}, true), shape(2, 1), 9, 12);
    same(Tensors.reduce("mean", x, new int[] {0}, true), shape(1, 3), 2.5, 3.5, 4.5);
    same(Tensors.reduce("max", x, null, true), shape(1, 1), 6);
    same(Tensors.reduce("argmax", x, new int[] {0}, true), shape(1, 3), 1, 0, 1);
  }

  @Test
  void resultTypes() {
    dtype("int64", Tensors.reduce("argmax", x, new int[] {0}, false));
    dtype("float32", Tensors.reduce("sum", x, null, false));
    INDArray mask = Tensors.binary(">", x, 2L);
    INDArray count = Tensors.reduce("sum", mask, null, false);
    dtype("int64", count);
    same(count, shape(), 4);
    INDArray ints = Tensors.fromNested(List.of(1, 2), DataType.INT);
    dtype("float32", Tensors.reduce("mean", ints, null, false));
    same(Tensors.reduce("mean", ints, null, false), shape(), 1.5);
    dtype("int32", Tensors.reduce("sum", ints, null, false));
  }

  @Test
  void rank3() {
    INDArray r = T.seq(2, 3, 4);
    same(Tensors.reduce("sum", r, new int[] {0, 2}, false), shape(3), 60, 92, 124);
    same(Tensors.reduce("sum", r, new int[] {2, 0}, true), shape(1, 3, 1), 60, 92, 124);
  }

  @Test
  void emptyTensors() {
    same(Tensors.reduce("sum", Tensors.zeros(0), null, false), shape(), 0);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.reduce("max", Tensors.zeros(0, 3), new int[] {0}, false));
    assertEquals("cannot take the max of an empty tensor (shape (0, 3))", e.getMessage());
    same(Tensors.reduce("max", Tensors.zeros(0, 3), new int[] {1}, false), shape(0));
  }

  @Test
  void axisOutOfRange() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.reduce("sum", x, new int[] {2}, false));
    assertEquals("axis 2 is out of range for a tensor with 2 dimensions", e.getMessage());
    assertEquals("valid axes are 0 to 1, or -2 to -1", e.hint());
    DlnRuntimeException neg = assertThrows(DlnRuntimeException.class,
        () -> Tensors.reduce("mean", x, new int[] {-3}, false));
    assertEquals("axis -3 is out of range for a tensor with 2 dimensions", neg.getMessage());
    DlnRuntimeException twice = assertThrows(DlnRuntimeException.class,
        () -> Tensors.reduce("sum", x, new int[] {1, -1}, false));
    assertEquals("axis -1 is given twice", twice.getMessage());
    DlnRuntimeException arg = assertThrows(DlnRuntimeException.class,
        () -> Tensors.reduce("argmax", x, new int[] {0, 1}, false));
    assertEquals("argmax takes a single axis, got 2", arg.getMessage());
  }

  @Test
  void scalarInput() {
    INDArray s = Tensors.fromNested(3.0, null);
    same(Tensors.reduce("sum", s, null, false), shape(), 3);
    same(Tensors.reduce("std", s, null, false), shape(), 0);
    same(Tensors.reduce("argmax", s, null, false), shape(), 0);
  }
}

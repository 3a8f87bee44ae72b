package dln.runtime.tensor;

import static dln.runtime.tensor.T.ix;
import static dln.runtime.tensor.T.s;
import static dln.runtime.tensor.T.same;
import static dln.runtime.tensor.T.seq;
import static dln.runtime.tensor.T.shape;
import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IndexingTest {
  // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
  private final INDArray x = seq(3, 4);

  @Test
  void integerIndexDropsTheAxis() {
    same(Tensors.get(x, ix(1)), shape(4), 4, 5, 6, 7);
    same(Tensors.get(x, ix(-1)), shape(4), 8, 9, 10, 11);
    same(Tensors.get(x, ix(2, 3)), shape(), 11);
    same(Tensors.get(x, ix(Slice.ALL, 1)), shape(3), 1, 5, 9);
    same(Tensors.get(x, ix(-1, -2)), shape(), 10);
  }

  @Test
  void slicesFollowPython() {
    same(Tensors.get(x, ix(s(1, null))), shape(2, 4), 4, 5, 6, 7, 8, 9, 10, 11);
    same(Tensors.get(x, ix(Slice.ALL, s(1, 3))), shape(3, 2), 1, 2, 5, 6, 9, 10);
    same(Tensors.get(x, ix(0, s(null, null, 2))), shape(2), 0, 2);
    same(Tensors.get(x, ix(0, s(-3, -1))), shape(2), 1, 2);
    same(Tensors.get(x, ix(0, s(1, 100))), shape(3), 1, 2, 3);
    same(Tensors.get(x, ix(0, s(-100, 2))), shape(2), 0, 1);
    same(Tensors.get(x, ix(s(2, 1))), shape(0, 4));
    same(Tensors.get(x, ix(1, s(1, null, 2))), shape(2), 5, 7);
  }

  @Test
  void negativeSteps() {
    same(Tensors.get(x, ix(0, s(null, null, -1))), shape(4), 3, 2, 1, 0);
    same(Tensors.get(x, ix(s(null, null, -1), 0)), shape(3), 8, 4, 0);
    same(Tensors.get(x, ix(1, s(3, 0, -2))), shape(2), 7, 5);
    same(Tensors.get(x, ix(1, s(-1, null, -3))), shape(2), 7, 4);
    same(Tensors.get(x, ix(s(null, null, -2), s(null, null, -3))), shape(2, 2), 11, 8, 3, 0);
  }

  @Test
  void basicIndexingGivesViews() {
    INDArray y = seq(3, 4);
    INDArray row = Tensors.get(y, ix(1));
    Tensors.put(row, ix(0), 100L);
    assertEquals(100.0, y.getDouble(1, 0), 0);
  }

  @Test
  void boolMask() {
    INDArray m = Tensors.binary(">", x, 8L);
    same(Tensors.get(x, ix(m)), shape(3), 9, 10, 11);
    INDArray rows = Tensors.fromNested(List.of(true, false, true), null);
    same(Tensors.get(x, ix(rows)), shape(2, 4), 0, 1, 2, 3, 8, 9, 10, 11);
    same(Tensors.get(x, ix(rows, 1)), shape(2), 1, 9);
    same(Tensors.get(x, ix(Tensors.binary(">", x, 100L))), shape(0));
  }

  @Test
  void gatherRows() {
    INDArray idx = Tensors.fromNested(List.of(2, 0, -1), DataType.LONG);
    same(Tensors.get(x, ix(idx)), shape(3, 4), 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
    INDArray idx2 = Tensors.fromNested(List.of(List.of(0, 1), List.of(1, 2)), DataType.INT);
    same(Tensors.get(Tensors.get(x, ix(Slice.ALL, 0)), ix(idx2)), shape(2, 2), 0, 4, 4, 8);
    same(Tensors.get(x, ix(idx, s(1, 3))), shape(3, 2), 9, 10, 1, 2, 9, 10);
  }

  @Test
  void putScalarsAndTensors() {
    INDArray y = Tensors.zeros(2, 3);
    Tensors.put(y, ix(0), 1L);
    Tensors.put(y, ix(Slice.ALL, 1), t(List.of(7, 8)));
    Tensors.put(y, ix(1, -1), 2.5);
    same(y, shape(2, 3), 1, 7, 1, 0, 8, 2.5);
    Tensors.put(y, ix(s(null, null, -1), 0), t(List.of(10, 20)));
    same(y, shape(2, 3), 20, 7, 1, 10, 8, 2.5);
    Tensors.put(y, ix(), 0L);
    same(y, shape(2, 3), 0, 0, 0, 0, 0, 0);
  }

  @Test
  void putBroadcastsRows() {
    INDArray y = Tensors.zeros(3, 2);
    Tensors.put(y, ix(s(0, 2)), t(List.of(1, 2)));
    same(y, shape(3, 2), 1, 2, 1, 2, 0, 0);
  }

  @Test
  void putWithMaskAndIndices() {
    INDArray y = seq(2, 3);
    Tensors.put(y, ix(Tensors.binary(">", y, 2L)), 0L);
    same(y, shape(2, 3), 0, 1, 2, 0, 0, 0);
    INDArray z = Tensors.zeros(3, 2);
    Tensors.put(z, ix(Tensors.fromNested(List.of(2, 0), DataType.LONG)), t(List.of(List.of(1, 2), List.of(3, 4))));
    same(z, shape(3, 2), 3, 4, 0, 0, 1, 2);
    INDArray w = Tensors.zeros(3);
    Tensors.put(w, ix(Tensors.fromNested(List.of(true, false, true), null)), t(List.of(5, 6)));
    same(w, shape(3), 5, 0, 6);
  }

  @Test
  void errors() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.get(seq(3), ix(5)));
    assertEquals("index 5 is out of range for axis 0 with size 3", e.getMessage());
    DlnRuntimeException e2 = assertThrows(DlnRuntimeException.class, () -> Tensors.get(x, ix(0, -5)));
    assertEquals("index -5 is out of range for axis 1 with size 4", e2.getMessage());
    DlnRuntimeException e3 = assertThrows(DlnRuntimeException.class, () -> Tensors.get(x, ix(0, 0, 0)));
    assertEquals("too many indices: the tensor has shape (3, 4) (2 dimensions) but 3 were given", e3.getMessage());
    DlnRuntimeException e4 = assertThrows(DlnRuntimeException.class, () -> Tensors.get(x, ix(s(null, null, 0))));
    assertEquals("slice step cannot be zero", e4.getMessage());
    DlnRuntimeException e5 = assertThrows(DlnRuntimeException.class,
        () -> Tensors.get(x, ix(Tensors.fromNested(List.of(true, false), null))));
    assertEquals("boolean index of shape (2,) does not match the tensor of shape (3, 4)", e5.getMessage());
    DlnRuntimeException e6 = assertThrows(DlnRuntimeException.class,
        () -> Tensors.put(Tensors.zeros(2, 3), ix(0), t(List.of(1, 2))));
    assertEquals("cannot assign a value of shape (2,) to x[...] of shape (3,)", e6.getMessage());
    DlnRuntimeException e7 = assertThrows(DlnRuntimeException.class,
        () -> Tensors.get(x, ix(Tensors.fromNested(List.of(3), DataType.LONG))));
    assertEquals("index 3 is out of range for axis 0 with size 3", e7.getMessage());
    DlnRuntimeException e8 = assertThrows(DlnRuntimeException.class, () -> Tensors.get(x, ix(1.5)));
    assertEquals("an index must be an int, a slice or a tensor, got a float", e8.getMessage());
  }
}

package dln.runtime.tensor;

import static dln.runtime.tensor.T.dtype;
import static dln.runtime.tensor.T.same;
import static dln.runtime.tensor.T.seq;
import static dln.runtime.tensor.T.shape;
import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class MatMulTest {
  private final INDArray a = t(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));   // (2, 3)
  private final INDArray b = t(List.of(List.of(7, 8), List.of(9, 10), List.of(11, 12)));  // (3, 2)

  @Test
  void matrixTimesMatrixByHand() {
    // [1 2 3; 4 5 6] @ [7 8; 9 10; 11 12] = [58 64; 139 154]
    same(Tensors.binary("@", a, b), shape(2, 2), 58, 64, 139, 154);
    dtype("float32", Tensors.binary("@", a, b));
  }

  @Test
  void vectorDotVectorIsAScalar() {
    INDArray r = Tensors.binary("@", t(List.of(1, 2, 3)), t(List.of(4, 5, 6)));
    assertEquals(0, r.rank());
    assertEquals(32.0, r.getDouble(0), 0);
  }

  @Test
  void vectorMatrixDropsThePromotedAxis() {
    same(Tensors.binary("@", t(List.of(1, 1)), a), shape(3), 5, 7, 9);
    same(Tensors.binary("@", a, t(List.of(1, 0, -1))), shape(2), -2, -2);
  }

  @Test
  void gemmPathAgreesWithMmulOnTransposedViews() {
    Tensors.seed(7);
    INDArray x = Tensors.randn(5, 4);
    INDArray y = Tensors.randn(5, 3);
    INDArray fast = Tensors.matmul(Tensors.transpose(x), y);
    INDArray reference = x.transpose().mmul(y);
    assertArrayEquals(shape(4, 3), fast.shape());
    assertArrayEquals(reference.dup('c').data().asDouble(), fast.dup('c').data().asDouble(), 1e-5);
  }

  @Test
  void batchedMatmulBroadcastsBatchAxes() {
    INDArray x = seq(2, 2, 3);          // two (2, 3) matrices
    INDArray y = seq(3, 1);             // one (3, 1) matrix for both
    INDArray r = Tensors.binary("@", x, y);
    assertArrayEquals(shape(2, 2, 1), r.shape());
    // [0 1 2; 3 4 5] @ [0;1;2] = [5; 14], [6 7 8; 9 10 11] @ [0;1;2] = [23; 32]
    same(r, shape(2, 2, 1), 5, 14, 23, 32);
    INDArray batched = Tensors.matmul(seq(3, 2, 2), seq(3, 2, 2));
    // third pair: [8 9; 10 11]^2 = [154 171; 190 211]
    assertEquals(211.0, batched.getDouble(2, 1, 1), 0);
  }

  @Test
  void intMatmulStaysInt() {
    INDArray i = Tensors.fromNested(List.of(List.of(1, 2), List.of(3, 4)), DataType.LONG);
    INDArray r = Tensors.matmul(i, i);
    dtype("int64", r);
    same(r, shape(2, 2), 7, 10, 15, 22);
  }

  @Test
  void innerDimensionMismatchNamesBothShapes() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.binary("@", Tensors.zeros(2, 3), Tensors.zeros(4, 5)));
    assertEquals("matmul: (2, 3) @ (4, 5): inner dimensions 3 and 4 differ", e.getMessage());
    assertEquals("shape error", e.kind());
    DlnRuntimeException v = assertThrows(DlnRuntimeException.class,
        () -> Tensors.binary("@", Tensors.zeros(3), Tensors.zeros(4)));
    assertEquals("matmul: (3,) @ (4,): inner dimensions 3 and 4 differ", v.getMessage());
  }

  @Test
  void scalarsAreRejected() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.binary("@", Tensors.zeros(2, 2), 2.0));
    assertEquals("matmul: (2, 2) @ (): matmul needs tensors with at least 1 dimension", e.getMessage());
  }

  @Test
  void batchMismatch() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.matmul(Tensors.zeros(2, 3, 4), Tensors.zeros(5, 4, 6)));
    assertEquals("matmul: (2, 3, 4) @ (5, 4, 6): batch dimensions (2,) and (5,) cannot be broadcast", e.getMessage());
  }

  @Test
  void emptyInnerDimensionGivesZeros() {
    same(Tensors.matmul(Tensors.zeros(2, 0), Tensors.zeros(0, 2)), shape(2, 2), 0, 0, 0, 0);
  }
}

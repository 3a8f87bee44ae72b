package dln.runtime.tensor;

import dln.runtime.Shapes;
import static dln.runtime.tensor.T.dtype;
import static dln.runtime.tensor.T.same;
import static dln.runtime.tensor.T.seq;
import static dln.runtime.tensor.T.shape;
import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class BroadcastTest {
  private static long[] parse(String s) {
    if (s.equals("()")) return new long[0];
    String[] parts = s.replace("(", "").replace(")", "").split("x");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) out[i] = Long.parseLong(parts[i].trim());
    return out;
  }

  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource({
      "2x3, 3, 2x3",
      "2x3, 1x3, 2x3",
      "2x3, 2x1, 2x3",
      "4x1x3, 2x3, 4x2x3",
      "1, 5, 5",
      "(), 2x2, 2x2",
      "8x1x6x1, 7x1x5, 8x7x6x5",
      "3x1, 1x4, 3x4",
      "0x3, 3, 0x3",
      "1x0, 5x1, 5x0",
  })
  void broadcastTable(String a, String b, String expected) {
    assertArrayEquals(parse(expected), Shapes.broadcast(parse(a), parse(b)));
    assertArrayEquals(parse(expected), Shapes.broadcast(parse(b), parse(a)));
  }

  @ParameterizedTest(name = "{0} with {1} fails")
  @CsvSource({"2x3, 4", "2x3, 3x2", "4x2x3, 3x3", "2, 3", "0, 2"})
  void incompatibleShapes(String a, String b) {
    assertNull(Shapes.tryBroadcast(parse(a), parse(b)));
  }

  @Test
  void errorNamesBothShapes() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.binary("+", Tensors.zeros(2, 3), Tensors.zeros(4)));
    assertEquals("cannot broadcast shapes (2, 3) and (4,)", e.getMessage());
    assertEquals("shape error", e.kind());
  }

  @Test
  void rowAndColumnBroadcast() {
    INDArray x = t(List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
    same(Tensors.binary("+", x, t(List.of(10, 20, 30))), shape(2, 3), 11, 22, 33, 14, 25, 36);
    same(Tensors.binary("*", x, t(List.of(List.of(2), List.of(-1)))), shape(2, 3), 2, 4, 6, -4, -5, -6);
    same(Tensors.binary("-", t(List.of(List.of(1), List.of(2))), t(List.of(10, 20))), shape(2, 2), -9, -19, -8, -18);
  }

  @Test
  void rank3Broadcast() {
    INDArray r = Tensors.binary("+", seq(4, 1, 3), seq(2, 3));
    assertArrayEquals(shape(4, 2, 3), r.shape());
    // r[3, 1, 2] = (3*3 + 2) + (1*3 + 2)
    assertEquals(16.0, r.getDouble(3, 1, 2), 0);
  }

  @Test
  void numbersOnEitherSide() {
    INDArray x = t(List.of(1, 2, 4));
    same(Tensors.binary("-", 10L, x), shape(3), 9, 8, 6);
    same(Tensors.binary("/", x, 2L), shape(3), 0.5, 1, 2);
    same(Tensors.binary("/", 1.0, x), shape(3), 1, 0.5, 0.25);
    same(Tensors.binary("**", x, 2L), shape(3), 1, 4, 16);
    same(Tensors.binary("**", 2.0, x), shape(3), 2, 4, 16);
    same(Tensors.binary("+", x, true), shape(3), 2, 3, 5);
    dtype("float32", Tensors.binary("*", x, 3L));
  }

  @Test
  void floorDivisionAndModuloFollowPython() {
    INDArray a = t(List.of(7, -7, 7, -7));
    INDArray b = t(List.of(2, 2, -2, -2));
    same(Tensors.binary("//", a, b), shape(4), 3, -4, -4, 3);
    same(Tensors.binary("%", a, b), shape(4), 1, 1, -1, -1);
  }

  @Test
  void integerFloorDivisionAndModuloFollowPython() {
    for (DataType type : new DataType[] {DataType.INT, DataType.LONG}) {
      INDArray a = Tensors.fromNested(List.of(7, -7, 7, -7, 2147483647, -7, 6), type);
      INDArray b = Tensors.fromNested(List.of(2, 2, -2, -2, 3, 2147483647, -3), type);
      assertArrayEquals(new long[] {3, -4, -4, 3, 715827882, -1, -2}, Tensors.binary("//", a, b).toLongVector(), type.name());
      assertArrayEquals(new long[] {1, 1, -1, -1, 1, 2147483640, 0}, Tensors.binary("%", a, b).toLongVector(), type.name());
    }
  }

  @Test
  void minimumIntegerByMinusOneWrapsLikeNumpy() {
    // libnd4j's integer division kernels kill the process with SIGFPE here.
    INDArray a = Tensors.fromNested(List.of(Long.MIN_VALUE, 5L, Long.MIN_VALUE), DataType.LONG);
    INDArray b = Tensors.fromNested(List.of(-1L, -1L, 2L), DataType.LONG);
    assertArrayEquals(new long[] {Long.MIN_VALUE, -5, Long.MIN_VALUE / 2}, Tensors.binary("//", a, b).toLongVector());
    assertArrayEquals(new long[] {0, 0, 0}, Tensors.binary("%", a, b).toLongVector());
    INDArray i = Tensors.fromNested(List.of(Integer.MIN_VALUE, 5), DataType.INT);
    assertArrayEquals(new long[] {Integer.MIN_VALUE, -5}, Tensors.binary("//", i, -1L).toLongVector());
  }

  @Test
  void powerBroadcastsAcrossRanks() {
    same(Tensors.binary("**", t(List.of(List.of(2))), t(List.of(1, 2, 3, 4, 5, 6))), shape(1, 6), 2, 4, 8, 16, 32, 64);
  }

  @Test
  void ieeeDivisionByZero() {
    INDArray r = Tensors.binary("/", t(List.of(1, -1, 0)), 0L);
    assertEquals(Double.POSITIVE_INFINITY, r.getDouble(0));
    assertEquals(Double.NEGATIVE_INFINITY, r.getDouble(1));
    assertEquals(Double.NaN, r.getDouble(2));
  }

  @Test
  void integerDivisionByZeroIsAnError() {
    INDArray i = Tensors.fromNested(List.of(1L, 2L), DataType.INT);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.binary("//", i, 0L));
    assertEquals("integer division by zero in //", e.getMessage());
  }

  @Test
  void comparisonsGiveBools() {
    INDArray x = t(List.of(1, 2, 3));
    INDArray lt = Tensors.binary("<", x, 2L);
    dtype("bool", lt);
    same(lt, shape(3), 1, 0, 0);
    same(Tensors.binary("<=", x, 2L), shape(3), 1, 1, 0);
    same(Tensors.binary(">", x, 2.5), shape(3), 0, 0, 1);
    same(Tensors.binary(">=", 2L, x), shape(3), 1, 1, 0);
    same(Tensors.binary("==", x, t(List.of(1, 0, 3))), shape(3), 1, 0, 1);
    same(Tensors.binary("!=", x, t(List.of(List.of(1), List.of(2)))), shape(2, 3), 0, 1, 1, 1, 0, 1);
    same(Tensors.binary("==", lt, false), shape(3), 0, 1, 1);
  }

  @Test
  void maximumAndMinimum() {
    INDArray x = t(List.of(-1, 2, -3));
    same(Tensors.binary("maximum", x, 0L), shape(3), 0, 2, 0);
    same(Tensors.binary("minimum", x, t(List.of(0, 1, 0))), shape(3), -1, 1, -3);
  }

  @Test
  void dtypePromotion() {
    INDArray f = t(List.of(1, 2));
    INDArray d = Tensors.fromNested(List.of(1, 2), DataType.DOUBLE);
    INDArray i = Tensors.fromNested(List.of(1, 2), DataType.INT);
    INDArray l = Tensors.fromNested(List.of(1, 2), DataType.LONG);
    INDArray b = Tensors.fromNested(List.of(true, false), null);
    dtype("float32", Tensors.binary("+", f, i));
    dtype("float64", Tensors.binary("+", f, d));
    dtype("int64", Tensors.binary("+", i, l));
    dtype("int32", Tensors.binary("+", i, 5L));
    dtype("float32", Tensors.binary("+", i, 0.5));
    dtype("float32", Tensors.binary("/", i, 2L));
    same(Tensors.binary("/", i, 2L), shape(2), 0.5, 1);
    dtype("int32", Tensors.binary("**", i, 2L));
    same(Tensors.binary("//", l, 2L), shape(2), 0, 1);
    dtype("bool", Tensors.binary("+", b, b)); // NumPy's logical or
    same(Tensors.binary("+", b, b), shape(2), 1, 0);
    dtype("bool", Tensors.binary("*", b, true));
    dtype("float32", Tensors.binary("*", b, f));
    same(Tensors.binary("*", b, f), shape(2), 1, 0);
  }

  @Test
  void emptyOperandsGiveEmptyResults() {
    INDArray r = Tensors.binary("+", Tensors.zeros(0, 3), t(List.of(1, 2, 3)));
    assertArrayEquals(shape(0, 3), r.shape());
  }

  @Test
  void worksOnViews() {
    INDArray x = seq(2, 3);
    same(Tensors.binary("-", Tensors.transpose(x), 1L), shape(3, 2), -1, 2, 0, 3, 1, 4);
    INDArray col = Tensors.get(x, T.ix(Slice.ALL, 1L));
    same(Tensors.binary("*", col, col), shape(2), 1, 16);
  }
}

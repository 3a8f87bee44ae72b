package dln.runtime.tensor;

import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Java arrays to tensors and back, as an embedding host passes them. */
class JavaArraysTest {
  @Test
  void primitiveArraysBecomeTensorsOfTheirKind() {
    INDArray m = JavaArrays.fromArray(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertEquals(DataType.FLOAT, m.dataType());
    assertArrayEquals(new long[] {2, 3}, m.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, (float[]) JavaArrays.toArray(m, float[].class, "x"));
    assertEquals(DataType.INT, JavaArrays.fromArray(new int[] {1}).dataType());
    assertEquals(DataType.LONG, JavaArrays.fromArray(new long[] {Long.MAX_VALUE}).dataType());
    assertEquals(Long.MAX_VALUE, JavaArrays.single(JavaArrays.fromArray(new long[] {Long.MAX_VALUE})));
    assertEquals(true, JavaArrays.single(JavaArrays.fromArray(new boolean[] {true})));
    assertArrayEquals(new long[] {2, 0}, JavaArrays.fromArray(new float[2][0]).shape());
  }

  @Test
  void aRaggedArraySaysWhichRow() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> JavaArrays.fromArray(new float[][] {{1, 2}, {3}}));
    assertEquals("value error", e.kind());
    assertEquals("cannot make a tensor from a ragged Java array: row [1] has 1 values but row [0] has 2", e.getMessage());
    assertEquals("every row must have the same length", e.hint());
  }

  @Test
  void charactersAreNoNumbers() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> JavaArrays.fromArray(new char[] {'a'}));
    assertEquals("type error", e.kind());
    assertEquals("cannot pass a Java char[] to DLN; use float[] or double[]", e.getMessage());
  }

  @Test
  void integersOnlyFromWholeValues() {
    assertArrayEquals(new int[] {1, 2}, (int[]) JavaArrays.toArray(t(List.of(1.0, 2.0)), int[].class, "x"));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> JavaArrays.toArray(t(List.of(1.5)), int[].class, "variable 'x'"));
    assertEquals("variable 'x' holds fractional values and cannot become int[]", e.getMessage());
  }

  @Test
  void matricesOnlyFromRankTwo() {
    INDArray v = t(List.of(1, 2));
    assertSame(v, JavaArrays.toArray(v, INDArray.class, "x"));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> JavaArrays.toArray(v, float[][].class, "x"));
    assertEquals("x is a tensor of rank 1 (shape [2]) and cannot become a float[][], which needs rank 2", e.getMessage());
  }

  @Test
  void singleNeedsOneElement() {
    assertEquals(2.0, JavaArrays.single(t(List.of(2))));
    assertNull(JavaArrays.single(t(List.of(1, 2))));
    assertNull(JavaArrays.single(2L));
  }
}

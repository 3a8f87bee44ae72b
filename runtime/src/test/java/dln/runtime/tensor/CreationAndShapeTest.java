package dln.runtime.tensor;

import static dln.runtime.tensor.T.dtype;
import static dln.runtime.tensor.T.same;
import static dln.runtime.tensor.T.seq;
import static dln.runtime.tensor.T.shape;
import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CreationAndShapeTest {
  @Test
  void fromNestedDefaultsToFloat32() {
    INDArray x = t(List.of(List.of(1L, 2L), List.of(3L, 4L)));
    dtype("float32", x);
    same(x, shape(2, 2), 1, 2, 3, 4);
    dtype("bool", t(List.of(true, false)));
    dtype("float32", t(List.of(true, 2L)));
    same(t(2.5), shape(), 2.5);
    same(t(List.of()), shape(0));
    same(t(List.of(List.of(), List.of())), shape(2, 0));
  }

  @Test
  void fromNestedWithDtype() {
    INDArray i = Tensors.fromNested(List.of(1L, 2L), Tensors.dtype("int64"));
    dtype("int64", i);
    assertEquals(2L, i.getLong(1));
    dtype("float64", Tensors.fromNested(List.of(1.5), Tensors.dtype("float64")));
    dtype("int32", Tensors.fromNested(List.of(1.9), Tensors.dtype("int32")));
    assertEquals(1L, Tensors.fromNested(List.of(1.9), Tensors.dtype("int32")).getLong(0));
    dtype("bool", Tensors.fromNested(List.of(0, 3), Tensors.dtype("bool")));
  }

  @Test
  void fromNestedStacksTensors() {
    INDArray x = t(List.of(t(List.of(1, 2)), t(List.of(3, 4))));
    same(x, shape(2, 2), 1, 2, 3, 4);
    INDArray y = t(List.of(Tensors.transpose(seq(2, 2))));
    same(y, shape(1, 2, 2), 0, 2, 1, 3);
  }

  @Test
  void raggedListsNameTheItem() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> t(List.of(List.of(1, 2), List.of(3))));
    assertEquals("cannot make a tensor from a ragged list: item [1] has 1 element but item [0] has 2 elements", e.getMessage());
    DlnRuntimeException deep = assertThrows(DlnRuntimeException.class,
        () -> t(List.of(List.of(List.of(1), List.of(2)), List.of(List.of(1), List.of(2, 3)))));
    assertEquals("cannot make a tensor from a ragged list: item [1][1] has 2 elements but item [1][0] has 1 element",
        deep.getMessage());
    DlnRuntimeException mixed = assertThrows(DlnRuntimeException.class, () -> t(List.of(1, List.of(2))));
    assertEquals("cannot make a tensor from a ragged list: item [1] has 1 element but item [0] is a number", mixed.getMessage());
    DlnRuntimeException str = assertThrows(DlnRuntimeException.class, () -> t(List.of(1, "a")));
    assertEquals("cannot make a tensor from a string at [1]", str.getMessage());
  }

  @Test
  void dtypeNames() {
    assertEquals(DataType.FLOAT, Tensors.dtype("float32"));
    assertEquals(DataType.DOUBLE, Tensors.dtype("float64"));
    assertEquals(DataType.INT, Tensors.dtype("int32"));
    assertEquals(DataType.LONG, Tensors.dtype("int64"));
    assertEquals(DataType.BOOL, Tensors.dtype("bool"));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.dtype("float8"));
    assertEquals("unknown dtype 'float8'", e.getMessage());
  }

  @Test
  void toNestedAndItem() {
    assertEquals(List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)), Tensors.toNested(t(List.of(List.of(1, 2), List.of(3, 4)))));
    assertEquals(List.of(1L, 2L), Tensors.toNested(Tensors.fromNested(List.of(1, 2), DataType.LONG)));
    assertEquals(List.of(true, false), Tensors.toNested(t(List.of(true, false))));
    assertEquals(2.5, Tensors.toNested(t(2.5)));
    assertEquals(5.0, Tensors.item(t(List.of(List.of(5)))));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.item(Tensors.zeros(2, 3)));
    assertEquals("item() needs a tensor with exactly one element, got shape (2, 3) (6 elements)", e.getMessage());
  }

  @Test
  void creation() {
    same(Tensors.zeros(2, 2), shape(2, 2), 0, 0, 0, 0);
    same(Tensors.ones(3), shape(3), 1, 1, 1);
    same(Tensors.full(new long[] {2}, 7.5), shape(2), 7.5, 7.5);
    same(Tensors.eye(2), shape(2, 2), 1, 0, 0, 1);
    dtype("float32", Tensors.eye(3));
    same(Tensors.arange(0, 5, 1), shape(5), 0, 1, 2, 3, 4);
    same(Tensors.arange(1, 2, 0.25), shape(4), 1, 1.25, 1.5, 1.75);
    same(Tensors.arange(5, 0, -2), shape(3), 5, 3, 1);
    same(Tensors.arange(5, 0, 1), shape(0));
    same(Tensors.linspace(0, 1, 5), shape(5), 0, 0.25, 0.5, 0.75, 1);
    same(Tensors.linspace(2, 3, 1), shape(1), 2);
    same(Tensors.zeros(), shape(), 0);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.zeros(2, -1));
    assertEquals("negative dimension -1 in shape (2, -1)", e.getMessage());
    assertThrows(DlnRuntimeException.class, () -> Tensors.arange(0, 1, 0));
  }

  @Test
  void seedMakesRandomReproducible() {
    Tensors.seed(42);
    INDArray a = Tensors.randn(3, 4);
    INDArray u = Tensors.rand(5);
    Tensors.seed(42);
    INDArray b = Tensors.randn(3, 4);
    INDArray v = Tensors.rand(5);
    assertEquals(a, b);
    assertEquals(u, v);
    assertNotEquals(a, Tensors.randn(3, 4));
    dtype("float32", a);
    for (double d : v.toDoubleVector()) assertTrue(d >= 0 && d < 1);
    // a standard normal sample of 10000 has mean near 0 and std near 1
    INDArray big = Tensors.randn(10000);
    assertEquals(0, Tensors.reduce("mean", big, null, false).getDouble(0), 0.05);
    assertEquals(1, Tensors.reduce("std", big, null, false).getDouble(0), 0.05);
  }

  @Test
  void reshape() {
    same(Tensors.reshape(seq(2, 3), 3, 2), shape(3, 2), 0, 1, 2, 3, 4, 5);
    same(Tensors.reshape(seq(2, 3), -1), shape(6), 0, 1, 2, 3, 4, 5);
    same(Tensors.reshape(seq(2, 3), 3, -1), shape(3, 2), 0, 1, 2, 3, 4, 5);
    same(Tensors.reshape(Tensors.transpose(seq(2, 3)), 6), shape(6), 0, 3, 1, 4, 2, 5);
    same(Tensors.reshape(Tensors.matmul(seq(2, 2), seq(2, 2)), 4), shape(4), 2, 3, 6, 11);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.reshape(seq(2, 3), 4, -1));
    assertEquals("cannot reshape a tensor of shape (2, 3) (6 elements) into shape (4, -1)", e.getMessage());
    DlnRuntimeException e2 = assertThrows(DlnRuntimeException.class, () -> Tensors.reshape(seq(2, 3), 4, 2));
    assertEquals("cannot reshape a tensor of shape (2, 3) (6 elements) into shape (4, 2) (8 elements)", e2.getMessage());
    assertThrows(DlnRuntimeException.class, () -> Tensors.reshape(seq(2, 3), -1, -1));
  }

  @Test
  void transposeFlattenSqueezeExpand() {
    same(Tensors.transpose(seq(2, 3)), shape(3, 2), 0, 3, 1, 4, 2, 5);
    INDArray p = Tensors.transpose(seq(2, 3, 4), new int[] {1, 0, -1});
    assertArrayEquals(shape(3, 2, 4), p.shape());
    assertEquals(seq(2, 3, 4).getDouble(1, 2, 3), p.getDouble(2, 1, 3), 0);
    assertArrayEquals(shape(4, 3, 2), Tensors.transpose(seq(2, 3, 4)).shape());
    same(Tensors.transpose(seq(3)), shape(3), 0, 1, 2);
    assertThrows(DlnRuntimeException.class, () -> Tensors.transpose(seq(2, 3), new int[] {0, 0}));
    same(Tensors.flatten(Tensors.transpose(seq(2, 2))), shape(4), 0, 2, 1, 3);
    assertArrayEquals(shape(3), Tensors.squeeze(Tensors.zeros(1, 3, 1), null).shape());
    assertArrayEquals(shape(3, 1), Tensors.squeeze(Tensors.zeros(1, 3, 1), 0).shape());
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.squeeze(Tensors.zeros(2, 3), 1));
    assertEquals("cannot squeeze axis 1 of shape (2, 3): its size is 3, not 1", e.getMessage());
    assertArrayEquals(shape(1, 2), Tensors.expandDims(Tensors.zeros(2), 0).shape());
    assertArrayEquals(shape(2, 1), Tensors.expandDims(Tensors.zeros(2), -1).shape());
  }

  @Test
  void concatAndStack() {
    INDArray a = seq(2, 2);
    INDArray b = Tensors.binary("+", seq(2, 2), 10L);
    same(Tensors.concat(List.of(a, b), 0), shape(4, 2), 0, 1, 2, 3, 10, 11, 12, 13);
    same(Tensors.concat(List.of(a, b), -1), shape(2, 4), 0, 1, 10, 11, 2, 3, 12, 13);
    same(Tensors.concat(List.of(a, Tensors.zeros(2, 1)), 1), shape(2, 3), 0, 1, 0, 2, 3, 0);
    same(Tensors.stack(List.of(t(List.of(1, 2)), t(List.of(3, 4))), 0), shape(2, 2), 1, 2, 3, 4);
    same(Tensors.stack(List.of(t(List.of(1, 2)), t(List.of(3, 4))), 1), shape(2, 2), 1, 3, 2, 4);
    same(Tensors.stack(List.of(t(1L), t(2L)), 0), shape(2), 1, 2);
    dtype("float64", Tensors.concat(List.of(a, Tensors.fromNested(List.of(List.of(1, 1)), DataType.DOUBLE)), 0));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> Tensors.concat(List.of(Tensors.zeros(2, 3), Tensors.zeros(2, 4)), 0));
    assertEquals("concat: tensor 1 has shape (2, 4) but tensor 0 has shape (2, 3); all sizes except axis 0 must match",
        e.getMessage());
    DlnRuntimeException s = assertThrows(DlnRuntimeException.class,
        () -> Tensors.stack(List.of(Tensors.zeros(2), Tensors.zeros(3)), 0));
    assertEquals("stack: tensor 1 has shape (3,) but tensor 0 has shape (2,); stacked tensors must have the same shape",
        s.getMessage());
  }

  @Test
  void astypeCopies() {
    INDArray x = t(List.of(1.7, -1.7));
    INDArray i = Tensors.astype(x, DataType.INT);
    dtype("int32", i);
    same(i, shape(2), 1, -1);
    INDArray c = Tensors.astype(x, DataType.FLOAT);
    Tensors.put(c, T.ix(0), 0L);
    assertEquals(1.7, x.getDouble(0), 1e-6);
  }
}

package dln.runtime.tensor;

import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The operators' dispatch between eager and traced tensors, and the errors they word. */
class TensorOpsTest {
  /** A language with DLN's names whose only sequences are Java lists. */
  private static final ValueModel VALUES = new ValueModel() {
    @Override
    public String typeName(Object v) {
      if (v instanceof String) return "string";
      if (v instanceof List) return "list";
      if (v instanceof Map) return "dict";
      if (v instanceof INDArray || v instanceof Traced) return "tensor";
      if (v instanceof Long) return "int";
      return v.getClass().getSimpleName();
    }

    @Override
    public List<?> asNestedList(Object v) {
      return v instanceof List<?> l ? l : null;
    }
  };

  private static float[] values(Object tensor) {
    return Tensors.flatten((INDArray) tensor).castTo(DataType.FLOAT).toFloatVector();
  }

  @Test
  void eagerTensorsBroadcast() {
    Object r = TensorOps.binary("+", t(List.of(List.of(1, 2), List.of(3, 4))), t(List.of(10, 20)), VALUES);
    assertArrayEquals(new long[] {2, 2}, ((INDArray) r).shape());
    assertArrayEquals(new float[] {11, 22, 13, 24}, values(r));
  }

  @Test
  void aNumberOnEitherSide() {
    assertArrayEquals(new float[] {2, 4}, values(TensorOps.binary("*", 2L, t(List.of(1, 2)), VALUES)));
    assertArrayEquals(new float[] {0.5f, 1}, values(TensorOps.binary("/", t(List.of(1, 2)), 2.0, VALUES)));
  }

  @Test
  void aListNextToATensorBecomesATensor() {
    assertArrayEquals(new float[] {2, 4}, values(TensorOps.binary("+", t(List.of(1, 2)), List.of(1L, 2L), VALUES)));
  }

  @Test
  void aVariableStandsForItsValue() {
    Variable v = new Variable(t(List.of(1, 2)));
    assertArrayEquals(new float[] {2, 3}, values(TensorOps.binary("+", v, 1L, VALUES)));
    assertArrayEquals(new float[] {-1, -2}, values(TensorOps.negate(v)));
  }

  @Test
  void addingAStringIsATypeErrorWithAHint() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> TensorOps.binary("+", t(List.of(1)), "a", VALUES));
    assertEquals("type error", e.kind());
    assertEquals("cannot add tensor and string", e.getMessage());
    assertEquals("convert with str(x) first", e.hint());
  }

  @Test
  void eachOperatorNamesItsVerb() {
    INDArray x = t(List.of(1));
    assertEquals("cannot subtract dict and tensor", assertThrows(DlnRuntimeException.class,
        () -> TensorOps.binary("-", Map.of(), x, VALUES)).getMessage());
    DlnRuntimeException pow = assertThrows(DlnRuntimeException.class, () -> TensorOps.binary("**", x, "a", VALUES));
    assertEquals("cannot raise tensor to the power of string", pow.getMessage());
    assertNull(pow.hint());
    assertEquals("cannot matrix-multiply tensor and string", assertThrows(DlnRuntimeException.class,
        () -> TensorOps.binary("@", x, "a", VALUES)).getMessage());
  }

  @Test
  void shapesThatDoNotBroadcastAreAShapeError() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> TensorOps.binary("+", Tensors.zeros(2, 3), Tensors.zeros(4), VALUES));
    assertEquals("shape error", e.kind());
    assertEquals("cannot broadcast shapes (2, 3) and (4,)", e.getMessage());
  }

  @Test
  void aRaggedListNextToATensorSaysWhereItIsRagged() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> TensorOps.binary("+", Tensors.zeros(2), List.of(List.of(1L, 2L), List.of(3L)), VALUES));
    assertEquals("shape error", e.kind());
    assertTrue(e.getMessage().startsWith("cannot make a tensor from a ragged list"), e.getMessage());
  }

  @Test
  void comparisonsAreElementWise() {
    INDArray r = (INDArray) TensorOps.compare("<", t(List.of(1, 2, 3)), 2L, VALUES);
    assertEquals(DataType.BOOL, r.dataType());
    assertArrayEquals(new float[] {1, 0, 0}, values(r));
  }

  @Test
  void aTensorIsUnequalToWhatCannotBecomeOneAndNotOrderedWithIt() {
    INDArray x = t(List.of(1));
    assertEquals(false, TensorOps.compare("==", x, "a", VALUES));
    assertEquals(true, TensorOps.compare("!=", "a", x, VALUES));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> TensorOps.compare("<", x, "a", VALUES));
    assertEquals("type error", e.kind());
    assertEquals("cannot compare tensor and string with <", e.getMessage());
  }

  @Test
  void aVariableIsEqualOnlyToItself() {
    Variable v = new Variable(t(List.of(1)));
    assertEquals(true, TensorOps.compare("==", v, v, VALUES));
    assertEquals(true, TensorOps.compare("!=", v, 1L, VALUES));
    assertEquals("cannot compare Variable and int with >=", assertThrows(DlnRuntimeException.class,
        () -> TensorOps.compare(">=", v, 1L, VALUES)).getMessage());
  }

  @Test
  void tracedOperandsBuildTheGraphThatIsDifferentiated() {
    // d/dx sum(x * x + [1, 1]) = 2x: binary must have traced both the product and the lifted list.
    List<INDArray> grads = Tape.gradients(List.of(t(List.of(1, 3))), p -> {
      Object sq = TensorOps.binary("*", p.get(0), p.get(0), VALUES);
      Object shifted = TensorOps.binary("+", sq, List.of(1L, 1L), VALUES);
      assertInstanceOf(Traced.class, shifted);
      return Tape.reduce("sum", (Traced) shifted, null, false);
    });
    assertArrayEquals(new float[] {2, 6}, values(grads.get(0)));
  }

  @Test
  void aTracedTensorAndAStringDoNotCombine() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tape.gradients(List.of(t(List.of(1))), p -> {
      TensorOps.negate(p.get(0));
      return TensorOps.binary("+", "a", p.get(0), VALUES);
    }));
    assertEquals("cannot add string and tensor", e.getMessage());
    assertEquals("convert with str(x) first", e.hint());
  }

  @Test
  void tensorsAreEagerTracedOrVariables() {
    assertTrue(TensorOps.isTensor(t(List.of(1))));
    assertTrue(TensorOps.isTensor(new Variable(t(List.of(1)))));
    assertFalse(TensorOps.isTensor(1L));
    assertFalse(TensorOps.isTensor(List.of(1L)));
  }
}

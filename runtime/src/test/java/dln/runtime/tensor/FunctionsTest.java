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

class FunctionsTest {
  private final INDArray x = t(List.of(-2, 0, 1));

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  @Test
  void mathFunctions() {
    same(Tensors.unary("neg", x), shape(3), 2, 0, -1);
    same(Tensors.unary("abs", x), shape(3), 2, 0, 1);
    same(Tensors.unary("square", x), shape(3), 4, 0, 1);
    same(Tensors.unary("sign", x), shape(3), -1, 0, 1);
    same(Tensors.unary("exp", x), shape(3), Math.exp(-2), 1, Math.E);
    same(Tensors.unary("log", t(List.of(1, Math.E))), shape(2), 0, 1);
    same(Tensors.unary("sqrt", t(List.of(4, 9))), shape(2), 2, 3);
    same(Tensors.unary("sin", t(List.of(0, Math.PI / 2))), shape(2), 0, 1);
    same(Tensors.unary("cos", t(List.of(0))), shape(1), 1);
    same(Tensors.unary("floor", t(List.of(-1.5, 1.5))), shape(2), -2, 1);
    same(Tensors.unary("ceil", t(List.of(-1.5, 1.5))), shape(2), -1, 2);
    // half to even, like numpy
    same(Tensors.unary("round", t(List.of(0.5, 1.5, 2.5, -0.5, 2.6))), shape(5), 0, 2, 2, 0, 3);
    INDArray nan = Tensors.unary("log", t(List.of(-1)));
    assertEquals(Double.NaN, nan.getDouble(0));
  }

  @Test
  void integerInputs() {
    INDArray i = Tensors.fromNested(List.of(-2, 3), DataType.LONG);
    dtype("int64", Tensors.unary("abs", i));
    dtype("int64", Tensors.unary("square", i));
    dtype("float32", Tensors.unary("exp", i));
    same(Tensors.unary("sqrt", Tensors.fromNested(List.of(4), DataType.INT)), shape(1), 2);
  }

  @Test
  void activations() {
    same(Tensors.unary("linear", x), shape(3), -2, 0, 1);
    same(Tensors.unary("sigmoid", x), shape(3), sigmoid(-2), 0.5, sigmoid(1));
    same(Tensors.unary("tanh", x), shape(3), Math.tanh(-2), 0, Math.tanh(1));
    same(Tensors.unary("relu", x), shape(3), 0, 0, 1);
    same(Tensors.unary("elu", x), shape(3), Math.exp(-2) - 1, 0, 1);
    same(Tensors.unary("leaky_relu", x), shape(3), -0.4, 0, 1);
    same(Tensors.leakyRelu(x, 0.1), shape(3), -0.2, 0, 1);
    same(Tensors.unary("softplus", x), shape(3), Math.log1p(Math.exp(-2)), Math.log(2), Math.log1p(Math.E));
    double alpha = 1.6732632423543772;
    double scale = 1.0507009873554805;
    same(Tensors.unary("selu", x), shape(3), scale * alpha * (Math.exp(-2) - 1), 0, scale);
    // exact gelu: x * Phi(x); Phi(1) = 0.8413447460685429, Phi(-2) = 0.022750131948179195
    same(Tensors.unary("gelu", x), shape(3), -2 * 0.022750131948179195, 0, 0.8413447460685429);
    same(Tensors.unary("swish", x), shape(3), -2 * sigmoid(-2), 0, sigmoid(1));
  }

  @Test
  void softmaxOverTheLastAxis() {
    INDArray s = Tensors.unary("softmax", t(List.of(List.of(1, 2, 3), List.of(1000, 1000, 1000))));
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    same(s, shape(2, 3), Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    same(Tensors.unary("softmax", t(List.of(0, 0))), shape(2), 0.5, 0.5);
  }

  @Test
  void clip() {
    same(Tensors.clip(t(List.of(-5, 0.5, 5)), 0.0, 1.0), shape(3), 0, 0.5, 1);
    same(Tensors.clip(t(List.of(-5, 5)), null, 1.0), shape(2), -5, 1);
    dtype("int64", Tensors.clip(Tensors.fromNested(List.of(-5, 5), DataType.LONG), 0.0, 3.0));
    assertThrows(DlnRuntimeException.class, () -> Tensors.clip(x, 1.0, 0.0));
  }

  @Test
  void unknownFunction() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Tensors.unary("cube", x));
    assertEquals("unknown tensor function 'cube'", e.getMessage());
  }
}

package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.value.Tuple;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The tensor builtins as a DLN user calls them, through the interpreter. */
class TensorLibTest {
  private final StringWriter out = new StringWriter();
  private final Dln dln = Dln.builder().out(new PrintWriter(out, true)).err(new PrintWriter(out, true)).build();

  /** The raw DLN value (tuples stay tuples), not the Java conversion Dln.eval returns. */
  private Object eval(String code) {
    return dln.interpreter().run(new dln.interp.Source("<eval>", code));
  }

  private String printed(String code) {
    out.getBuffer().setLength(0);
    dln.eval(code);
    return out.toString();
  }

  private DlnException error(String code) {
    return assertThrows(DlnException.class, () -> dln.eval(code));
  }

  @Test
  void slideNeuronRunsAsWritten() {
    eval("xs = tensor([1.0, 2.0]); ws = tensor([0.5, -0.25]); b = 0.1\ny = sigmoid(np.dot(ws, xs) + b)");
    INDArray y = (INDArray) dln.get("y");
    // w.x + b = 0.5 - 0.5 + 0.1
    assertEquals(1 / (1 + Math.exp(-0.1)), y.getDouble(0), 1e-6);
    eval("w = np.array([[0.5, -0.25], [1.0, 1.0]]); x = np.array([1.0, 2.0]); f = relu\ny2 = f(np.dot(w, x) + b)");
    assertEquals("tensor([0.1000, 3.1000], shape=(2,), dtype=float32)\n", printed("print(y2)"));
  }

  @Test
  void printsLikeNumpy() {
    assertEquals("tensor([0.0000, 2.0000], shape=(2,), dtype=float32)\n", printed("print(relu(tensor([-1, 2])))"));
    assertEquals("tensor([[1.0000, 3.0000],\n        [2.0000, 4.0000]], shape=(2, 2), dtype=float32)\n",
        printed("print(tensor([[1, 2], [3, 4]]).T)"));
  }

  @Test
  void attributes() {
    eval("x = zeros(2, 3)");
    assertEquals(new Tuple(List.of(2L, 3L)), eval("x.shape"));
    assertEquals("float32", eval("str(x.dtype)"));
    assertEquals(2L, eval("x.ndim"));
    assertEquals(6L, eval("x.size"));
    assertEquals(new Tuple(List.of(3L, 2L)), eval("x.T.shape"));
    assertEquals(new Tuple(List.of(3L, 4L)), eval("zeros((3, 4)).shape"));
    assertEquals(new Tuple(List.of()), eval("tensor(1.5).shape"));
  }

  @Test
  void methods() {
    eval("x = tensor([[1, 5, 3], [4, 2, 6]])");
    assertEquals(List.of(5.0, 7.0, 9.0), eval("x.sum(axis=0).tolist()"));
    assertEquals(List.of(List.of(3.0), List.of(4.0)), eval("x.mean(axis=1, keepdims=true).tolist()"));
    assertEquals(List.of(1L, 2L), eval("x.argmax(axis=1).tolist()"));
    assertEquals(6.0, eval("x.max().item()"));
    assertEquals(21.0, eval("x.sum().item()"));
    assertEquals(new Tuple(List.of(3L, 2L)), eval("x.reshape(3, -1).shape"));
    assertEquals(new Tuple(List.of(6L)), eval("x.flatten().shape"));
    assertEquals("int64", eval("str(x.astype('int64').dtype)"));
    assertEquals(List.of(List.of(1L, 5L, 3L), List.of(4L, 2L, 6L)), eval("x.astype(np.int64).tolist()"));
    assertEquals(List.of(true, false), eval("(tensor([1, 2]) < 1.5).tolist()"));
    assertEquals(1.5, eval("x.std(axis=0)[0].item()"));
  }

  @Test
  void creation() {
    assertEquals(List.of(0.0, 1.0, 2.0), eval("arange(3).tolist()"));
    assertEquals(List.of(1.0, 1.5), eval("arange(1, 2, 0.5).tolist()"));
    assertEquals(List.of(0.0, 0.5, 1.0), eval("linspace(0, 1, 3).tolist()"));
    assertEquals(List.of(List.of(1.0, 0.0), List.of(0.0, 1.0)), eval("eye(2).tolist()"));
    assertEquals(List.of(7.0, 7.0), eval("full(2, 7).tolist()"));
    assertEquals(List.of(1.0, 1.0), eval("np.ones(2).tolist()"));
    assertEquals("int32", eval("str(tensor([1, 2], dtype='int32').dtype)"));
    assertEquals("float64", eval("str(np.array([1, 2], dtype=np.float64).dtype)"));
    assertEquals("int64", eval("str(tensor([1.7], dtype=int).dtype)"));
  }

  @Test
  void seedRepeats() {
    eval("seed(3); a = randn(2, 2); np.random.seed(3); b = np.random.randn(2, 2)");
    assertEquals(dln.get("a"), dln.get("b"));
    eval("seed(5); u = rand(3); seed(5); v = np.random.rand(3)");
    assertEquals(dln.get("u"), dln.get("v"));
  }

  @Test
  void activationsAreFunctionsAndNames() {
    assertEquals(0.5, eval("sigmoid(0)"));
    assertEquals(List.of(-0.2, 1.0), roundAll(eval("leaky_relu(tensor([-1, 1])).tolist()")));
    assertEquals(List.of(-0.1, 1.0), roundAll(eval("leaky_relu(tensor([-1, 1]), alpha=0.1).tolist()")));
    assertEquals(List.of(0.5, 0.5), eval("softmax(tensor([3.0, 3.0])).tolist()"));
    eval("names = []\nfor fn in [linear, sigmoid, tanh, relu, elu, softmax, leaky_relu, softplus, selu, gelu, swish]:\n"
        + "    names.append(str(fn))\n    y = fn(tensor([[-1.0, 0.5]]))");
    assertEquals(11, ((List<?>) dln.get("names")).size());
  }

  private static List<Double> roundAll(Object list) {
    return ((List<?>) list).stream().map(v -> Math.round((Double) v * 1e6) / 1e6).toList();
  }

  @Test
  void mathAndNumpyFunctions() {
    assertEquals(Math.E, eval("exp(1)"));
    assertEquals(2.0, eval("np.sqrt(4)"));
    assertEquals(List.of(0.0, 2.0), eval("np.maximum(tensor([-1, 2]), 0).tolist()"));
    assertEquals(List.of(1.0, 2.0), eval("clip(tensor([0, 5]), 1, 2).tolist()"));
    assertEquals(List.of(1.0, 0.0), eval("np.clip(tensor([3, -1]), 0, 1).tolist()"));
    assertEquals(32.0, eval("dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item()"));
    assertEquals(List.of(List.of(58.0, 64.0), List.of(139.0, 154.0)),
        eval("matmul(tensor([[1, 2, 3], [4, 5, 6]]), tensor([[7, 8], [9, 10], [11, 12]])).tolist()"));
    assertEquals(2.5, eval("np.mean(tensor([[1, 2], [3, 4]])).item()"));
    assertEquals(List.of(3.0, 7.0), eval("np.sum(tensor([[1, 2], [3, 4]]), axis=1).tolist()"));
    assertEquals(1L, eval("np.argmax(tensor([1, 9, 2])).item()"));
    assertEquals(new Tuple(List.of(4L, 2L)), eval("np.concatenate([zeros(2, 2), ones(2, 2)]).shape"));
    assertEquals(new Tuple(List.of(2L, 2L, 2L)), eval("np.stack([zeros(2, 2), ones(2, 2)], axis=1).shape"));
    assertEquals(new Tuple(List.of(3L, 2L)), eval("np.transpose(zeros(2, 3)).shape"));
    assertEquals(new Tuple(List.of(3L, 2L)), eval("np.reshape(zeros(2, 3), (3, 2)).shape"));
    assertEquals(new Tuple(List.of(4L, 3L, 2L)), eval("transpose(zeros(2, 3, 4), 2, 1, 0).shape"));
    assertEquals(Math.PI, eval("np.pi"));
  }

  @Test
  void indexingThroughTheInterpreter() {
    eval("x = arange(12).reshape(3, 4)");
    assertEquals(List.of(1.0, 5.0, 9.0), eval("x[:, 1].tolist()"));
    assertEquals(List.of(11.0, 10.0), eval("x[-1, ::-1][:2].tolist()"));
    assertEquals(List.of(9.0, 10.0, 11.0), eval("x[x > 8].tolist()"));
    eval("x[0] = 0\nx[1, 1:3] = tensor([7, 7])");
    assertEquals(List.of(List.of(0.0, 0.0, 0.0, 0.0), List.of(4.0, 7.0, 7.0, 7.0), List.of(8.0, 9.0, 10.0, 11.0)),
        eval("x.tolist()"));
  }

  @Test
  void errorsReachTheUserWithPositions() {
    DlnException e = error("x = zeros(2, 3) + zeros(4)");
    assertEquals("shape error", e.kind());
    assertEquals("cannot broadcast shapes (2, 3) and (4,)", e.getMessage());
    assertEquals(1, e.pos().line());
    DlnException m = error("zeros(2, 3) @ zeros(4, 5)");
    assertEquals("matmul: (2, 3) @ (4, 5): inner dimensions 3 and 4 differ", m.getMessage());
    DlnException i = error("tensor([1, 2, 3])[5]");
    assertEquals("index 5 is out of range for axis 0 with size 3", i.getMessage());
    DlnException r = error("tensor([[1, 2], [3]])");
    assertEquals("cannot make a tensor from a ragged list: item [1] has 1 element but item [0] has 2 elements", r.getMessage());
    DlnException a = error("mean(zeros(2, 3), axis=2)");
    assertEquals("axis 2 is out of range for a tensor with 2 dimensions", a.getMessage());
    DlnException d = error("tensor([1], dtype='float16')");
    assertEquals("unknown dtype 'float16'", d.getMessage());
    DlnException s = error("zeros(2, 'a')");
    assertEquals("zeros() shape sizes must be ints, got string", s.getMessage());
  }

  @Test
  void tensorValuesAreTensors() {
    assertInstanceOf(INDArray.class, eval("tensor([1])"));
    assertEquals("tensor", eval("type(tensor([1])).__name__"));
  }
}

package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Second derivatives through nested tapes: the inner tape's gradient is recorded on the outer
 * tape, which differentiates it again. Checked against closed forms and against central finite
 * differences of the (first-order, SameDiff) gradient.
 */
class NestedTapeTest {
  /** d²f/dx² at x0 by nested tapes. */
  private static double second(Function<Object, Object> f, double x0) {
    Variable x = new Variable(Nd4j.scalar((float) x0));
    GradientTape outer = new GradientTape(false);
    outer.start();
    GradientTape inner = new GradientTape(false);
    inner.start();
    Object y = f.apply(x.current());
    inner.stop();
    Object dy = inner.differentiate(y, List.of(x)).get(0);
    outer.stop();
    assertTrue(dy instanceof Traced, "inside the outer tape the gradient is recorded");
    return outer.gradient(dy, List.of(x)).get(0).getDouble(0);
  }

  /** df/dx at x0 by one tape. */
  private static double first(Function<Object, Object> f, double x0) {
    Variable x = new Variable(Nd4j.scalar((float) x0));
    GradientTape tape = new GradientTape(false);
    tape.start();
    Object y = f.apply(x.current());
    tape.stop();
    return tape.gradient(y, List.of(x)).get(0).getDouble(0);
  }

  private static double fd(Function<Object, Object> f, double x0) {
    double eps = 1e-2;
    return (first(f, x0 + eps) - first(f, x0 - eps)) / (2 * eps);
  }

  private static Function<Object, Object> un(String fn) {
    return x -> Tape.unary(fn, (Traced) x);
  }

  @Test
  void cubeHasSecondDerivativeSixX() {
    assertEquals(18.0, second(x -> Tape.binary("**", x, 3.0), 3.0), 1e-4);
  }

  @Test
  void polynomialsMatchClosedForms() {
    // f = 2x^4 - 3x^2 + x / 2 + 1: f'' = 24x^2 - 6
    Function<Object, Object> f = x -> Tape.binary("+", Tape.binary("-", Tape.binary("*", 2.0, Tape.binary("**", x, 4.0)),
        Tape.binary("*", 3.0, Tape.binary("*", x, x))), Tape.binary("+", Tape.binary("/", x, 2.0), 1.0));
    assertEquals(24 * 1.5 * 1.5 - 6, second(f, 1.5), 1e-3);
    assertEquals(24 * 0.25 - 6, second(f, -0.5), 1e-3);
  }

  @Test
  void elementwiseFunctionsMatchClosedFormsAndFiniteDifferences() {
    double x0 = 0.7;
    double s = 1 / (1 + Math.exp(-x0));
    double t = Math.tanh(x0);
    assertEquals(Math.exp(x0), second(un("exp"), x0), 1e-4);
    assertEquals(-1 / (x0 * x0), second(un("log"), x0), 1e-4);
    assertEquals(-2 * t * (1 - t * t), second(un("tanh"), x0), 1e-4);
    assertEquals(s * (1 - s) * (1 - 2 * s), second(un("sigmoid"), x0), 1e-4);
    assertEquals(s * (1 - s), second(un("softplus"), x0), 1e-4, "softplus'' is sigmoid'");
    assertEquals(-Math.sin(x0), second(un("sin"), x0), 1e-4);
    assertEquals(-0.25 * Math.pow(x0, -1.5), second(un("sqrt"), x0), 1e-4);
    for (String fn : List.of("exp", "log", "tanh", "sigmoid", "softplus", "sin", "cos", "sqrt", "square", "swish", "gelu")) {
      assertEquals(fd(un(fn), x0), second(un(fn), x0), 2e-3, fn);
    }
    for (String fn : List.of("elu", "selu", "leaky_relu", "relu")) {
      assertEquals(fd(un(fn), -x0), second(un(fn), -x0), 2e-3, fn + " on the negative side");
    }
    // A chain: tanh(exp(x) * x)
    Function<Object, Object> chain = x -> Tape.unary("tanh", Tape.binary("*", Tape.unary("exp", (Traced) x), x));
    assertEquals(fd(chain, 0.3), second(chain, 0.3), 2e-3);
  }

  private static final INDArray X = Nd4j.create(new float[] {0.5f, -1f, 2f, 1.5f, 0.2f, -0.7f}, new long[] {3, 2});
  private static final INDArray V = Nd4j.create(new float[] {0.3f, -0.2f, 0.1f, 0.4f, -0.5f, 0.25f}, new long[] {2, 3});

  /** L(W) = mean(softplus(X @ W) * tanh(X @ W)) summed per row, then squared mean: a matmul and reduction chain. */
  private static Object loss(Object w) {
    Traced z = Tape.binary("@", X, w);
    Traced rows = Tape.reduce("sum", Tape.binary("*", Tape.unary("softplus", z), Tape.unary("tanh", z)), new int[] {1}, false);
    return Tape.reduce("mean", Tape.binary("*", rows, rows), null, false);
  }

  private static INDArray gradAt(INDArray w0) {
    Variable w = new Variable(w0);
    GradientTape tape = new GradientTape(false);
    tape.start();
    Object l = loss(w.current());
    tape.stop();
    return tape.gradient(l, List.of(w)).get(0);
  }

  @Test
  void hessianVectorProductOfAMatmulChainMatchesFiniteDifferences() {
    INDArray w0 = Nd4j.create(new float[] {0.1f, -0.4f, 0.3f, 0.2f, 0.5f, -0.1f}, new long[] {2, 3});
    Variable w = new Variable(w0);
    GradientTape outer = new GradientTape(false);
    outer.start();
    GradientTape inner = new GradientTape(false);
    inner.start();
    Object l = loss(w.current());
    inner.stop();
    Traced g = (Traced) inner.differentiate(l, List.of(w)).get(0);
    Object gv = Tape.reduce("sum", Tape.binary("*", g, V), null, false);
    outer.stop();
    INDArray hv = outer.gradient(gv, List.of(w)).get(0);
    double eps = 1e-2;
    INDArray expected = gradAt(w0.add(V.mul(eps))).sub(gradAt(w0.sub(V.mul(eps)))).div(2 * eps);
    assertEquals(gradAt(w0).getDouble(1), Tape.value(g).getDouble(1), 1e-5, "the recorded gradient is the gradient");
    for (int i = 0; i < 6; i++) assertEquals(expected.getDouble(i), hv.getDouble(i), 2e-3, "H·v element " + i);
  }

  @Test
  void aPersistentInnerTapeGivesSeveralRecordedGradients() {
    Variable x = new Variable(Nd4j.scalar(2f));
    Variable y = new Variable(Nd4j.scalar(-1f));
    GradientTape outer = new GradientTape(false);
    outer.start();
    GradientTape inner = new GradientTape(true);
    inner.start();
    Object f = Tape.binary("*", Tape.binary("*", x.current(), x.current()), y.current()); // x²y
    inner.stop();
    Object dx = inner.differentiate(f, List.of(x)).get(0); // 2xy
    Object dy = inner.differentiate(f, List.of(y)).get(0); // x²
    Object both = Tape.binary("+", dx, dy);
    outer.stop();
    List<INDArray> h = outer.gradient(both, List.of(x, y));
    assertEquals(2 * -1 + 2 * 2, h.get(0).getDouble(0), 1e-5, "d/dx (2xy + x²) = 2y + 2x");
    assertEquals(2 * 2, h.get(1).getDouble(0), 1e-5, "d/dy (2xy + x²) = 2x");
  }

  @Test
  void anOpWithoutASecondDerivativeIsRefusedByName() {
    Variable x = new Variable(Nd4j.create(new float[] {1, 2, 4}, new long[] {3}));
    GradientTape outer = new GradientTape(false);
    outer.start();
    GradientTape inner = new GradientTape(false);
    inner.start();
    Object s = Tape.reduce("std", (Traced) x.current(), null, false);
    inner.stop();
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> inner.differentiate(s, List.of(x)));
    outer.stop();
    assertTrue(e.getMessage().contains("std"), e.getMessage());
  }

  @Test
  void anUnnestedTapeStillGivesTensors() {
    Variable x = new Variable(Nd4j.scalar(3f).castTo(DataType.FLOAT));
    GradientTape tape = new GradientTape(false);
    tape.start();
    Object y = Tape.binary("**", x.current(), 3.0);
    tape.stop();
    assertTrue(tape.differentiate(y, List.of(x)).get(0) instanceof INDArray);
  }

  private static final INDArray INTERP = Nd4j.create(new float[] {0.5f, -1f, 2f, 1.5f, 0.2f, -0.7f, 0.9f, 0.1f}, new long[] {4, 2});

  private static dln.runtime.nn.Sequential critic(String activation) {
    dln.runtime.nn.Sequential m = new dln.runtime.nn.Sequential();
    m.add(new dln.runtime.nn.layers.Dense(5, activation).withInputShape(2));
    m.add(new dln.runtime.nn.layers.Dense(1));
    m.buildFor(List.of(new long[] {2}));
    return m;
  }

  /** WGAN-GP's penalty mean((|d critic / d x| - 1)²) from the eager (first-order) input gradient. */
  private static double penaltyNow(dln.runtime.nn.Sequential critic) {
    GradientTape tape = new GradientTape(false);
    tape.start();
    tape.watch(INTERP);
    Traced pred = tape.apply(critic, List.of(INTERP), true).get(0);
    tape.stop();
    INDArray g = tape.gradient(pred, List.of(INTERP)).get(0);
    INDArray norm = org.nd4j.linalg.ops.transforms.Transforms.sqrt(g.mul(g).sum(1));
    return norm.sub(1.0).mul(norm.sub(1.0)).meanNumber().doubleValue();
  }

  @Test
  void wganGradientPenaltyOfADenseCriticMatchesFiniteDifferences() {
    for (String activation : List.of("tanh", "softplus")) {
      dln.runtime.nn.Sequential critic = critic(activation);
      List<Object> vars = new java.util.ArrayList<>();
      for (dln.runtime.nn.Weight w : critic.weightList()) vars.add(w.variable());
      GradientTape outer = new GradientTape(false);
      outer.start();
      GradientTape gpTape = new GradientTape(false);
      gpTape.start();
      gpTape.watch(INTERP);
      Traced pred = gpTape.apply(critic, List.of(INTERP), true).get(0);
      gpTape.stop();
      Traced grads = (Traced) gpTape.differentiate(pred, List.of(INTERP)).get(0);
      Traced norm = Tape.unary("sqrt", Tape.reduce("sum", Tape.unary("square", grads), new int[] {1}, false));
      Traced gp = Tape.reduce("mean", Tape.binary("**", Tape.binary("-", norm, 1.0), 2.0), null, false);
      outer.stop();
      assertEquals(penaltyNow(critic), Tape.value(gp).getDouble(0), 1e-5, "the recorded penalty is the penalty");
      List<INDArray> dgp = outer.gradient(gp, vars);
      for (int i = 0; i < vars.size(); i++) {
        INDArray w = ((Variable) vars.get(i)).value();
        for (long j = 0; j < w.length(); j++) {
          // Richardson's extrapolation of two central differences: error O(eps⁴), so the check does
          // not depend on how curved the randomly drawn critic happens to be (plain central
          // differences at eps 1e-2 missed by 2e-3 for some draws).
          double coarse = centralDifference(critic, w, j, 1e-2);
          double fine = centralDifference(critic, w, j, 5e-3);
          assertEquals((4 * fine - coarse) / 3, dgp.get(i).getDouble(j), 1e-3, activation + ": weight " + i + " element " + j);
        }
      }
    }
  }

  private static double centralDifference(dln.runtime.nn.Sequential critic, INDArray w, long j, double eps) {
    return centralDifference(() -> penaltyNow(critic), w, j, eps);
  }

  /** (f(w + eps·e_j) − f(w − eps·e_j)) / 2eps, with element j of {@code w} put back afterwards. */
  static double centralDifference(java.util.function.DoubleSupplier f, INDArray w, long j, double eps) {
    double orig = w.getDouble(j);
    w.putScalar(j, orig + eps);
    double up = f.getAsDouble();
    w.putScalar(j, orig - eps);
    double down = f.getAsDouble();
    w.putScalar(j, orig);
    return (up - down) / (2 * eps);
  }

  /**
   * A Jacobian taken inside an enclosing tape is recorded there: for y = x³ (element-wise) the inner
   * Jacobian is diag(3x²), the outer gradient of its sum is 6x, and the outer Jacobian of it holds
   * 6x_i at [i, i, i] (d(3x_i²)/dx_i), zero elsewhere.
   */
  @Test
  void aJacobianInsideAnOuterTapeIsDifferentiatedAgain() {
    float[] at = {1f, 2f, -0.5f};
    Variable x = new Variable(Nd4j.create(at, new long[] {3}));
    for (boolean jacobianOuter : new boolean[] {false, true}) {
      GradientTape outer = new GradientTape(false);
      outer.start();
      Object j;
      Object total;
      try {
        GradientTape inner = new GradientTape(false);
        inner.start();
        Object y;
        try {
          y = dln.runtime.tensor.TensorOps.binary("*", dln.runtime.tensor.TensorOps.binary("*", x, x, null), x, null);
        } finally {
          inner.stop();
        }
        j = inner.jacobianOf(y, List.of(x)).get(0);
        total = Tape.reduce("sum", (Traced) j, null, false);
      } finally {
        outer.stop();
      }
      INDArray jv = Tape.value((Traced) j);
      for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) assertEquals(r == c ? 3 * at[r] * at[r] : 0, jv.getDouble(r, c), 1e-5);
      if (!jacobianOuter) {
        INDArray g = outer.gradient(total, List.of(x)).get(0);
        for (int i = 0; i < 3; i++) assertEquals(6 * at[i], g.getDouble(i), 1e-4, "d Σ diag(3x²) / dx_" + i);
      } else {
        INDArray h = outer.jacobian(j, List.of(x)).get(0);
        assertEquals(List.of(3L, 3L, 3L), java.util.Arrays.stream(h.shape()).boxed().toList());
        for (int a = 0; a < 3; a++) {
          for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 3; c++) assertEquals(a == b && b == c ? 6 * at[a] : 0, h.getDouble(a, b, c), 1e-4);
          }
        }
      }
    }
  }
}

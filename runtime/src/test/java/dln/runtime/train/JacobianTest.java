package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.tensor.TensorOps;
import dln.runtime.train.fast.FastEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code tape.jacobian} and {@code tape.batch_jacobian} against closed forms (x², W·x, softmax),
 * central differences of a model's outputs, and the op-by-op recording as the reference for a
 * model the fast engine runs as one node (one backward pass per Jacobian row through it).
 */
class JacobianTest {
  private static final INDArray XS = Nd4j.create(new float[] {1f, -2f, 0.5f}, new long[] {3});

  /** Records {@code body} on a tape and returns the tape and what it returned. */
  private static Object record(GradientTape tape, Supplier<Object> body) {
    tape.start();
    try {
      return body.get();
    } finally {
      tape.stop();
    }
  }

  @Test
  void theJacobianOfXSquaredIsDiagonalTwoX() {
    INDArray x = XS.dup();
    GradientTape tape = new GradientTape(false);
    Object y = record(tape, () -> {
      tape.watch(x);
      return TensorOps.binary("*", x, x, null);
    });
    INDArray j = tape.jacobian(y, List.of(x)).get(0);
    assertTrue(j.equalsWithEps(Nd4j.diag(x.mul(2)), 1e-6), j.toString());
  }

  @Test
  void theJacobianOfAMatrixTimesAVectorIsTheMatrixAndTheVectorByTheMatrix() {
    INDArray w0 = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});
    Variable w = new Variable(w0.dup());
    Variable v = new Variable(XS.reshape(3, 1).dup());
    Variable unused = new Variable(Nd4j.scalar(DataType.FLOAT, 1f));
    GradientTape tape = new GradientTape(true);
    Object z = record(tape, () -> TensorOps.binary("@", w, v, null));
    List<INDArray> j = tape.jacobian(z, List.of(v, w, unused));
    assertArrayEquals(new long[] {2, 1, 3, 1}, j.get(0).shape());
    assertTrue(j.get(0).reshape(2, 3).equalsWithEps(w0, 1e-6), "dz/dv = W");
    // dz_i/dW_jk = δ_ij v_k
    assertArrayEquals(new long[] {2, 1, 2, 3}, j.get(1).shape());
    for (int i = 0; i < 2; i++) {
      for (int r = 0; r < 2; r++) {
        for (int k = 0; k < 3; k++) assertEquals(i == r ? XS.getDouble(k) : 0, j.get(1).getDouble(i, 0, r, k), 1e-6);
      }
    }
    assertNull(j.get(2), "a source the target does not depend on has no Jacobian");
    // A persistent tape answers again, the same.
    assertTrue(tape.jacobian(z, List.of(v)).get(0).equalsWithEps(j.get(0), 0));
  }

  @Test
  void theSoftmaxJacobianIsDiagPMinusPPTransposed() {
    INDArray x = Nd4j.create(new float[] {0.3f, -1f, 2f, 0.1f}, new long[] {4});
    GradientTape tape = new GradientTape(false);
    Object p = record(tape, () -> {
      tape.watch(x);
      return Tape.unary("softmax", (Traced) dln.runtime.autodiff.Recording.resolve(x));
    });
    INDArray pv = Tape.value((Traced) p);
    INDArray want = Nd4j.diag(pv).sub(pv.reshape(4, 1).mmul(pv.reshape(1, 4)));
    INDArray j = tape.jacobian(p, List.of(x)).get(0);
    assertTrue(j.equalsWithEps(want, 1e-6), j + " vs " + want);
  }

  @Test
  void batchJacobianOfXSquaredHoldsEachSamplesDiagonal() {
    INDArray x = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2});
    GradientTape tape = new GradientTape(false);
    Object y = record(tape, () -> {
      tape.watch(x);
      return TensorOps.binary("*", x, x, null);
    });
    INDArray j = tape.batchJacobian(y, x);
    INDArray want = Nd4j.create(new float[] {2, 0, 0, 4, 6, 0, 0, 8}, new long[] {2, 2, 2});
    assertTrue(j.equalsWithEps(want, 1e-6), j.toString());
  }

  private static Model mlp() {
    Rng.seed(7);
    return new Sequential(List.of(Input.of(3), new Dense(5, "tanh"), new Dense(2, "softmax")));
  }

  private static Model cnn() {
    Rng.seed(7);
    return new Sequential(List.of(Input.of(5, 5, 2), new Conv2D(3, 3, "relu"), new BatchNormalization(), new Flatten(), new Dense(2)));
  }

  private static Model lstm() {
    Rng.seed(7);
    return new Sequential(List.of(Input.of(4, 3), new LSTM(3, false), new Dense(2, "sigmoid")));
  }

  /** The model's Jacobians by its input and its trainable weights on a non-persistent tape (fast, or op by op with {@code samediff}). */
  private static List<INDArray> jacobians(Model m, INDArray x, boolean samediff, boolean batch) {
    String before = System.getProperty(FastEngine.PROPERTY);
    if (samediff) System.setProperty(FastEngine.PROPERTY, "samediff");
    try {
      GradientTape tape = new GradientTape(false);
      Object out = record(tape, () -> {
        tape.watch(x);
        return tape.apply(m, List.of(x), false).get(0);
      });
      assertEquals(!samediff, tape.ranFast(), "which path the call took");
      if (batch) return List.of(tape.batchJacobian(out, x));
      List<Object> sources = new ArrayList<>(List.of(x));
      // model.trainable_weights (the fast node gives the moving statistics no gradient).
      for (Weight w : m.weightList()) if (w.isTrainable()) sources.add(w.variable());
      return tape.jacobian(out, sources);
    } finally {
      if (before == null) System.clearProperty(FastEngine.PROPERTY);
      else System.setProperty(FastEngine.PROPERTY, before);
    }
  }

  /** The fast node's Jacobians (one backward pass of it per row) equal the op-by-op recording's. */
  private static void fastMatchesOpByOp(Model m, INDArray x) {
    for (boolean batch : new boolean[] {false, true}) {
      List<INDArray> fast = jacobians(m, x, false, batch);
      List<INDArray> ref = jacobians(m, x, true, batch);
      for (int i = 0; i < ref.size(); i++) {
        if (ref.get(i) == null) {
          assertNull(fast.get(i), "source " + i);
          continue;
        }
        assertNotNull(fast.get(i), m.name() + (batch ? " batch_jacobian" : " jacobian") + " source " + i);
        assertArrayEquals(ref.get(i).shape(), fast.get(i).shape(), "source " + i);
        double scale = Math.max(1, ref.get(i).amaxNumber().doubleValue());
        double diff = ref.get(i).sub(fast.get(i)).amaxNumber().doubleValue();
        assertTrue(diff < 1e-4 * scale, (batch ? "batch_jacobian" : "jacobian") + " source " + i + ": " + diff);
      }
    }
  }

  @Test
  void aFastModelsJacobiansEqualTheOpByOpRecording() {
    fastMatchesOpByOp(mlp(), Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5));
    fastMatchesOpByOp(cnn(), Nd4j.rand(DataType.FLOAT, 3, 5, 5, 2).subi(0.5));
    fastMatchesOpByOp(lstm(), Nd4j.rand(DataType.FLOAT, 3, 4, 3).subi(0.5));
  }

  @Test
  void aModelsJacobianByItsInputMatchesCentralDifferences() {
    Model m = mlp();
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3).subi(0.5);
    INDArray j = jacobians(m, x, false, false).get(0);
    assertArrayEquals(new long[] {2, 2, 2, 3}, j.shape());
    INDArray bj = jacobians(m, x, false, true).get(0);
    assertArrayEquals(new long[] {2, 2, 3}, bj.shape());
    double eps = 1e-2;
    for (int b = 0; b < 2; b++) {
      for (int f = 0; f < 3; f++) {
        INDArray up = x.dup();
        up.putScalar(new long[] {b, f}, x.getDouble(b, f) + eps);
        INDArray down = x.dup();
        down.putScalar(new long[] {b, f}, x.getDouble(b, f) - eps);
        INDArray d = m.call(List.of(up)).get(0).sub(m.call(List.of(down)).get(0)).divi(2 * eps);
        for (int r = 0; r < 2; r++) {
          for (int o = 0; o < 2; o++) {
            assertEquals(d.getDouble(r, o), j.getDouble(r, o, b, f), 1e-3, "J[" + r + "," + o + "," + b + "," + f + "]");
            if (r == b) assertEquals(d.getDouble(r, o), bj.getDouble(b, o, f), 1e-3, "batch J");
          }
        }
      }
    }
  }

  @Test
  void batchJacobianGivesZerosForAnUnconnectedSourceAndRefusesMismatchedBatches() {
    INDArray x = Nd4j.ones(DataType.FLOAT, 2, 3);
    INDArray other = Nd4j.ones(DataType.FLOAT, 2, 4);
    INDArray short1 = Nd4j.ones(DataType.FLOAT, 3, 3);
    GradientTape tape = new GradientTape(true);
    Object y = record(tape, () -> {
      tape.watch(x);
      tape.watch(other);
      tape.watch(short1);
      return TensorOps.binary("*", x, x, null);
    });
    INDArray z = tape.batchJacobian(y, other);
    assertArrayEquals(new long[] {2, 3, 4}, z.shape());
    assertEquals(0, z.amaxNumber().doubleValue(), 0, "TensorFlow's batch_jacobian gives zeros there");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> tape.batchJacobian(y, short1));
    assertTrue(e.getMessage().contains("first dimension"), e.getMessage());
  }

  @Test
  void aNonTapeTargetOrASecondCallOnANonPersistentTapeIsRefused() {
    Variable v = new Variable(XS.dup());
    GradientTape tape = new GradientTape(false);
    Object y = record(tape, () -> TensorOps.binary("*", v, v, null));
    DlnRuntimeException outside = assertThrows(DlnRuntimeException.class, () -> tape.jacobian(XS, List.of(v)));
    assertTrue(outside.getMessage().contains("not computed inside"), outside.getMessage());
    assertFalse(tape.jacobian(y, List.of(v)).isEmpty());
    DlnRuntimeException again = assertThrows(DlnRuntimeException.class, () -> tape.jacobian(y, List.of(v)));
    assertTrue(again.getMessage().contains("non-persistent"), again.getMessage());
    assertThrows(DlnRuntimeException.class, () -> tape.gradient(y, List.of(v)), "nor a gradient after it");
  }
}

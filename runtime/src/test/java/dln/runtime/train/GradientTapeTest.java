package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.Dense;
import dln.runtime.tensor.TensorOps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The gradient tape differentiates what a model computes while it records, by the model's own weights. */
class GradientTapeTest {
  private static final INDArray X = Nd4j.create(new float[] {0.5f, -1f, 2f, 1.5f, 0.2f, -0.7f}, new long[] {3, 2});
  private static final INDArray Y = Nd4j.create(new float[] {1, 0, 1}, new long[] {3});

  private static Sequential model() {
    Sequential m = new Sequential();
    m.add(new Dense(4, "tanh").withInputShape(2));
    m.add(new Dense(2));
    return m;
  }

  private static final Loss LOSS = Loss.byName("sparse_categorical_crossentropy").withFromLogits(true);

  private static double lossNow(Sequential m) {
    return LOSS.value(Y, m.call(List.of(X)).get(0));
  }

  /** The model's loss on (X, Y), recorded by the tape. */
  private static Traced recordLoss(GradientTape tape, Sequential m) {
    tape.start();
    try {
      return tape.loss(LOSS, Y, tape.apply(m, List.of(X), true).get(0));
    } finally {
      tape.stop();
    }
  }

  @Test
  void weightGradientsMatchFiniteDifferences() {
    Sequential m = model();
    GradientTape tape = new GradientTape(false);
    Traced loss = recordLoss(tape, m);
    assertEquals(lossNow(m), Tape.value(loss).getDouble(0), 1e-5, "the recorded loss is the model's loss now");
    List<Object> vars = new ArrayList<>();
    for (Weight w : m.weightList()) vars.add(w.variable());
    List<INDArray> grads = tape.gradient(loss, vars);
    double eps = 1e-3;
    for (int i = 0; i < vars.size(); i++) {
      INDArray w = ((Variable) vars.get(i)).value();
      for (long j = 0; j < w.length(); j++) {
        double expected = NestedTapeTest.centralDifference(() -> lossNow(m), w, j, eps);
        assertEquals(expected, grads.get(i).getDouble(j), 2e-3, "weight " + i + " element " + j);
      }
    }
  }

  @Test
  void aLaterStepGetsTheGradientsAndLossOfItsOwnDataAndWeights() {
    Sequential m = model();
    List<Object> vars = new ArrayList<>();
    for (Weight w : m.weightList()) vars.add(w.variable());
    GradientTape first = new GradientTape(false);
    first.gradient(recordLoss(first, m), vars);
    // Other weights and another batch of the same shape: nothing from the first step may leak in.
    m.weightList().get(0).value().addi(0.25);
    INDArray x2 = X.mul(-1.5);
    GradientTape reused = new GradientTape(false);
    Traced loss;
    reused.start();
    try {
      loss = reused.loss(LOSS, Y, reused.apply(m, List.of(x2), true).get(0));
    } finally {
      reused.stop();
    }
    List<INDArray> got = reused.gradient(loss, vars);
    GradientTape fresh = new GradientTape(true); // persistent: differentiates a copy of its graph
    Traced again;
    fresh.start();
    try {
      again = fresh.loss(LOSS, Y, fresh.apply(m, List.of(x2), true).get(0));
    } finally {
      fresh.stop();
    }
    List<INDArray> want = fresh.gradient(again, vars);
    for (int i = 0; i < want.size(); i++) assertTrue(want.get(i).equalsWithEps(got.get(i), 1e-5), "weight " + i);
    assertEquals(LOSS.value(Y, m.call(List.of(x2)).get(0)), Tape.value(loss).getDouble(0), 1e-5,
        "the loss kept from the gradient's forward pass is this step's");
  }

  @Test
  void variablesMatchGradOfTheSameFunction() {
    Variable w = new Variable(Nd4j.create(new float[] {1f, -2f}, new long[] {2, 1}));
    GradientTape tape = new GradientTape(false);
    tape.start();
    Object loss;
    try {
      Object y = TensorOps.binary("@", X, w, null);
      loss = Tape.reduce("mean", (Traced) TensorOps.binary("*", y, y, null), null, false);
    } finally {
      tape.stop();
    }
    INDArray fromTape = tape.gradient(loss, List.of(w)).get(0);
    INDArray fromGrad = Tape.gradients(List.of(w.value()), p -> {
      Object y = Tape.binary("@", X, p.get(0));
      return Tape.reduce("mean", Tape.binary("*", y, y), null, false);
    }).get(0);
    assertTrue(fromTape.equalsWithEps(fromGrad, 1e-5), fromTape + " vs " + fromGrad);
  }

  @Test
  void applyGradientsUpdatesTheModelsWeights() {
    Sequential m = model();
    double before = lossNow(m);
    Optimizer sgd = new SGD(0.5, 0, false);
    for (int step = 0; step < 20; step++) {
      GradientTape tape = new GradientTape(false);
      Traced loss = recordLoss(tape, m);
      List<Object> vars = new ArrayList<>();
      List<INDArray> params = new ArrayList<>();
      for (Weight w : m.weightList()) {
        vars.add(w.variable());
        params.add(w.value());
      }
      sgd.applyGradients(params, tape.gradient(loss, vars), 0);
    }
    assertTrue(lossNow(m) < before / 2, "loss " + before + " -> " + lossNow(m));
  }

  @Test
  void aTargetFromElsewhereOrASecondCallIsRefused() {
    Variable v = new Variable(Nd4j.scalar(DataType.FLOAT, 2f));
    Variable unused = new Variable(Nd4j.scalar(DataType.FLOAT, 1f));
    GradientTape tape = new GradientTape(false);
    tape.start();
    Object y;
    try {
      y = TensorOps.binary("*", v, v, null);
    } finally {
      tape.stop();
    }
    DlnRuntimeException outside = assertThrows(DlnRuntimeException.class, () -> tape.gradient(X, List.of(v)));
    assertTrue(outside.getMessage().contains("not computed inside"), outside.getMessage());
    List<INDArray> g = tape.gradient(y, List.of(v, unused));
    assertEquals(4.0, g.get(0).getDouble(0), 1e-6);
    assertNull(g.get(1), "a source the target does not depend on has no gradient");
    DlnRuntimeException again = assertThrows(DlnRuntimeException.class, () -> tape.gradient(y, List.of(v)));
    assertTrue(again.getMessage().contains("non-persistent"), again.getMessage());
  }

  @Test
  void aPersistentTapeDifferentiatesSeveralTargets() {
    Variable c = new Variable(Nd4j.scalar(DataType.FLOAT, 3f));
    GradientTape tape = new GradientTape(true);
    tape.start();
    Object y;
    Object z;
    try {
      y = TensorOps.binary("*", c, c, null);
      z = TensorOps.binary("*", y, y, null);
    } finally {
      tape.stop();
    }
    assertEquals(6.0, tape.gradient(y, List.of(c)).get(0).getDouble(0), 1e-5);
    assertEquals(108.0, tape.gradient(z, List.of(c)).get(0).getDouble(0), 1e-3);
  }
  @Test
  void withoutWatchingAccessedVariablesOnlyTheWatchedOnesGetGradients() {
    Variable a = new Variable(Nd4j.scalar(DataType.FLOAT, 2f));
    Variable b = new Variable(Nd4j.scalar(DataType.FLOAT, 3f));
    GradientTape tape = new GradientTape(false, false);
    tape.start();
    Object y;
    try {
      tape.watchVariable(a);
      y = TensorOps.binary("*", TensorOps.binary("*", a, a, null), b, null);
    } finally {
      tape.stop();
    }
    List<INDArray> g = tape.gradient(y, List.of(a, b));
    assertEquals(12.0, g.get(0).getDouble(0), 1e-5, "d(a²b)/da = 2ab, b a constant");
    assertNull(g.get(1), "b is not watched");
    // A model's weights on both tape paths (the fast node, op by op): only the watched kernel gets one.
    for (boolean persistent : new boolean[] {false, true}) {
      Sequential m = model();
      Weight kernel = m.weightList().get(0);
      GradientTape t = new GradientTape(persistent, false);
      Traced loss;
      t.start();
      try {
        t.watchVariable(kernel.variable());
        loss = t.loss(LOSS, Y, t.apply(m, List.of(X), true).get(0));
      } finally {
        t.stop();
      }
      assertEquals(!persistent, t.ranFast(), "which path the call took");
      List<Object> vars = new ArrayList<>();
      for (Weight w : m.weightList()) vars.add(w.variable());
      List<INDArray> grads = t.gradient(loss, vars);
      GradientTape all = new GradientTape(true);
      List<INDArray> want = all.gradient(recordLoss(all, m), vars);
      assertTrue(want.get(0).equalsWithEps(grads.get(0), 1e-5), "the watched kernel's gradient is the usual one");
      for (int i = 1; i < vars.size(); i++) assertNull(grads.get(i), "persistent=" + persistent + " weight " + i);
    }
  }

  @Test
  void whatIsComputedWhileRecordingStopsIsAConstant() {
    Variable x = new Variable(Nd4j.scalar(DataType.FLOAT, 3f));
    GradientTape tape = new GradientTape(false);
    tape.start();
    Object z;
    try {
      Object y = TensorOps.binary("*", x, x, null);
      tape.stopRecording();
      Object c;
      Object d;
      try {
        c = TensorOps.binary("*", y, 2.0, null);
        d = TensorOps.binary("*", x, 10.0, null);
      } finally {
        tape.resumeRecording();
      }
      assertTrue(c instanceof INDArray && d instanceof INDArray, "computed eagerly: " + c + ", " + d);
      z = TensorOps.binary("+", TensorOps.binary("+", y, c, null), d, null);
    } finally {
      tape.stop();
    }
    assertEquals(9 + 18 + 30, Tape.value((Traced) z).getDouble(0), 1e-5);
    assertEquals(6.0, tape.gradient(z, List.of(x)).get(0).getDouble(0), 1e-5, "only y = x² carries a gradient");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, tape::stopRecording);
    assertTrue(e.getMessage().contains("not recording"), e.getMessage());
  }
}

package dln.runtime.train;

import static dln.runtime.train.fast.FastEngineTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Traced;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.tensor.TensorOps;
import dln.runtime.train.fast.FastEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model called inside a gradient tape runs as one node on the fast engine (forward and backward
 * pass); the same tape recorded op by op in SameDiff ({@code -Ddln.engine=samediff}) is the
 * reference: same weights, same dropout draws, so losses and gradients agree to the engines' float
 * tolerance (FastEngineTest's).
 */
class FastTapeTest {
  private static final Loss LOGITS = Loss.byName("sparse_categorical_crossentropy").withFromLogits(true);
  private static final Loss BCE = Loss.byName("binary_crossentropy").withFromLogits(true);

  /** What a tape step gives back: the recorded target's value and the gradients of the sources. */
  private record Step(double loss, List<INDArray> grads, boolean fast) {}

  /**
   * Records {@code body} on models from {@code build} (fresh copies with the weights of
   * {@code weightsFrom}) and differentiates it by {@code sources(models)}, on the fast path or,
   * with {@code samediff}, op by op.
   */
  private static Step step(List<Model> models, boolean samediff, Function<List<Model>, Object> body, Function<List<Model>, List<Object>> sources) {
    String before = System.getProperty(FastEngine.PROPERTY);
    if (samediff) System.setProperty(FastEngine.PROPERTY, "samediff");
    try {
      Rng.seed(42);
      GradientTape tape = new GradientTape(false);
      Object target;
      tape.start();
      try {
        target = body.apply(models);
      } finally {
        tape.stop();
      }
      List<INDArray> grads = tape.gradient(target, sources.apply(models));
      return new Step(Tape.value((Traced) target).sumNumber().doubleValue(), grads, tape.ranFast());
    } finally {
      if (before == null) System.clearProperty(FastEngine.PROPERTY);
      else System.setProperty(FastEngine.PROPERTY, before);
    }
  }

  /** Two copies of each model with the same weights: one set per path. */
  private static List<List<Model>> copies(List<Supplier<Model>> builds) {
    List<Model> a = new ArrayList<>();
    List<Model> b = new ArrayList<>();
    for (Supplier<Model> s : builds) {
      Model x = s.get();
      Model y = s.get();
      for (int i = 0; i < x.weightList().size(); i++) y.weightList().get(i).value().assign(x.weightList().get(i).value());
      a.add(x);
      b.add(y);
    }
    return List.of(a, b);
  }

  /** Runs the tape both ways and checks the loss and every gradient agree; returns the two copies. */
  private static List<List<Model>> bothAgree(List<Supplier<Model>> builds, Function<List<Model>, Object> body,
      Function<List<Model>, List<Object>> sources) {
    List<List<Model>> m = copies(builds);
    Step ref = step(m.get(0), true, body, sources);
    Step fast = step(m.get(1), false, body, sources);
    assertFalse(ref.fast(), "the reference records op by op");
    assertTrue(fast.fast(), "the model call runs on the fast engine");
    assertClose(ref.loss(), fast.loss(), "loss");
    assertEquals(ref.grads().size(), fast.grads().size());
    for (int i = 0; i < ref.grads().size(); i++) {
      assertNotNull(ref.grads().get(i), "reference gradient " + i);
      assertNotNull(fast.grads().get(i), "fast gradient " + i);
      assertClose(ref.grads().get(i), fast.grads().get(i), "gradient " + i);
    }
    return m;
  }

  private static List<Object> variables(Model... models) {
    List<Object> vs = new ArrayList<>();
    for (Model m : models) for (Model.WeightRef r : m.weightRefs()) if (r.trainable()) vs.add(r.weight().variable());
    return vs;
  }

  private static INDArray randn(long... shape) {
    Nd4j.getRandom().setSeed(7);
    return Nd4j.randn(DataType.FLOAT, shape);
  }

  private static final INDArray X = randn(16, 6);
  private static final INDArray LABELS = Nd4j.create(new float[] {0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0, 2}, new long[] {16});

  private static Model mlp() {
    return new Sequential(List.of(Input.of(6), new Dense(12, "relu"), new Dropout(0.3), new Dense(10, "tanh"), new Dropout(0.2), new Dense(3)));
  }

  private static Traced apply(Model m, Object x) {
    return GradientTape.recording().apply(m, List.of(x), true).get(0);
  }

  private static Traced loss(Loss l, INDArray y, Traced pred) {
    return GradientTape.recording().loss(l, y, pred);
  }

  @Test
  void aDenseDropoutMlpGetsTheReferenceGradients() {
    bothAgree(List.of(FastTapeTest::mlp), m -> loss(LOGITS, LABELS, apply(m.get(0), X)), m -> variables(m.get(0)));
  }

  @Test
  void aCnnWithBatchNormalizationGetsTheReferenceGradientsAndMovesItsStatistics() {
    INDArray images = randn(8, 6, 6, 2);
    INDArray labels = Nd4j.create(new float[] {0, 1, 2, 1, 0, 2, 2, 1}, new long[] {8});
    Supplier<Model> cnn = () -> new Sequential(List.of(Input.of(6, 6, 2), new Conv2D(4, 3, "linear"), new BatchNormalization(),
        new Conv2D(3, 3, "relu"), new Flatten(), new Dense(3)));
    List<List<Model>> m = bothAgree(List.of(cnn), ms -> loss(LOGITS, labels, apply(ms.get(0), images)), ms -> variables(ms.get(0)));
    // The moving statistics moved as a fit step moves them, on both paths.
    Weight movingMean = batchNorm(m.get(1).get(0)).weight("moving_mean");
    Weight movingVariance = batchNorm(m.get(1).get(0)).weight("moving_variance");
    assertTrue(movingMean.value().amaxNumber().doubleValue() > 0, "moving mean " + movingMean.value());
    Model fitted = m.get(0).get(0);
    assertClose(batchNorm(fitted).weight("moving_mean").value(), movingMean.value(), "op-by-op tape's moving mean");
    assertClose(batchNorm(fitted).weight("moving_variance").value(), movingVariance.value(), "op-by-op tape's moving variance");
    batchNorm(fitted).weight("moving_mean").value().assign(0);
    batchNorm(fitted).weight("moving_variance").value().assign(1);
    TrainingSession.of(fitted).compile(new CompileConfig(new SGD(1e-9, 0, false), List.of(LOGITS), List.of()));
    TrainingSession.of(fitted).setEngineFactory(SameDiffEngine::new);
    INDArray prepared = LOGITS.prepareLabels(labels, fitted.outputs().get(0).shape());
    Rng.seed(42);
    TrainingSession.of(fitted).engine().trainStep(List.of(images), List.of(prepared), 0);
    assertClose(batchNorm(fitted).weight("moving_mean").value(), movingMean.value(), "moving mean");
    assertClose(batchNorm(fitted).weight("moving_variance").value(), movingVariance.value(), "moving variance");
  }

  /**
   * A custom loop over a BatchNormalization model: a persistent tape records the model op by op,
   * a non-persistent one runs it as one fast node; both move the moving statistics at each call
   * as fit does, so after several steps (with optimiser updates in between) they agree, and the
   * first step's statistics are the closed form m·0.99 + batch·0.01 (biased batch variance).
   */
  @Test
  void aPersistentTapeMovesBatchNormStatisticsAsTheFastNodeAndFitDo() {
    Supplier<Model> bn = () -> new Sequential(List.of(Input.of(6), new BatchNormalization(), new Dense(3)));
    List<List<Model>> m = copies(List.of(bn));
    for (int path = 0; path < 2; path++) {
      Model model = m.get(path).get(0);
      boolean persistent = path == 0;
      SGD sgd = new SGD(0.1, 0, false);
      for (int step = 0; step < 3; step++) {
        GradientTape tape = new GradientTape(persistent);
        Traced l;
        tape.start();
        try {
          l = loss(LOGITS, LABELS, tape.apply(model, List.of(X.mul(step + 1)), true).get(0));
        } finally {
          tape.stop();
        }
        assertEquals(!persistent, tape.ranFast(), "path");
        List<Object> vars = variables(model);
        List<INDArray> params = new ArrayList<>();
        for (Object v : vars) params.add(((dln.runtime.autodiff.Variable) v).value());
        sgd.applyGradients(params, tape.gradient(l, vars), 0);
        if (step == 0) {
          INDArray mean = X.mean(0);
          INDArray var = X.sub(mean.reshape(1, 6)).muli(X.sub(mean.reshape(1, 6))).mean(0);
          assertClose(mean.mul(0.01), batchNorm(model).weight("moving_mean").value(), "closed-form moving mean");
          assertClose(var.mul(0.01).add(0.99), batchNorm(model).weight("moving_variance").value(), "closed-form moving variance");
        }
      }
    }
    for (String w : List.of("moving_mean", "moving_variance")) {
      assertClose(batchNorm(m.get(1).get(0)).weight(w).value(), batchNorm(m.get(0).get(0)).weight(w).value(), w + " after 3 steps");
    }
  }

  /**
   * A loss object on a softmax (sigmoid) output in a tape reads the logits, as fit's loss does:
   * the same loss and gradients as a fit step, on both tape paths, also where a probability
   * underflows (logits ±40 here: probabilities below 1e-17, which clipping at 1e-7 would flatten to
   * a zero gradient).
   */
  @Test
  void aLossOnASoftmaxOrSigmoidOutputMatchesFitEvenForExtremeLogits() {
    INDArray x = Nd4j.create(new float[] {1, 0, 0.5f, 0.2f, 0.1f, -0.3f}, new long[] {3, 2});
    INDArray kernel = Nd4j.create(new float[] {40, -40, 0, 0, 0, 1}, new long[] {2, 3});
    INDArray sparse = Nd4j.create(new float[] {1, 0, 2}, new long[] {3});
    INDArray binary = Nd4j.create(new float[] {0, 1, 1, 0, 0, 1, 1, 1, 0}, new long[] {3, 3});
    String[][] cases = {{"softmax", "sparse_categorical_crossentropy"}, {"softmax", "categorical_crossentropy"},
        {"sigmoid", "binary_crossentropy"}};
    for (String[] c : cases) {
      Loss loss = Loss.byName(c[1]);
      INDArray labels = c[1].startsWith("sparse") ? sparse : c[1].startsWith("categorical") ? Nd4j.eye(3).getRows(1, 0, 2) : binary;
      Supplier<Model> build = () -> {
        Model m = new Sequential(List.of(Input.of(2), new Dense(3, c[0])));
        m.weightList().get(0).value().assign(kernel);
        return m;
      };
      List<List<Model>> m = bothAgree(List.of(build), ms -> loss(loss, labels, apply(ms.get(0), x)), ms -> variables(ms.get(0)));
      Step fast = step(m.get(1), false, ms -> loss(loss, labels, apply(ms.get(0), x)), ms -> variables(ms.get(0)));
      // fit's gradient: one SGD step of rate 1 on a fresh copy moves each weight by minus its gradient.
      Model fitted = build.get();
      TrainingSession.of(fitted).compile(new CompileConfig(new SGD(1.0, 0, false), List.of(loss), List.of()));
      TrainingSession.of(fitted).setEngineFactory(SameDiffEngine::new);
      List<INDArray> before = new ArrayList<>();
      for (Weight w : fitted.weightList()) before.add(w.value().dup());
      double fitLoss = TrainingSession.of(fitted).engine()
          .trainStep(List.of(x), List.of(loss.prepareLabels(labels, fitted.outputs().get(0).shape())), 0).loss();
      assertClose(fitLoss, fast.loss(), c[1] + " loss as fit's");
      assertTrue(fitLoss > 10, c[1] + ": the loss of the underflowing probabilities, " + fitLoss);
      for (int i = 0; i < before.size(); i++) {
        assertClose(before.get(i).sub(fitted.weightList().get(i).value()), fast.grads().get(i), c[1] + " gradient " + i + " as fit's");
      }
    }
  }

  /** Probabilities that come from no softmax are clipped to [1e-7, 1 − 1e-7] before the log, as Keras clips them. */
  @Test
  void aLossOnPlainProbabilitiesClipsThemAsKeras() {
    INDArray p = Nd4j.create(new float[] {0, 1, 0, 0.5f, 0.5f, 0}, new long[] {2, 3});
    GradientTape tape = new GradientTape(false);
    Traced l;
    tape.start();
    try {
      tape.watch(p);
      l = tape.loss(Loss.byName("sparse_categorical_crossentropy"), Nd4j.create(new float[] {0, 1}, new long[] {2}),
          (Traced) dln.runtime.autodiff.Recording.resolve(p));
    } finally {
      tape.stop();
    }
    assertEquals((-Math.log(1e-7) - Math.log(0.5)) / 2, Tape.value(l).getDouble(0), 1e-4);
  }

  private static dln.runtime.nn.Layer batchNorm(Model m) {
    for (dln.runtime.nn.Layer l : m.layers()) if (l instanceof BatchNormalization) return l;
    throw new AssertionError("no BatchNormalization");
  }

  private static final INDArray NOISE = randn(16, 4);

  private static Model generator() {
    return new Sequential(List.of(Input.of(4), new Dense(8, "relu"), new Dense(6, "tanh")));
  }

  private static Model discriminator() {
    return new Sequential(List.of(Input.of(6), new Dense(8, "tanh"), new Dropout(0.25), new Dense(1)));
  }

  @Test
  void aGeneratorFeedingADiscriminatorGetsBothModelsGradients() {
    INDArray ones = Nd4j.ones(DataType.FLOAT, 16, 1);
    bothAgree(List.of(FastTapeTest::generator, FastTapeTest::discriminator),
        m -> loss(BCE, ones, apply(m.get(1), apply(m.get(0), NOISE))), m -> variables(m.get(0), m.get(1)));
  }

  @Test
  void anOutputUsedTwiceSumsItsGradients() {
    bothAgree(List.of(FastTapeTest::mlp), m -> {
      Traced y = apply(m.get(0), X);
      Object squares = Tape.reduce("mean", (Traced) TensorOps.binary("*", y, y, null), null, false);
      return TensorOps.binary("+", loss(LOGITS, LABELS, y), TensorOps.binary("*", squares, 0.1, null), null);
    }, m -> variables(m.get(0)));
  }

  @Test
  void twoCallsOfOneModelInOneTapeEachKeepTheirForward() {
    INDArray other = X.mul(-0.5).add(0.25);
    bothAgree(List.of(FastTapeTest::mlp),
        m -> TensorOps.binary("+", loss(LOGITS, LABELS, apply(m.get(0), X)), loss(LOGITS, LABELS, apply(m.get(0), other)), null),
        m -> variables(m.get(0)));
  }

  @Test
  void aWatchedInputGetsItsGradient() {
    INDArray x = X.dup();
    bothAgree(List.of(FastTapeTest::generator), m -> {
      GradientTape.recording().watch(NOISE);
      Traced y = apply(m.get(0), NOISE);
      return Tape.reduce("sum", (Traced) TensorOps.binary("*", y, y, null), null, false);
    }, m -> {
      List<Object> s = new ArrayList<>(List.of(NOISE));
      s.addAll(variables(m.get(0)));
      return s;
    });
    assertTrue(x.equals(X));
  }

  @Test
  void aPersistentTapeRecordsOpByOp() {
    Model m = mlp();
    GradientTape tape = new GradientTape(true);
    tape.start();
    Traced l;
    try {
      l = tape.loss(LOGITS, LABELS, tape.apply(m, List.of(X), true).get(0));
    } finally {
      tape.stop();
    }
    assertFalse(tape.ranFast(), "a persistent tape may be asked twice: its calls are recorded");
    List<INDArray> first = tape.gradient(l, variables(m));
    List<INDArray> second = tape.gradient(l, variables(m));
    for (int i = 0; i < first.size(); i++) assertClose(first.get(i), second.get(i), "gradient " + i);
  }
}

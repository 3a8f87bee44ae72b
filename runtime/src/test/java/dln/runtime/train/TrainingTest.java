package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerNames;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.train.session.TrainingSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** fit / evaluate / predict behaviour: freezing, inference mode, data checks, callbacks, progress. */
class TrainingTest {
  private INDArray x;
  private INDArray yClass;
  private INDArray yOneHot;

  @BeforeEach
  void data() {
    Nd4j.getRandom().setSeed(11);
    dln.runtime.Rng.seed(11);
    LayerNames.reset();
    x = Nd4j.randn(DataType.FLOAT, 64, 4);
    // Class = whether the first feature is positive: learnable by a linear model.
    yClass = x.getColumn(0).gt(0).castTo(DataType.FLOAT);
    yOneHot = Nd4j.zeros(DataType.FLOAT, 64, 2);
    for (int i = 0; i < 64; i++) yOneHot.putScalar(i, (int) yClass.getDouble(i), 1);
  }

  private static Sequential classifier() {
    return new Sequential(List.of(Input.of(4), new Dense(8, "relu"), new Dropout(0.5), new Dense(2, "softmax")));
  }

  @Test
  void frozenLayersStayBitIdentical() {
    Sequential m = classifier();
    Layer frozen = m.layers().get(0);
    frozen.setTrainable(false);
    List<INDArray> before = new ArrayList<>();
    for (INDArray w : frozen.getWeights()) before.add(w.dup());
    INDArray headBefore = m.layers().get(2).getWeights().get(0).dup();
    TrainingSession.of(m).compile(new Adam(0.01), Loss.byName("categorical_crossentropy"), List.of("accuracy"));
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(3).batchSize(16).seed(1));
    for (int i = 0; i < before.size(); i++) assertEquals(before.get(i), frozen.getWeights().get(i));
    assertNotEquals(headBefore, m.layers().get(2).getWeights().get(0), "the unfrozen head trains");
    assertEquals(40, m.countParams() - m.countTrainableParams());
  }

  @Test
  void frozenBatchNormKeepsItsMovingStatistics() {
    BatchNormalization bn = new BatchNormalization();
    Sequential m = new Sequential(List.of(Input.of(4), bn, new Dense(2, "softmax")));
    TrainingSession.of(m).compile(new SGD(0.1, 0, false), Loss.byName("categorical_crossentropy"), List.of());
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(1).batchSize(64));
    INDArray moving = bn.weight("moving_mean").value();
    // One step with momentum 0.99 moves the moving mean 1% of the way to the batch mean.
    INDArray expected = x.mean(0).muli(0.01);
    assertTrue(expected.equalsWithEps(moving, 1e-5), moving + " vs " + expected);
    bn.setTrainable(false);
    INDArray snapshot = moving.dup();
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(2).batchSize(16));
    assertEquals(snapshot, bn.weight("moving_mean").value());
  }

  @Test
  void predictRunsWithoutDropout() {
    Sequential m = new Sequential(List.of(Input.of(4), new Dropout(0.5)));
    TrainingSession.of(m).compile("sgd", "mse");
    INDArray p1 = TrainingSession.of(m).predict(x);
    assertEquals(x, p1, "dropout is the identity at inference");
    Sequential c = classifier();
    TrainingSession.of(c).compile("adam", "categorical_crossentropy");
    assertEquals(TrainingSession.of(c).predict(x), TrainingSession.of(c).predict(x), "inference is deterministic");
    assertEquals(TrainingSession.of(c).predict(x), c.call(x), "calling a model eagerly is inference");
  }

  @Test
  void dropoutIsActiveInTraining() {
    // With a frozen identity-like model, the training loss differs from the inference loss only by dropout.
    Sequential m = new Sequential(List.of(Input.of(4), new Dropout(0.9), new Dense(1)));
    TrainingSession.of(m).compile(new SGD(1e-9, 0, false), Loss.byName("mse"), List.of());
    INDArray target = Nd4j.zeros(DataType.FLOAT, 64, 1);
    double evalLoss = TrainingSession.of(m).evaluate(x, target).get(0);
    History h = TrainingSession.of(m).fit(x, target, new FitOptions().epochs(1).batchSize(64));
    assertTrue(h.last("loss") > evalLoss * 2, h.last("loss") + " vs " + evalLoss);
  }

  @Test
  void sparseAndOneHotLabelsGiveTheSameLoss() {
    Sequential m = classifier();
    TrainingSession.of(m).compile("sgd", "categorical_crossentropy", "accuracy");
    List<Double> a = TrainingSession.of(m).evaluate(x, yOneHot);
    TrainingSession.of(m).compile("sgd", "sparse_categorical_crossentropy", "accuracy");
    List<Double> b = TrainingSession.of(m).evaluate(x, yClass);
    assertEquals(a.get(0), b.get(0), 1e-6);
    assertEquals(a.get(1), b.get(1), 1e-9);
    TrainingSession.of(m).compile("sgd", "sparse_categorical_crossentropy");
    assertEquals(1, TrainingSession.of(m).evaluate(x, yClass).size(), "the loss alone without metrics");
  }

  @Test
  void crossEntropyValueMatchesHandComputation() {
    Sequential m = new Sequential(List.of(Input.of(4), new Dense(2, "softmax")));
    TrainingSession.of(m).compile("sgd", "categorical_crossentropy");
    INDArray p = TrainingSession.of(m).predict(x);
    double expected = 0;
    for (int i = 0; i < 64; i++) expected -= Math.log(p.getDouble(i, (int) yClass.getDouble(i)));
    expected /= 64;
    assertEquals(expected, TrainingSession.of(m).evaluate(x, yOneHot).get(0), 1e-5);
    TrainingSession.of(m).compile("sgd", "mse", "mae");
    INDArray d = p.sub(yOneHot);
    List<Double> e = TrainingSession.of(m).evaluate(x, yOneHot);
    assertEquals(d.mul(d).meanNumber().doubleValue(), e.get(0), 1e-6);
    assertEquals(org.nd4j.linalg.ops.transforms.Transforms.abs(d).meanNumber().doubleValue(), e.get(1), 1e-6);
  }

  @Test
  void dataChecksSpellOutTheProblem() {
    Sequential m = classifier();
    TrainingSession.of(m).compile("adam", "categorical_crossentropy", "accuracy");
    DlnRuntimeException sparse = assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(m).fit(x, yClass, new FitOptions()));
    assertTrue(sparse.getMessage().contains("one-hot") && sparse.getMessage().contains("(64, 2)"), sparse.getMessage());
    assertTrue(sparse.hint().contains("sparse_categorical_crossentropy") && sparse.hint().contains("to_categorical(y, 2)"), sparse.hint());

    DlnRuntimeException features = assertThrows(DlnRuntimeException.class,
        () -> TrainingSession.of(m).fit(Nd4j.rand(DataType.FLOAT, 64, 2, 2), yOneHot, new FitOptions()));
    assertTrue(features.getMessage().contains("(4,)") && features.getMessage().contains("(64, 2, 2)"), features.getMessage());
    assertTrue(features.hint().contains("2 × 2 = 4"), features.hint());

    DlnRuntimeException count = assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(m).fit(x, yOneHot.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)), new FitOptions()));
    assertTrue(count.getMessage().contains("64 samples") && count.getMessage().contains("10"), count.getMessage());

    TrainingSession.of(m).compile("adam", "sparse_categorical_crossentropy");
    DlnRuntimeException range = assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(m).fit(x, yClass.mul(2), new FitOptions()));
    assertTrue(range.getMessage().contains("label 2") && range.getMessage().contains("0..1"), range.getMessage());
    DlnRuntimeException oneHot = assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(m).fit(x, yOneHot, new FitOptions()));
    assertTrue(oneHot.hint().contains("categorical_crossentropy"), oneHot.hint());

    Sequential r = new Sequential(List.of(Input.of(4), new Dense(3)));
    TrainingSession.of(r).compile("sgd", "mse");
    DlnRuntimeException units = assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(r).fit(x, yOneHot, new FitOptions()));
    assertTrue(units.getMessage().contains("2 values per sample") && units.getMessage().contains("outputs 3"), units.getMessage());

    Sequential notCompiled = classifier();
    assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(notCompiled).fit(x, yOneHot, new FitOptions()));
  }

  @Test
  void historyValidationAndProgress() {
    Sequential m = classifier();
    TrainingSession.of(m).compile(new Adam(0.01), Loss.byName("categorical_crossentropy"), List.of("accuracy"));
    StringWriter text = new StringWriter();
    AtomicInteger batches = new AtomicInteger();
    List<Integer> epochsSeen = new ArrayList<>();
    History h = TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(3).batchSize(16).validationSplit(0.25)
        .progress(new ProgressBar(new PrintWriter(text), false, 1))
        .callback(new Callback() {
          @Override
          public void onBatchEnd(int batch, java.util.Map<String, Double> logs, TrainingContext c) {
            batches.incrementAndGet();
          }
        })
        .callback((EpochCallback) (epoch, logs) -> epochsSeen.add(epoch)));
    assertEquals(List.of(0, 1, 2), h.epochs());
    assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), new ArrayList<>(h.history().keySet()));
    assertEquals(3, h.history().get("val_loss").size());
    assertEquals(3 * 3, batches.get(), "48 training samples in batches of 16");
    assertEquals(List.of(0, 1, 2), epochsSeen);
    String out = text.toString();
    assertTrue(out.contains("Epoch 1/3 - ") && out.contains("loss: ") && out.contains("val_accuracy: "), out);
    assertEquals(3, out.lines().count(), out);
  }

  @Test
  void terminalBarRedrawsInPlace() {
    Sequential m = classifier();
    TrainingSession.of(m).compile("adam", "categorical_crossentropy", "accuracy");
    StringWriter text = new StringWriter();
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(1).batchSize(8).progress(new ProgressBar(new PrintWriter(text), true, 1)));
    String out = text.toString();
    assertTrue(out.startsWith("Epoch 1/1\n"), out);
    assertTrue(out.contains("\r8/8 [==============================] - "), out);
    assertTrue(out.contains("ms/step") || out.contains("us/step") || out.contains("s/step"), out);
  }

  @Test
  void cancellationStopsAfterTheCurrentBatchAndKeepsHistory() {
    Sequential m = classifier();
    TrainingSession.of(m).compile("adam", "categorical_crossentropy");
    AtomicInteger polls = new AtomicInteger();
    History first = TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(2).batchSize(16));
    History h = TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(5).batchSize(16).shouldStop(() -> polls.incrementAndGet() >= 6));
    assertEquals(6, polls.get(), "polled once per batch, stopped at the sixth");
    assertTrue(h.interrupted());
    assertEquals(List.of(0), h.epochs(), "the first epoch (4 batches) completed; the second was cut short");
    assertFalse(first.interrupted());
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    Sequential m = classifier();
    TrainingSession.of(m).compile(new SGD(0.1, 0, false), Loss.byName("categorical_crossentropy"), List.of());
    // A validation set with flipped labels gets worse as training improves: stops early.
    INDArray flipped = Nd4j.ones(DataType.FLOAT, 64, 2).subi(yOneHot);
    EarlyStopping es = new EarlyStopping("val_loss", 1, true);
    History h = TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(50).batchSize(16).validationData(x, flipped).callback(es).seed(2));
    assertTrue(h.epochs().size() < 50, "stopped early after " + h.epochs().size());
    double best = h.history().get("val_loss").stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertEquals(best, TrainingSession.of(m).evaluate(x, flipped).get(0), 1e-4, "best weights restored");
    EarlyStopping missing = new EarlyStopping("val_loss", 1, false);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> TrainingSession.of(m).fit(x, yOneHot, new FitOptions().callback(missing)));
    assertTrue(e.hint().contains("validation_split"), e.hint());
  }

  /**
   * Keras's rule (keras.callbacks.EarlyStopping): an epoch without improvement counts against
   * patience at once, and training stops when wait >= patience. With min_delta larger than any
   * possible gain only the first epoch "improves" (from nothing), so patience=1 trains 2 epochs and
   * patience=3 trains 4, as Keras does.
   */
  @Test
  void earlyStoppingCountsPatienceAsKerasDoes() {
    for (int patience : new int[] {1, 3}) {
      Sequential m = new Sequential(List.of(Input.of(4), new Dense(2, "softmax")));
      TrainingSession.of(m).compile(new SGD(0.1, 0, false), Loss.byName("categorical_crossentropy"), List.of());
      EarlyStopping es = new EarlyStopping("loss", 10, patience, "auto", false);
      History h = TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(20).batchSize(16).callback(es).seed(1));
      assertEquals(patience + 1, h.epochs().size(), "epochs trained with patience " + patience);
    }
  }

  @Test
  void terminateOnNanStopsTraining() {
    Sequential m = new Sequential(List.of(Input.of(4), new Dense(1)));
    TrainingSession.of(m).compile(new SGD(1e6, 0, false), Loss.byName("mse"), List.of());
    TerminateOnNaN t = new TerminateOnNaN();
    History h = TrainingSession.of(m).fit(x.mul(100), yClass, new FitOptions().epochs(20).batchSize(8).callback(t));
    assertTrue(t.terminated());
    assertTrue(h.epochs().size() < 20);
  }

  @Test
  void checkpointsCallTheSaver() {
    Sequential m = classifier();
    TrainingSession.of(m).compile("adam", "categorical_crossentropy", "accuracy");
    List<String> saved = new ArrayList<>();
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(2).batchSize(32).validationSplit(0.25)
        .callback(new ModelCheckpoint("ckpt-{epoch:02d}-{val_loss:.2f}.dlnm", "val_loss", false, "auto", (model, path) -> saved.add(path))));
    assertEquals(2, saved.size());
    assertTrue(saved.get(0).matches("ckpt-01-\\d\\.\\d\\d\\.dlnm"), saved.get(0));
  }

  @Test
  void everyOptimizerReducesTheLoss() {
    for (Optimizer opt : List.of(new SGD(0.05, 0, false), new SGD(0.05, 0.9, false), new SGD(0.05, 0.9, true), new Adam(0.01),
        new AdamW(0.01, 0.004), new Nadam(0.01), new RMSprop(0.01), new Adagrad(0.1), new Adadelta(1.0))) {
      Nd4j.getRandom().setSeed(5);
      dln.runtime.Rng.seed(5);
      Sequential m = new Sequential(List.of(Input.of(4), new Dense(2, "softmax")));
      TrainingSession.of(m).compile(opt, Loss.byName("categorical_crossentropy"), List.of());
      double before = TrainingSession.of(m).evaluate(x, yOneHot).get(0);
      TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(5).batchSize(16).seed(1));
      double after = TrainingSession.of(m).evaluate(x, yOneHot).get(0);
      assertTrue(after < before, opt + ": " + before + " -> " + after);
      assertEquals(20, opt.iterations());
    }
  }

  @Test
  void schedulesAndPlateau() {
    StepDecay step = new StepDecay(0.1, 0.5, 10);
    assertEquals(0.1, step.rate(0, 9), 1e-12);
    assertEquals(0.05, step.rate(0, 10), 1e-12);
    ExponentialDecay exp = new ExponentialDecay(0.1, 100, 0.5, false);
    assertEquals(0.1 * Math.pow(0.5, 0.5), exp.rate(50, 0), 1e-12);
    assertEquals(0.1, new ExponentialDecay(0.1, 100, 0.5, true).rate(99, 0), 1e-12);
    CosineDecay cos = new CosineDecay(0.0, 100, 0.0, 10, 0.1);
    assertEquals(0.05, cos.rate(5, 0), 1e-12);
    assertEquals(0.1, cos.rate(10, 0), 1e-12);
    assertEquals(0.05, cos.rate(60, 0), 1e-12);
    assertEquals(0.0, cos.rate(500, 0), 1e-12);

    Sequential m = classifier();
    Adam adam = new Adam(0.01);
    adam.setSchedule(new ExponentialDecay(0.01, 4, 0.5, true));
    TrainingSession.of(m).compile(adam, Loss.byName("categorical_crossentropy"), List.of());
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(2).batchSize(16));
    assertEquals(0.0025, adam.currentLearningRate(2), 1e-12, "8 steps = two halvings");

    Sequential p = classifier();
    SGD fixed = new SGD(0.1, 0, false);
    TrainingSession.of(p).compile(fixed, Loss.byName("categorical_crossentropy"), List.of());
    INDArray flipped = Nd4j.ones(DataType.FLOAT, 64, 2).subi(yOneHot);
    History h = TrainingSession.of(p).fit(x, yOneHot, new FitOptions().epochs(4).batchSize(16).validationData(x, flipped)
        .callback(new ReduceLROnPlateau("val_loss", 0.5, 0)));
    assertTrue(fixed.learningRate() < 0.1, "reduced to " + fixed.learningRate() + " " + h.history());
    assertEquals(4, h.history().get("lr").size());
  }

  @Test
  void multiInputModelsTrain() {
    SymbolicTensor a = Input.of(2);
    SymbolicTensor b = Input.of(2);
    SymbolicTensor joined = new Concatenate().apply(List.of(a, b)).get(0);
    SymbolicTensor out = new Dense(2, "softmax").apply(new Dense(8, "tanh").apply(joined));
    Model m = new Model(List.of(a, b), List.of(out));
    TrainingSession.of(m).compile(new Adam(0.05), Loss.byName("categorical_crossentropy"), List.of("accuracy"));
    INDArray xa = x.getColumns(0, 1);
    INDArray xb = x.getColumns(2, 3);
    History h = TrainingSession.of(m).fit(List.of(xa, xb), List.of(yOneHot), new FitOptions().epochs(30).batchSize(16).seed(4));
    assertTrue(h.last("accuracy") > 0.9, h.history().toString());
    assertEquals(64, TrainingSession.of(m).predict(List.of(xa, xb), 10).get(0).size(0));
  }

  @Test
  void sequentialWithoutInputShapeIsBuiltByFit() {
    Sequential m = new Sequential();
    m.add(new Dense(8, "relu"));
    m.add(new Dense(2, "softmax"));
    TrainingSession.of(m).compile("adam", "categorical_crossentropy", "accuracy");
    TrainingSession.of(m).fit(x, yOneHot, new FitOptions().epochs(1));
    assertEquals(4 * 8 + 8 + 8 * 2 + 2, m.countParams());
    assertTrue(m.summary().contains("(None, 8)"));
  }
}

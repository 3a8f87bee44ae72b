package dln.runtime.train.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.train.Callback;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.TrainingContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A model's training state lives in its one session, which every holder of the model reaches. */
class TrainingSessionTest {
  private final INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 2);
  private final INDArray y = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 1);

  @BeforeEach
  void seed() {
    Rng.seed(7);
  }

  @Test
  void eachModelHasOneSession() {
    Sequential a = new Sequential(List.of(Input.of(2), new Dense(1)));
    Sequential b = new Sequential(List.of(Input.of(2), new Dense(1)));
    assertSame(TrainingSession.of(a), TrainingSession.of(a), "the same model, the same session");
    assertNotSame(TrainingSession.of(a), TrainingSession.of(b), "another model, another session");
    assertSame(a, TrainingSession.of(a).model());
    TrainingSession.of(a).compile("sgd", "mse");
    assertEquals("mean_squared_error", TrainingSession.of(a).compileConfig().loss(0, 1).name());
    assertNull(TrainingSession.of(b).compileConfig(), "compiling one model leaves the other uncompiled");
  }

  @Test
  void fitKeepsTheHistoryOnTheSession() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(1)));
    TrainingSession s = TrainingSession.of(m);
    assertNull(s.history(), "no history before fit");
    s.compile("sgd", "mse");
    History h = s.fit(x, y, new FitOptions().epochs(2).batchSize(8));
    assertSame(h, TrainingSession.of(m).history());
    assertEquals(List.of(0, 1), h.epochs());
  }

  @Test
  void aCallbackStopsFitThroughTheContext() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(1)));
    TrainingSession s = TrainingSession.of(m);
    s.compile("sgd", "mse");
    Callback stopAfterFirst = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
        context.stopTraining();
      }
    };
    History h = s.fit(x, y, new FitOptions().epochs(5).batchSize(8).callbacks(List.of(stopAfterFirst)));
    assertEquals(List.of(0), h.epochs(), "the epoch that raised the signal is the last");
    assertTrue(s.stopTraining(), "the signal stays raised after fit, as Keras's stop_training does");
    s.fit(x, y, new FitOptions().epochs(2).batchSize(8));
    assertFalse(s.stopTraining(), "the next fit starts with the signal lowered");
  }

  /** Records each hook the runtime calls, with the batch number or the log keys it passed. */
  private static final class Recorder implements Callback {
    final List<String> seen = new java.util.ArrayList<>();
    Map<String, Double> testEnd;

    @Override
    public void onBatchBegin(int batch, TrainingContext context) {
      seen.add("batch_begin " + batch);
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {
      seen.add("batch_end " + batch);
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs, TrainingContext context) {
      seen.add("train_end " + logs.keySet());
    }

    @Override
    public void onTestBegin(TrainingContext context) {
      seen.add("test_begin " + (context.model() != null));
    }

    @Override
    public void onTestBatchBegin(int batch, TrainingContext context) {
      seen.add("test_batch_begin " + batch);
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {
      seen.add("test_batch_end " + batch + " " + logs.keySet());
    }

    @Override
    public void onTestEnd(Map<String, Double> logs, TrainingContext context) {
      testEnd = logs;
      seen.add("test_end");
    }
  }

  @Test
  void batchHooksSurroundEachStepAndTrainEndGetsTheLastEpochsLogs() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(1)));
    TrainingSession s = TrainingSession.of(m);
    s.compile("sgd", "mse");
    Recorder r = new Recorder();
    s.fit(x, y, new FitOptions().epochs(1).batchSize(8).validationSplit(0.5).callbacks(List.of(r)));
    assertEquals(List.of("batch_begin 0", "batch_end 0", "test_begin true", "test_batch_begin 0", "test_batch_end 0 [loss]",
        "test_end", "train_end [loss, val_loss]"), r.seen,
        "8 training rows are one batch; fit's validation pass calls the test hooks, as Keras's does");
    assertEquals(List.of("loss"), List.copyOf(r.testEnd.keySet()), "the test hooks see the keys without val_");
  }

  @Test
  void predictWithCallbacksCallsThePredictHooksWithEachBatchsOutputs() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(3)));
    TrainingSession s = TrainingSession.of(m);
    List<String> seen = new java.util.ArrayList<>();
    List<INDArray> kept = new java.util.ArrayList<>();
    dln.runtime.train.Callback c = new dln.runtime.train.Callback() {
      @Override
      public void onPredictBegin(TrainingContext context) {
        seen.add("begin " + (context.model() == m));
      }

      @Override
      public void onPredictBatchBegin(int batch, TrainingContext context) {
        seen.add("batch_begin " + batch);
      }

      @Override
      public void onPredictBatchEnd(int batch, List<INDArray> outputs, TrainingContext context) {
        seen.add("batch_end " + batch + " " + java.util.Arrays.toString(outputs.get(0).shape()));
        kept.add(outputs.get(0));
      }

      @Override
      public void onPredictEnd(TrainingContext context) {
        seen.add("end");
      }
    };
    INDArray out = s.predict(List.of(x), 6, List.of(c)).get(0);
    assertEquals(List.of("begin true", "batch_begin 0", "batch_end 0 [6, 3]", "batch_begin 1", "batch_end 1 [6, 3]",
        "batch_begin 2", "batch_end 2 [4, 3]", "end"), seen, "16 rows in batches of 6");
    assertEquals(out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6), org.nd4j.linalg.indexing.NDArrayIndex.all()), kept.get(0),
        "the first batch's outputs are the result's first rows, kept intact after the engine reused its buffers");
  }

  @Test
  void evaluateWithCallbacksCallsTheTestHooksAndKeysItsResultsAsTheHistory() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(1)));
    TrainingSession s = TrainingSession.of(m);
    s.compile(new dln.runtime.train.CompileConfig(dln.runtime.train.Optimizer.byName("sgd"),
        List.of(dln.runtime.train.Loss.byName("mse")), List.of("mae")));
    Recorder r = new Recorder();
    Map<String, Double> byName = s.evaluateByName(List.of(x), List.of(y), 10, List.of(r));
    assertEquals(List.of("loss", "mae"), List.copyOf(byName.keySet()), "keyed as given, as Keras does");
    assertEquals(List.of("test_begin true", "test_batch_begin 0", "test_batch_end 0 [loss, mae]",
        "test_batch_begin 1", "test_batch_end 1 [loss, mae]", "test_end"), r.seen);
    assertEquals(byName, r.testEnd, "on_test_end gets evaluate's results");
    assertEquals(List.copyOf(byName.values()), s.evaluate(List.of(x), List.of(y), 10), "the list is the dict's values in order");
  }

  @Test
  void callingAModelSeesLayersAddedAfterTheFirstCall() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(3)));
    assertArrayEquals(new long[] {16, 3}, m.call(x).shape());
    assertArrayEquals(new long[] {16, 3}, TrainingSession.of(m).call(x).shape());
    m.add(new Dense(1));
    assertArrayEquals(new long[] {16, 1}, m.call(x).shape(), "the graph evaluation is rebuilt for the new graph");
    assertArrayEquals(new long[] {16, 1}, TrainingSession.of(m).call(x).shape(), "so is the engine");
    assertEquals(TrainingSession.of(m).predict(x), m.call(x), "both are inference on the same weights");
  }
}

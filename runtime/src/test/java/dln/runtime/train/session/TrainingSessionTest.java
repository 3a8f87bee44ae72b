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

package dln.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dln.Dln;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.session.TrainingSession;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Several embedded interpreters training at once on different threads get exactly the results
 * each gets alone (issue 8): no shared mutable state between interpreters, and a seeded run is
 * reproducible whatever else the JVM is doing. The comparison is bit-for-bit, for the fast engine
 * and for the SameDiff one.
 */
class ConcurrentTrainingTest {
  private static final int RUNS = 3;

  /** One seeded fit; seeds differ per run so a mix-up between interpreters would show. */
  private static Result train(int run, boolean sameDiff) {
    Dln d = Dln.builder().out(new StringWriter()).err(new StringWriter()).seed(42 + run).build();
    d.eval("x = randn(2048, 16)\n"
        + "y = to_categorical(argmax(x[:, :3], axis=1), 3)\n"
        + "model = Sequential([Input(16), Dense(64, activation='relu'), Dropout(0.1), Dense(3, activation='softmax')])\n"
        + "model.compile(optimizer=Adam(), loss='categorical_crossentropy')");
    if (sameDiff) TrainingSession.of(d.get("model", Model.class)).setEngineFactory(SameDiffEngine::new);
    d.eval("h = model.fit(x, y, epochs=" + (sameDiff ? 2 : 8) + ", batch_size=32, verbose=0)");
    List<Double> losses = new ArrayList<>();
    for (Object l : (List<?>) d.eval("h.history['loss']")) losses.add(((Number) l).doubleValue());
    List<INDArray> weights = new ArrayList<>();
    for (Weight w : d.get("model", Model.class).weightList()) weights.add(w.value().dup());
    return new Result(losses, weights);
  }

  private record Result(List<Double> losses, List<INDArray> weights) {}

  @Test
  void threeInterpretersAtOnceMatchEachAloneBitForBit() throws Exception {
    check(false);
  }

  @Test
  void theSameWithTheSameDiffEngine() throws Exception {
    check(true);
  }

  private static void check(boolean sameDiff) throws Exception {
    List<Result> alone = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) alone.add(train(run, sameDiff));

    ExecutorService pool = Executors.newFixedThreadPool(RUNS);
    try {
      List<Future<Result>> together = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        int r = run;
        together.add(pool.submit(() -> train(r, sameDiff)));
      }
      for (int run = 0; run < RUNS; run++) {
        Result a = alone.get(run);
        Result t = together.get(run).get();
        assertEquals(a.losses(), t.losses(), "run " + run + ": losses per epoch");
        assertEquals(a.weights().size(), t.weights().size());
        for (int i = 0; i < a.weights().size(); i++) {
          assertArrayEquals(a.weights().get(i).data().asFloat(), t.weights().get(i).data().asFloat(),
              "run " + run + ": weight " + i + " bit-identical");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * predict and evaluate run on the plan the session's engine compiled once: a single-sample
 * predict (the REPL's and an embedder's case) builds nothing per call, new weights are seen
 * without a rebuild (they are updated in place), and compiling again builds a new plan.
 */
class PlanReuseTest {
  private static Model mlp() {
    return new Sequential(List.of(Input.of(20), new Dense(64, "relu"), new Dropout(0.2), new Dense(64, "relu"),
        new Dense(5, "softmax")));
  }

  private static CompileConfig config() {
    return new CompileConfig(new Adam(1e-3), List.of(Loss.byName("categorical_crossentropy")), List.of("accuracy"));
  }

  /** A new MLP's session, compiled for training. */
  private static TrainingSession compiledMlp() {
    TrainingSession s = TrainingSession.of(mlp());
    s.compile(config());
    return s;
  }

  /** One input row for the MLP: a single-sample predict. */
  private static INDArray oneSample() {
    return Nd4j.rand(DataType.FLOAT, 1, 20);
  }

  @Test
  void singleSamplePredictCompilesThePlanOnce() {
    TrainingSession s = compiledMlp();
    INDArray one = oneSample();
    INDArray first = s.predict(one);
    assertInstanceOf(FastEngine.class, s.engine());
    long builds = FastEngine.planBuilds();
    for (int i = 0; i < 200; i++) assertArrayEquals(first.toFloatVector(), s.predict(one).toFloatVector(), 0f);
    INDArray x = Nd4j.rand(DataType.FLOAT, 300, 20);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 300, 5);
    for (int i = 0; i < 300; i++) y.putScalar(i, i % 5, 1f);
    s.predict(x, 128);
    s.evaluate(List.of(x), List.of(y), 128);
    assertEquals(builds, FastEngine.planBuilds(), "predict / evaluate rebuilt the plan");
  }

  @Test
  void newWeightsAreSeenWithoutARebuild() {
    Model m = mlp();
    TrainingSession s = TrainingSession.of(m);
    INDArray one = oneSample();
    INDArray before = s.predict(one);
    long builds = FastEngine.planBuilds();
    List<INDArray> zeros = new ArrayList<>();
    for (INDArray w : m.layers().get(m.layers().size() - 1).getWeights()) zeros.add(Nd4j.zerosLike(w));
    m.layers().get(m.layers().size() - 1).setWeights(zeros);
    INDArray after = s.predict(one);
    assertEquals(builds, FastEngine.planBuilds());
    assertFalse(before.equalsWithEps(after, 1e-6), "the prediction ignored the new weights");
    // Zero kernel and bias: the softmax of zeros, 1/5 each.
    for (float v : after.toFloatVector()) assertEquals(0.2f, v, 1e-6f);
  }

  /** The batch arrays are reused from batch to batch: every engine's outputs must be its own. */
  @Test
  void batchedPredictEqualsOneBatchOnEitherEngine() {
    INDArray x = Nd4j.rand(DataType.FLOAT, 50, 20);
    for (TrainingEngine.Factory factory : List.<TrainingEngine.Factory>of(FastEngine::create, SameDiffEngine::new)) {
      Model m = mlp();
      TrainingSession s = TrainingSession.of(m);
      s.setEngineFactory(factory);
      INDArray whole = s.predict(x, 50);
      INDArray batched = s.predict(x, 7);
      assertArrayEquals(whole.ravel().toFloatVector(), batched.ravel().toFloatVector(), 1e-6f);
    }
  }

  @Test
  void compilingAgainBuildsANewPlan() {
    TrainingSession s = compiledMlp();
    INDArray one = oneSample();
    s.predict(one);
    long builds = FastEngine.planBuilds();
    s.compile(config());
    s.predict(one);
    s.predict(one);
    assertEquals(builds + 1, FastEngine.planBuilds());
  }
}

package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Bidirectional;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.train.FitOptions;
import dln.runtime.train.PerShapeEngine;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models with an input axis of unknown size ({@code Input(shape=(None,))}): the shapes show None,
 * the model runs on data of any length on both engines, and gives exactly what a model built for
 * that fixed length gives with the same weights.
 */
class UnknownAxesTest {
  /** Embedding → Bidirectional(LSTM, sequences) → Bidirectional(LSTM) → Dense(sigmoid), keras.io's IMDB model, small. */
  private static Model textModel(long steps) {
    SymbolicTensor in = Input.typed(null, "int32", steps);
    SymbolicTensor x = new Embedding(30, 6).apply(in);
    x = new Bidirectional(new LSTM(5, true)).apply(x);
    x = new Bidirectional(new LSTM(4, false)).apply(x);
    return new Model(in, new Dense(1, "sigmoid").apply(x));
  }

  private static void copyWeights(Model from, Model to) {
    for (int i = 0; i < from.layers().size(); i++) {
      Layer a = from.layers().get(i);
      if (!a.weightList().isEmpty()) to.layers().get(i).setWeights(a.getWeights());
    }
  }

  private static INDArray tokens(long rows, long steps, long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.FLOAT, rows, steps).muli(30).castTo(DataType.INT32).castTo(DataType.FLOAT);
  }

  @Test
  void summaryShapesShowNoneAndParameterCountsAreKeras() {
    SymbolicTensor in = Input.typed(null, "int32", Shapes.UNKNOWN);
    SymbolicTensor e = new Embedding(20000, 128).apply(in);
    Bidirectional first = new Bidirectional(new LSTM(64, true));
    SymbolicTensor x = first.apply(e);
    Bidirectional second = new Bidirectional(new LSTM(64, false));
    SymbolicTensor y = second.apply(x);
    Dense head = new Dense(1, "sigmoid");
    Model m = new Model(in, head.apply(y));
    assertEquals("(None, None, 128)", Shapes.format(e.shape()));
    assertEquals("(None, None, 128)", Shapes.format(x.shape()));
    assertEquals("(None, 128)", Shapes.format(y.shape()));
    assertEquals(98_816, first.countParams());
    assertEquals(98_816, second.countParams()); // 2 × 4 × (64 × (128 + 64) + 64): its input has 128 features too
    assertEquals(129, head.countParams());
    assertEquals(2_757_761, m.countParams());
  }

  @Test
  void noneLengthModelPredictsAsTheFixedLengthModelOnBothEngines() {
    Model variable = textModel(Shapes.UNKNOWN);
    for (Function<Model, TrainingEngine> engineOf : List.<Function<Model, TrainingEngine>>of(
        m -> new SameDiffEngine(m, null), m -> FastEngine.create(m, null))) {
      TrainingEngine engine = engineOf.apply(variable);
      for (long steps : new long[] {7, 9, 3}) {
        Model fixed = textModel(steps);
        copyWeights(variable, fixed);
        INDArray x = tokens(4, steps, steps);
        INDArray want = new SameDiffEngine(fixed, null).predict(List.of(x)).get(0);
        INDArray got = engine.predict(List.of(x)).get(0);
        assertArrayEquals(new long[] {4, 1}, got.shape());
        assertTrue(want.equalsWithEps(got, 1e-5), () -> engine.getClass().getSimpleName() + " at " + steps + " steps: " + want + " vs " + got);
      }
    }
  }

  @Test
  void fastEngineKeepsOnePlanPerLength() {
    Model m = textModel(Shapes.UNKNOWN);
    TrainingSession s = TrainingSession.of(m);
    s.compile("adam", "binary_crossentropy");
    PerShapeEngine engine = assertInstanceOf(PerShapeEngine.class, s.engine());
    INDArray y = Nd4j.create(new float[] {0, 1, 1, 0}, 4, 1);
    s.fit(tokens(4, 6, 1), y, new FitOptions().epochs(1).batchSize(4));
    long builds = FastEngine.planBuilds();
    s.predict(tokens(2, 7, 2));
    s.predict(tokens(2, 9, 3));
    s.predict(tokens(2, 7, 4));
    assertEquals(builds + 2, FastEngine.planBuilds(), "a length seen before reuses its plan");
    assertEquals(3, engine.shapesKept());
    assertInstanceOf(FastEngine.class, engine.lastEngine());
    assertTrue(s.engineReason().startsWith("fast:"), s.engineReason());
    EngineChooser.Choice onGpu = EngineChooser.choose(EngineChooser.Backend.CUDA, null, m, s.compileConfig());
    assertInstanceOf(SameDiffEngine.class, onGpu.engine());
    assertEquals("samediff", onGpu.name());
    for (long steps : new long[] {5, 8}) assertArrayEquals(new long[] {2, 1}, onGpu.engine().predict(List.of(tokens(2, steps, steps))).get(0).shape());
    assertInstanceOf(SameDiffEngine.class, EngineChooser.choose(EngineChooser.Backend.CPU, "samediff", m, s.compileConfig()).engine());
  }

  @Test
  void convNetOfAnyImageSizeTrainsAlikeOnBothEngines() {
    Model a = convNet();
    Model b = convNet();
    copyWeights(a, b);
    TrainingEngine ref = new SameDiffEngine(a, TrainingSession.of(a).compileConfig());
    TrainingEngine fast = FastEngine.create(b, TrainingSession.of(b).compileConfig());
    for (long side : new long[] {8, 11}) {
      Nd4j.getRandom().setSeed(side);
      INDArray x = Nd4j.rand(DataType.FLOAT, 3, side, side + 2, 3);
      INDArray y = Nd4j.create(new float[] {1, 0, 0, 1, 0, 1}, 3, 2);
      double la = ref.trainStep(List.of(x), List.of(y), 0).loss();
      double lb = fast.trainStep(List.of(x), List.of(y), 0).loss();
      assertEquals(la, lb, 1e-5, "loss at " + side);
    }
    for (int i = 0; i < a.weightList().size(); i++) {
      assertTrue(a.weightList().get(i).value().equalsWithEps(b.weightList().get(i).value(), 1e-4), "weight " + i + " after two steps");
    }
  }

  private static Model convNet() {
    SymbolicTensor in = Input.of(Shapes.UNKNOWN, Shapes.UNKNOWN, 3);
    SymbolicTensor x = new Conv2D(4, 3, "relu").apply(in);
    x = new GlobalAveragePooling2D().apply(x);
    Model m = new Model(in, new Dense(2, "softmax").apply(x));
    TrainingSession.of(m).compile("sgd", "categorical_crossentropy");
    return m;
  }

  @Test
  void noneAxesAndDtypeSurviveTheArchitectureJson() {
    Model m = textModel(Shapes.UNKNOWN);
    String json = dln.runtime.io.ModelJson.toJson(m);
    Model back = dln.runtime.io.ModelJson.fromJson(json);
    dln.runtime.nn.InputLayer in = assertInstanceOf(dln.runtime.nn.InputLayer.class, back.inputs().get(0).layer());
    assertEquals("int32", in.config().dtype());
    assertEquals("(None, None)", Shapes.format(back.inputs().get(0).shape()));
    assertEquals(m.summary(), back.summary());
    // A file written before Input had a dtype reads as float32.
    Model old = dln.runtime.io.ModelJson.fromJson(json.replaceAll(",\\s*\"dtype\"\\s*:\\s*\"int32\"", ""));
    assertEquals("float32", ((dln.runtime.nn.InputLayer) old.inputs().get(0).layer()).config().dtype());
  }

  @Test
  void anUnknownDtypeListsTheNames() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Input.typed(null, "int23", 4));
    assertTrue(e.getMessage().contains("int23") && e.hint().contains("int64"), e.getMessage() + " / " + e.hint());
  }

  @Test
  void flattenOfANoneAxisIsRefusedWhereItIsApplied() {
    SymbolicTensor in = Input.of(Shapes.UNKNOWN, 3);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Flatten().apply(in));
    assertTrue(e.getMessage().contains("(Flatten)") && e.getMessage().contains("(None, None, 3)"), e.getMessage());
  }
}

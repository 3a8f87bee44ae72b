package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.MaxPooling2D;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keras's two reference models report Keras's parameter counts; the table has Keras's columns. */
class SummaryTest {
  @BeforeEach
  void names() {
    LayerNames.reset();
  }

  static Sequential mnistMlp() {
    Sequential m = new Sequential();
    m.add(new Dense(512, "relu").withInputShape(784));
    m.add(new Dropout(0.2));
    m.add(new Dense(512, "relu"));
    m.add(new Dropout(0.2));
    m.add(new Dense(10, "softmax"));
    return m;
  }

  static Sequential mnistCnn() {
    return new Sequential(List.of(
        Input.of(28, 28, 1),
        new Conv2D(32, 3, "relu"),
        new Conv2D(64, 3, "relu"),
        new MaxPooling2D(2),
        new Dropout(0.25),
        new Flatten(),
        new Dense(128, "relu"),
        new Dropout(0.5),
        new Dense(10, "softmax")));
  }

  @Test
  void showTrainableAddsKerasColumnYesNoOrDash() {
    Sequential m = mnistMlp();
    m.layers().get(0).setTrainable(false);
    String s = m.summary(true);
    List<String> lines = s.lines().toList();
    assertTrue(lines.get(2).endsWith("Trainable"), s);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(" dense (Dense)") && l.endsWith(" N")), s);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(" dropout (Dropout)") && l.endsWith(" -")), "no weights: -\n" + s);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(" dense_2 (Dense)") && l.endsWith(" Y")), s);
    assertTrue(s.contains("Non-trainable params: 401,920"), s);
    assertTrue(!m.summary().contains("Trainable  "), "the plain summary has no Trainable column");
  }

  @Test
  void kerasMnistMlpHas669706Params() {
    Sequential m = mnistMlp();
    assertEquals(669_706, m.countParams());
    String s = m.summary();
    assertTrue(s.contains("Model: \"sequential\""), s);
    assertTrue(s.contains("Layer (type)") && s.contains("Output Shape") && s.contains("Param #"), s);
    assertTrue(s.contains(" dense (Dense)") && s.contains("(None, 512)") && s.contains("401920"), s);
    assertTrue(s.contains("Total params: 669,706"), s);
    assertTrue(s.contains("Trainable params: 669,706"), s);
    assertTrue(s.contains("Non-trainable params: 0"), s);
    assertTrue(!s.contains("Connected to"), s);
  }

  @Test
  void kerasMnistCnnHas1199882Params() {
    Sequential m = mnistCnn();
    assertEquals(1_199_882, m.countParams());
    String s = m.summary();
    assertTrue(s.contains("Total params: 1,199,882"), s);
    assertTrue(s.contains("(None, 26, 26, 32)") && s.contains("(None, 12, 12, 64)") && s.contains("(None, 9216)"), s);
    assertTrue(s.contains("1179776"), s);
  }

  @Test
  void functionalSummaryShowsConnectionsAndFrozenCounts() {
    SymbolicTensor in = Input.of(8);
    Dense a = new Dense(8, "relu");
    SymbolicTensor h = a.apply(in);
    SymbolicTensor sum = new Add().apply(List.of(in, h)).get(0);
    SymbolicTensor out = new Dense(2, "softmax").apply(sum);
    Model m = new Model(in, out);
    a.setTrainable(false);
    String s = m.summary();
    assertTrue(s.contains("Connected to"), s);
    assertTrue(s.contains("input_1 (InputLayer)") && s.contains("[(None, 8)]"), s);
    assertTrue(s.contains("['input_1[0][0]', 'dense[0][0]']"), s);
    assertTrue(s.contains("Total params: 90"), s);
    assertTrue(s.contains("Trainable params: 18"), s);
    assertTrue(s.contains("Non-trainable params: 72"), s);
    assertEquals(4, m.layers().size());
    assertEquals(a, m.getLayer("dense"));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> m.getLayer("dens"));
    assertTrue(e.hint().contains("dense"), e.hint());
  }

  @Test
  void unbuiltSequentialSaysHowToBuildIt() {
    Sequential m = new Sequential();
    for (String fn : List.of("linear", "sigmoid", "tanh", "relu", "elu")) m.add(new Dense(64, fn));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, m::summary);
    assertTrue(e.hint().contains("input shape"), e.hint());
    m.buildFor(List.of(new long[] {10}));
    assertEquals(10 * 64 + 64 + 4 * (64 * 64 + 64), m.countParams());
  }

  @Test
  void sequentialAddChecksShapesAtOnce() {
    Sequential m = new Sequential(List.of(Input.of(28, 28, 1)));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> m.add(new Dense(10)));
    assertTrue(e.hint().contains("Flatten()"));
    assertEquals(0, m.layers().size(), "a rejected layer is not added");
    m.add(new Flatten());
    m.add(new Dense(10));
    assertEquals(7850, m.countParams());
  }

  @Test
  void modelsAreLayers() {
    Sequential inner = mnistMlp();
    SymbolicTensor in = Input.of(784);
    SymbolicTensor out = new Dense(2).apply(inner.apply(in));
    Model outer = new Model(in, out);
    assertEquals(669_706 + 22, outer.countParams());
    assertTrue(outer.summary().contains("sequential (Sequential)"));
  }
}

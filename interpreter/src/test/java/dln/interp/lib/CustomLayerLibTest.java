package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import dln.runtime.nn.Model;
import dln.runtime.nn.ScriptedLayer;
import dln.runtime.train.fast.FastEngine;
import dln.runtime.train.session.TrainingSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Custom layers ({@code class MyDense(keras.layers.Layer)}) against the builtin layer they copy:
 * with the same weights, the same outputs, loss and gradients; and what the engines and model
 * files make of them.
 */
class CustomLayerLibTest {
  private final PrintWriter sink = new PrintWriter(new StringWriter(), true);
  private final Dln dln = Dln.builder().out(sink).err(sink).sandbox(Sandbox.unrestricted()).build();

  /** Dense(3, tanh) -> Dense(2, softmax) twice, the first layer written as a class in one of them. */
  private static final String TWINS = String.join("\n",
      "import numpy as np",
      "import keras",
      "import tensorflow as tf",
      "class MyDense(keras.layers.Layer):",
      "    def __init__(self, units, **kwargs):",
      "        super().__init__(**kwargs)",
      "        self.units = units",
      "    def build(self, input_shape):",
      "        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer='glorot_uniform', name='kernel')",
      "        self.b = self.add_weight(shape=(self.units,), initializer='random_normal', name='bias')",
      "    def call(self, inputs):",
      "        return tf.nn.tanh(tf.matmul(inputs, self.w) + self.b)",
      "keras.utils.set_random_seed(3)",
      "custom = keras.Sequential([keras.Input(shape=(4,)), MyDense(3), keras.layers.Dense(2, activation='softmax')])",
      "builtin = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation='tanh'), keras.layers.Dense(2, activation='softmax')])",
      "builtin.set_weights(custom.get_weights())",
      "x = np.random.rand(16, 4) - 0.5",
      "y = (x.sum(axis=1) > 0) * 1.0",
      "for m in (custom, builtin):",
      "    m.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss='sparse_categorical_crossentropy')",
      "out_diff = np.abs(custom.predict(x, verbose=0) - builtin.predict(x, verbose=0)).max()",
      "loss_custom = custom.evaluate(x, y, verbose=0)",
      "loss_builtin = builtin.evaluate(x, y, verbose=0)",
      "before = custom.get_weights()",
      "custom.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)",
      "builtin.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)",
      // One SGD step with learning rate 1: the weight change is minus the gradient.
      "grads_custom = [b - a for b, a in zip(before, custom.get_weights())]",
      "grads_builtin = [b - a for b, a in zip(before, builtin.get_weights())]",
      "grad_diff = max([np.abs(g - h).max() for g, h in zip(grads_custom, grads_builtin)])",
      "grad_size = min([np.abs(g).max() for g in grads_custom])");

  @Test
  void sameWeightsGiveTheSameOutputLossAndGradientsAsDense() {
    dln.eval(TWINS);
    assertTrue(number("out_diff") < 1e-6, "outputs differ by " + number("out_diff"));
    assertEquals(number("loss_builtin"), number("loss_custom"), 1e-6);
    assertTrue(number("grad_size") > 1e-4, "every weight gets a gradient: " + number("grad_size"));
    assertTrue(number("grad_diff") < 1e-5, "gradients differ by " + number("grad_diff"));
  }

  @Test
  void aCustomLayerTrainsOnSameDiffAndTheFastEngineSaysWhy() {
    dln.eval(TWINS);
    Model custom = dln.get("custom", Model.class);
    String why = FastEngine.unsupportedReason(custom, TrainingSession.of(custom).compileConfig());
    assertNotNull(why);
    assertTrue(why.contains("custom layer MyDense"), why);
    Model builtin = dln.get("builtin", Model.class);
    assertEquals(null, FastEngine.unsupportedReason(builtin, TrainingSession.of(builtin).compileConfig()));
  }

  @Test
  void theModelSeesARuntimeLayerWithTheUsersWeights() {
    dln.eval(TWINS);
    Model custom = dln.get("custom", Model.class);
    ScriptedLayer layer = assertInstanceOf(ScriptedLayer.class, custom.layers().get(0));
    assertEquals("MyDense", layer.typeName());
    assertEquals(List.of("kernel", "bias"), layer.weightList().stream().map(w -> w.name()).toList());
    assertEquals(4 * 3 + 3, layer.countParams());
    // The instance's attributes are reached through the runtime layer too.
    assertEquals(3L, dln.eval("custom.layers[0].units"));
  }

  @Test
  void saveRefusesBeforeWritingAnything(@TempDir Path dir) {
    dln.eval(TWINS);
    Path file = dir.resolve("custom.keras");
    dln.set("path", file.toString());
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("custom.save(path)"));
    assertTrue(e.getMessage().contains("layer 'my_dense' (MyDense) is defined by a class in your program"), e.getMessage());
    assertFalse(Files.exists(file));
    // The weights alone can be saved, and loaded into a model rebuilt from the class.
    Path weights = dir.resolve("custom.weights.h5");
    dln.set("wpath", weights.toString());
    dln.eval("custom.save_weights(wpath)\n"
        + "again = keras.Sequential([keras.Input(shape=(4,)), MyDense(3), keras.layers.Dense(2, activation='softmax')])\n"
        + "again.load_weights(wpath)\n"
        + "same = np.abs(again.predict(x, verbose=0) - custom.predict(x, verbose=0)).max()");
    assertTrue(number("same") < 1e-7);
  }

  @Test
  void aFailedBuildLeavesNoWeights() {
    DlnException e = assertThrows(DlnException.class, () -> dln.eval(String.join("\n",
        "import keras",
        "class Half(keras.layers.Layer):",
        "    def build(self, input_shape):",
        "        self.w = self.add_weight(shape=(input_shape[-1], 2))",
        "        self.b = self.add_weight(shape=(0,))",
        "    def call(self, inputs):",
        "        return inputs",
        "half = Half()",
        "half(keras.Input(shape=(3,)))")));
    assertTrue(e.getMessage().contains("every dimension must be positive"), e.getMessage());
    assertEquals(0L, dln.eval("len(half.weights)"));
  }

  private double number(String name) {
    Object v = dln.get(name);
    return v instanceof INDArray t ? t.getDouble(0) : ((Number) v).doubleValue();
  }
}

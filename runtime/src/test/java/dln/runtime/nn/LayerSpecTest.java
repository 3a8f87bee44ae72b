package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A layer spec reads its arguments from its config record: keywords, order and defaults. */
class LayerSpecTest {
  /** Arguments as plain Java values (what any front end would hand over). */
  private record MapArgs(Map<String, Object> values) implements LayerArgs {
    public boolean has(String name) {
      return values.containsKey(name);
    }

    public int intValue(String name) {
      return (Integer) values.get(name);
    }

    public int[] ints(String name) {
      return values.get(name) instanceof Integer n ? new int[] {n} : (int[]) values.get(name);
    }

    public long[] shape(String name) {
      return (long[]) values.get(name);
    }

    public double number(String name) {
      return ((Number) values.get(name)).doubleValue();
    }

    public boolean bool(String name) {
      return (Boolean) values.get(name);
    }

    public String name(String name) {
      return (String) values.get(name);
    }

    public boolean isName(String name) {
      return values.get(name) instanceof String;
    }

    public boolean isFunction(String name) {
      return false;
    }

    public Object raw(String name) {
      return values.get(name);
    }

    @Override
    public GraphFunction function(String name) {
      return (GraphFunction) values.get(name);
    }
  }

  @Test
  void argumentsAreTheConfigComponentsInOrderAsKerasKeywords() {
    List<String> names = new ArrayList<>();
    for (LayerSpec.Arg a : Conv2D.SPEC.args()) names.add(a.name() + (a.optional() ? "?" : ""));
    assertEquals(List.of("filters", "kernel_size", "strides?", "padding?", "activation?", "use_bias?", "kernel_initializer?",
        "bias_initializer?", "kernel_regularizer?"), names);
    assertEquals(List.of("stride"), Conv2D.SPEC.args().get(2).aliases());
    assertEquals("axis", BatchNormalization.SPEC.args().get(0).name(), "an extra argument at its Keras position");
  }

  @Test
  void leftOutArgumentsTakeTheSameDefaultsAsTheJavaApi() {
    assertEquals(new Dense.Config(3, null), Dense.SPEC.config(new MapArgs(Map.of("units", 3))));
    assertEquals(new LSTM.Config(8, false), LSTM.SPEC.config(new MapArgs(Map.of("units", 8))));
    assertEquals(new BatchNormalization.Config(), BatchNormalization.SPEC.config(new MapArgs(Map.of())));
    assertEquals(new Embedding.Config(100, 4), Embedding.SPEC.config(new MapArgs(Map.of("input_dim", 100, "output_dim", 4))));
    Conv2D.Config c = Conv2D.SPEC.config(new MapArgs(Map.of("filters", 16, "kernel_size", 3)));
    Conv2D.Config java = new Conv2D.Config(16, 3, null);
    assertEquals(List.of(java.filters(), java.padding(), java.activation(), java.useBias(), java.kernelInitializer()),
        List.of(c.filters(), c.padding(), c.activation(), c.useBias(), c.kernelInitializer()));
    Pooling2D.Config p = MaxPooling2D.SPEC.config(new MapArgs(Map.of("pool_size", 3)));
    assertEquals(List.of(3, 3, 3, 3, "valid"), List.of(p.poolSize()[0], p.poolSize()[1], p.strides()[0], p.strides()[1], p.padding()));
  }

  @Test
  void aRegularizerIsAnObjectOrAKerasName() {
    Dense.Config c = Dense.SPEC.config(new MapArgs(Map.of("units", 2, "kernel_regularizer", "l2", "bias_regularizer", Regularizer.l1(0.5))));
    assertEquals(Regularizer.l2(0.01), c.kernelRegularizer());
    assertEquals(Regularizer.l1(0.5), c.biasRegularizer());
  }

  @Test
  void everyRegisteredTypeIsNamedAsItsClass() {
    for (LayerSpec<?> spec : LayerRegistry.specs()) {
      assertEquals(spec.layerClass().getSimpleName(), spec.type());
      assertTrue(spec.doc().contains("\nExample: "), spec.type() + " has an example");
    }
  }
}

package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.AveragePooling1D;
import dln.runtime.nn.layers.Conv1D;
import dln.runtime.nn.layers.GlobalAveragePooling1D;
import dln.runtime.nn.layers.GlobalMaxPooling1D;
import dln.runtime.nn.layers.MaxPooling1D;
import dln.runtime.nn.layers.Pooling1D;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conv1D and the 1-D poolings: Keras's output shapes and parameter counts, located shape errors. */
class KerasLayers1DShapeTest {
  private static Conv1D conv1d(int filters, int k, int stride, String padding, boolean bias) {
    return new Conv1D(new Conv1D.Config(filters, new int[] {k}, new int[] {stride}, padding, null, bias, "glorot_uniform", "zeros", null),
        null);
  }

  private static String out(Layer l, long... in) {
    return Arrays.toString(l.outputShapes(List.of(in)).get(0));
  }

  @Test
  void shapesAndParamCountsAreKeras() {
    // Keras: Conv1D(32, 3) on (100, 8) -> (98, 32), 3·8·32 + 32 = 800 parameters.
    Model m = new Sequential(List.of(Input.of(100, 8), conv1d(32, 3, 1, "valid", true)));
    assertEquals("[-1, 98, 32]", Arrays.toString(m.outputs().get(0).shape()));
    assertEquals(800, m.layers().get(m.layers().size() - 1).countParams());
    assertEquals("[3, 8, 32]", Arrays.toString(m.layers().get(m.layers().size() - 1).weight("kernel").shape()));
    assertEquals(768, new Sequential(List.of(Input.of(100, 8), conv1d(32, 3, 1, "valid", false))).countParams());
    assertEquals("[-1, 50, 4]", out(conv1d(4, 3, 2, "same", true), -1, 100, 8));
    assertEquals("[-1, 49, 4]", out(conv1d(4, 3, 2, "valid", true), -1, 100, 8));
    assertEquals("[-1, 100, 4]", out(conv1d(4, 5, 1, "causal", true), -1, 100, 8));
    assertEquals("[-1, 50, 4]", out(conv1d(4, 5, 2, "causal", true), -1, 100, 8));
    assertEquals("[-1, 50, 8]", out(new MaxPooling1D(2), -1, 100, 8));
    assertEquals("[-1, 33, 8]", out(new AveragePooling1D(3), -1, 100, 8));
    assertEquals("[-1, 50, 8]", out(new AveragePooling1D(new Pooling1D.Config(new int[] {3}, new int[] {2}, "same"), null), -1, 100, 8));
    assertEquals("[-1, 8]", out(new GlobalAveragePooling1D(), -1, 100, 8));
    assertEquals("[-1, 8]", out(new GlobalMaxPooling1D(), -1, 100, 8));
  }

  @Test
  void shapeErrorsAreLocatedAndHinted() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> conv1d(4, 3, 1, "valid", true).apply(Input.of(20)));
    assertTrue(e.getMessage().contains("(Conv1D)") && e.getMessage().contains("3-D sequences") && e.hint().contains("Reshape"),
        e.getMessage());
    DlnRuntimeException big = assertThrows(DlnRuntimeException.class, () -> conv1d(4, 7, 1, "valid", true).apply(Input.of(5, 2)));
    assertTrue(big.getMessage().contains("larger than the input steps"), big.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new MaxPooling1D(2).apply(Input.of(8, 8, 1)));
    assertThrows(DlnRuntimeException.class, () -> new GlobalMaxPooling1D().apply(Input.of(8)));
  }

  @Test
  void invalidConfigsAreUserErrors() {
    assertThrows(DlnRuntimeException.class, () -> conv1d(0, 3, 1, "valid", true));
    assertThrows(DlnRuntimeException.class, () -> conv1d(4, 0, 1, "valid", true));
    assertTrue(assertThrows(DlnRuntimeException.class, () -> conv1d(4, 3, 1, "full", true)).getMessage().contains("causal"));
    assertThrows(DlnRuntimeException.class, () -> new Conv1D(new Conv1D.Config(4, new int[] {3, 3}, null, null, null, true, null, null, null), null));
    assertThrows(DlnRuntimeException.class, () -> new MaxPooling1D(0));
  }
}

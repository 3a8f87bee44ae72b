package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.SimpleRNN;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SimpleRNN and GRU: Keras's parameter counts and weight shapes, output shapes, located errors. */
class RecurrentLayersShapeTest {
  private static GRU gru(int units, boolean resetAfter) {
    return new GRU(new GRU.Config(units, "tanh", "sigmoid", true, false, "glorot_uniform", "orthogonal", resetAfter, false), null);
  }

  @Test
  void parameterCountsAndShapesAreKeras() {
    // Keras: GRU(32) on 10 features: 3·32·(10 + 32 + 2) = 4,224 (reset_after=True), 3·(32·10 + 32·32 + 32) = 4,128 without.
    Model a = new Sequential(List.of(Input.of(20, 10), gru(32, true)));
    assertEquals(4224, a.countParams());
    assertEquals("[2, 96]", Arrays.toString(a.layers().get(a.layers().size() - 1).weight("bias").shape()));
    assertEquals(4128, new Sequential(List.of(Input.of(20, 10), gru(32, false))).countParams());
    assertEquals("[-1, 32]", Arrays.toString(a.outputs().get(0).shape()));
    Model seq = new Sequential(List.of(Input.of(20, 10), new GRU(8, true)));
    assertEquals("[-1, 20, 8]", Arrays.toString(seq.outputs().get(0).shape()));
    // Keras: SimpleRNN(32) on 10 features: 32·10 + 32·32 + 32 = 1,376.
    Model r = new Sequential(List.of(Input.of(20, 10), new SimpleRNN(32, false)));
    assertEquals(1376, r.countParams());
    assertEquals("[-1, 20, 32]", Arrays.toString(new Sequential(List.of(Input.of(20, 10), new SimpleRNN(32, true))).outputs().get(0).shape()));
    assertEquals(1344, new Sequential(List.of(Input.of(20, 10),
        new SimpleRNN(new SimpleRNN.Config(32, "tanh", false, false, "glorot_uniform", "orthogonal", false), null))).countParams());
  }

  @Test
  void errorsAreLocatedAndHinted() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Sequential(List.of(Input.of(20), new GRU(4, false))));
    assertTrue(e.getMessage().contains("(GRU)") && e.getMessage().contains("(None, 20)") && e.hint().contains("Reshape"), e.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new Sequential(List.of(Input.of(4, 4, 1), new SimpleRNN(4, false))));
    assertThrows(DlnRuntimeException.class, () -> new GRU(0, false));
    assertThrows(DlnRuntimeException.class, () -> new SimpleRNN(-3, false));
    assertThrows(DlnRuntimeException.class,
        () -> new GRU(new GRU.Config(4, "tahn", "sigmoid", true, false, null, null, true, false), null));
    // return_sequences into Dense keeps the steps axis (Keras applies Dense per step), so a
    // sequence-to-sequence model is built, with the shape it shows.
    Model m = new Sequential(List.of(Input.of(5, 3), new GRU(4, true), new Dense(2)));
    assertEquals("[-1, 5, 2]", Arrays.toString(m.outputs().get(0).shape()));
  }
}

package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Bidirectional;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.SimpleRNN;
import dln.runtime.train.Adam;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Bidirectional: Keras's shapes, parameter counts and config; the fast step held to the SameDiff reference. */
class BidirectionalTest {
  private static Bidirectional bi(Layer inner, String merge) {
    return new Bidirectional(new Bidirectional.Config(inner, merge), null);
  }

  @Test
  void shapesParamCountsAndJsonAreKeras() {
    // Keras: Bidirectional(LSTM(8)) on (10, 4): 2 · 4·8·(4 + 8 + 1) = 832, output (None, 16).
    Model m = new Sequential(List.of(Input.of(10, 4), new Bidirectional(new LSTM(8, false))));
    Layer b = m.layers().get(m.layers().size() - 1);
    assertEquals(832, b.countParams());
    assertEquals(6, b.weightList().size());
    assertEquals("[-1, 16]", Arrays.toString(m.outputs().get(0).shape()));
    assertEquals("[-1, 10, 6]", Arrays.toString(
        new Sequential(List.of(Input.of(10, 4), bi(new GRU(6, true), "sum"))).outputs().get(0).shape()));
    String json = LayerRegistry.toJson(b);
    assertTrue(json.contains("\"class_name\" : \"LSTM\"") && json.contains("\"merge_mode\" : \"concat\""), json);
    assertEquals(json, LayerRegistry.toJson(LayerRegistry.fromJson(json)));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Bidirectional(new Dense(3)));
    assertTrue(e.getMessage().contains("recurrent"), e.getMessage());
    assertThrows(DlnRuntimeException.class, () -> bi(new LSTM(3, false), "max"));
    DlnRuntimeException shape = assertThrows(DlnRuntimeException.class,
        () -> new Sequential(List.of(Input.of(10), new Bidirectional(new LSTM(8, false)))));
    assertTrue(shape.getMessage().contains("3-D sequences"), shape.getMessage());
  }

  @Test
  void everyMergeModeMatchesReference() {
    int seed = 110;
    List<Object[]> cases = List.of(new Object[] {new LSTM(5, false), "concat"}, new Object[] {new GRU(4, true), "sum"},
        new Object[] {new SimpleRNN(4, true), "mul"}, new Object[] {new GRU(3, false), "ave"});
    for (int c = 0; c < cases.size(); c++) {
      final int k = c;
      Rng.seed(seed++);
      INDArray x = data(16, 5, 3);
      INDArray y = data(16, 2);
      var p = pair(() -> {
        Layer inner = LayerRegistry.fromJson(LayerRegistry.toJson((Layer) cases.get(k)[0]));
        boolean seq = inner instanceof GRU g ? g.config().returnSequences() : inner instanceof SimpleRNN;
        return seq
            ? new Sequential(List.of(Input.of(5, 3), bi(inner, (String) cases.get(k)[1]), new LSTM(3, false), new Dense(2)))
            : new Sequential(List.of(Input.of(5, 3), new SimpleRNN(3, true), bi(inner, (String) cases.get(k)[1]), new Dense(2)));
      }, () -> new Adam(0.01), "mse");
      trainBoth(p, x, y, 4, 8);
    }
  }
}

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
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.TimeDistributed;
import dln.runtime.train.Adam;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** TimeDistributed: Keras's shapes, parameter counts and config; the fast step held to the SameDiff reference. */
class TimeDistributedTest {
  @Test
  void shapesParamCountsAndJsonAreKeras() {
    // Keras: TimeDistributed(Dense(10)) on (5, 8): 8·10 + 10 = 90, output (None, 5, 10).
    Model m = new Sequential(List.of(Input.of(5, 8), new TimeDistributed(new Dense(10))));
    Layer t = m.layers().get(m.layers().size() - 1);
    assertEquals(90, t.countParams());
    assertEquals("[-1, 5, 10]", Arrays.toString(m.outputs().get(0).shape()));
    Model v = new Sequential(List.of(Input.of(4, 6, 6, 1), new TimeDistributed(new Conv2D(3, 3, "relu"))));
    assertEquals("[-1, 4, 4, 4, 3]", Arrays.toString(v.outputs().get(0).shape()));
    assertEquals(30, v.countParams());
    String json = LayerRegistry.toJson(t);
    assertTrue(json.contains("\"class_name\" : \"Dense\""), json);
    assertEquals(json, LayerRegistry.toJson(LayerRegistry.fromJson(json)));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> new Sequential(List.of(Input.of(8), new TimeDistributed(new Dense(3)))));
    assertTrue(e.getMessage().contains("(TimeDistributed)") && e.getMessage().contains("(None, 8)"), e.getMessage());
    DlnRuntimeException inner = assertThrows(DlnRuntimeException.class,
        () -> new Sequential(List.of(Input.of(4, 8), new TimeDistributed(new Conv2D(3, 3, "relu")))));
    assertTrue(inner.getMessage().contains("(Conv2D)"), inner.getMessage());
  }

  @Test
  void denseAndConvolutionPerStepMatchReference() {
    Rng.seed(120);
    INDArray x = data(12, 5, 3);
    INDArray y = data(12, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(5, 3), new LSTM(6, true), new TimeDistributed(new Dense(4, "tanh")),
        new GRU(3, false), new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(p, x, y, 4, 6);
    Rng.seed(121);
    INDArray xv = data(8, 3, 6, 6, 2);
    INDArray yv = data(8, 2);
    var q = pair(() -> new Sequential(List.of(Input.of(3, 6, 6, 2), new TimeDistributed(new Conv2D(3, 3, "relu")),
        new TimeDistributed(new GlobalAveragePooling2D()), new LSTM(4, false), new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(q, xv, yv, 4, 4);
  }
}

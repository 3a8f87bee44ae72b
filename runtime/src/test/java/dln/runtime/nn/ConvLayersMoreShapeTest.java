package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.Conv2DTranspose;
import dln.runtime.nn.layers.DepthwiseConv2D;
import dln.runtime.nn.layers.LayerNormalization;
import dln.runtime.nn.layers.SeparableConv2D;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LayerNormalization, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose: Keras shapes and parameter counts, located errors. */
class ConvLayersMoreShapeTest {
  private static Layer last(Model m) {
    return m.layers().get(m.layers().size() - 1);
  }

  @Test
  void shapesAndParamCountsAreKeras() {
    // Keras: LayerNormalization on (10, 16): gamma and beta of 16.
    Model ln = new Sequential(List.of(Input.of(10, 16), new LayerNormalization()));
    assertEquals(32, ln.countParams());
    assertEquals("[-1, 10, 16]", Arrays.toString(ln.outputs().get(0).shape()));
    // DepthwiseConv2D(3, depth_multiplier=2) on (28, 28, 8): 3·3·8·2 + 16 = 160, output (26, 26, 16).
    Model dw = new Sequential(List.of(Input.of(28, 28, 8),
        new DepthwiseConv2D(new DepthwiseConv2D.Config(new int[] {3}, null, "valid", 2, null, true, null, null), null)));
    assertEquals(160, dw.countParams());
    assertEquals("[-1, 26, 26, 16]", Arrays.toString(dw.outputs().get(0).shape()));
    assertEquals("[3, 3, 8, 2]", Arrays.toString(last(dw).weight("depthwise_kernel").shape()));
    // SeparableConv2D(32, 3) on (28, 28, 8): 3·3·8 + 8·32 + 32 = 360.
    Model sep = new Sequential(List.of(Input.of(28, 28, 8), new SeparableConv2D(32, 3, "valid", null)));
    assertEquals(360, sep.countParams());
    assertEquals("[1, 1, 8, 32]", Arrays.toString(last(sep).weight("pointwise_kernel").shape()));
    assertEquals("[-1, 26, 26, 32]", Arrays.toString(sep.outputs().get(0).shape()));
    // Conv2DTranspose(16, 3, strides=2) on (7, 7, 8): 3·3·16·8 + 16 = 1,168; valid (15, 15), same (14, 14).
    Model tv = new Sequential(List.of(Input.of(7, 7, 8), new Conv2DTranspose(16, 3, 2, "valid", null)));
    assertEquals(1168, tv.countParams());
    assertEquals("[3, 3, 16, 8]", Arrays.toString(last(tv).weight("kernel").shape()));
    assertEquals("[-1, 15, 15, 16]", Arrays.toString(tv.outputs().get(0).shape()));
    Model ts = new Sequential(List.of(Input.of(7, 7, 8), new Conv2DTranspose(16, 3, 2, "same", null)));
    assertEquals("[-1, 14, 14, 16]", Arrays.toString(ts.outputs().get(0).shape()));
  }

  @Test
  void errorsAreLocated() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> new Sequential(List.of(Input.of(20), new SeparableConv2D(4, 3, "valid", null))));
    assertTrue(e.getMessage().contains("(SeparableConv2D)") && e.getMessage().contains("4-D images"), e.getMessage());
    DlnRuntimeException big = assertThrows(DlnRuntimeException.class,
        () -> new Sequential(List.of(Input.of(2, 2, 3), new DepthwiseConv2D(3, "valid", null))));
    assertTrue(big.getMessage().contains("larger than the input"), big.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new Sequential(List.of(Input.of(4, 4), new Conv2DTranspose(2, 3, 1, "valid", null))));
    assertThrows(DlnRuntimeException.class,
        () -> new DepthwiseConv2D(new DepthwiseConv2D.Config(new int[] {3}, null, "valid", 0, null, true, null, null), null));
    assertThrows(DlnRuntimeException.class, () -> new SeparableConv2D(0, 3, "valid", null));
    assertThrows(DlnRuntimeException.class, () -> new LayerNormalization(new LayerNormalization.Config(0, true, true), null));
  }
}

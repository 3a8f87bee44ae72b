package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.Average;
import dln.runtime.nn.layers.Cropping2D;
import dln.runtime.nn.layers.GaussianNoise;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.Maximum;
import dln.runtime.nn.layers.Multiply;
import dln.runtime.nn.layers.Permute;
import dln.runtime.nn.layers.SpatialDropout2D;
import dln.runtime.nn.layers.Subtract;
import dln.runtime.nn.layers.UpSampling2D;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Output shapes (Keras's), parameter counts (none of these layers has weights), shape errors at
 * definition naming the layer and both shapes, and rejected configurations, for the merges,
 * Permute, Cropping2D, UpSampling2D, GaussianNoise and SpatialDropout2D.
 */
class KerasLayersShapeTest {
  private static String shape(Layer layer, long[]... in) {
    return Arrays.toString(layer.outputShapes(List.of(in)).get(0));
  }

  @Test
  void outputShapesAreKeras() {
    long[] a = {-1, 4, 5};
    for (Supplier<Layer> merge : List.<Supplier<Layer>>of(Multiply::new, Subtract::new, Average::new, Maximum::new)) {
      assertEquals("[-1, 4, 5]", shape(merge.get(), a, a));
    }
    assertEquals("[-1, 4, 5]", shape(new Average(), a, a, a));
    assertEquals("[-1, 5, 4]", shape(new Permute(2, 1), a));
    assertEquals("[-1, 3, 7, 2]", shape(new Permute(3, 1, 2), new long[] {-1, 7, 2, 3}));
    assertEquals("[-1, 5, 4, 3]", shape(new Cropping2D(1, 2, 0, 3), new long[] {-1, 8, 7, 3}));
    assertEquals("[-1, 4, 4, 3]", shape(new Cropping2D(new Cropping2D.Config(new int[] {2}), null), new long[] {-1, 8, 8, 3}));
    assertEquals("[-1, 16, 21, 3]", shape(new UpSampling2D(2, 3), new long[] {-1, 8, 7, 3}));
    assertEquals("[-1, 16, 14, 3]", shape(new UpSampling2D(new UpSampling2D.Config(null, null), null), new long[] {-1, 8, 7, 3}));
    assertEquals("[-1, 4, 5]", shape(new GaussianNoise(0.1), a));
    assertEquals("[-1, 8, 7, 3]", shape(new SpatialDropout2D(0.1), new long[] {-1, 8, 7, 3}));
  }

  @Test
  void noneHasWeights() {
    Model m = new Sequential(List.of(Input.of(8, 8, 3), new GaussianNoise(0.1), new SpatialDropout2D(0.2),
        new Cropping2D(1, 1, 1, 1), new UpSampling2D(2, 2), new Permute(2, 1, 3)));
    for (Layer l : m.layers()) assertEquals(0, l.countParams(), l.describe());
    assertEquals("[-1, 12, 12, 3]", Arrays.toString(m.outputs().get(0).shape()));
  }

  @Test
  void shapeErrorsNameTheLayerAndTheShapes() {
    SymbolicTensor x = Input.of(4);
    SymbolicTensor y = Input.of(5);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Multiply().apply(List.of(x, y)));
    assertTrue(e.getMessage().contains("(Multiply)") && e.getMessage().contains("(None, 4)") && e.getMessage().contains("(None, 5)"),
        e.getMessage());
    DlnRuntimeException three = assertThrows(DlnRuntimeException.class, () -> new Subtract().apply(List.of(x, x, x)));
    assertTrue(three.getMessage().contains("2 inputs"), three.getMessage());
    DlnRuntimeException one = assertThrows(DlnRuntimeException.class, () -> new Maximum().apply(List.of(x)));
    assertTrue(one.getMessage().contains("at least 2"), one.getMessage());
    DlnRuntimeException rank = assertThrows(DlnRuntimeException.class, () -> new Permute(2, 1).apply(Input.of(3, 4, 5)));
    assertTrue(rank.getMessage().contains("(Permute)") && rank.getMessage().contains("(None, 3, 4, 5)"), rank.getMessage());
    DlnRuntimeException crop = assertThrows(DlnRuntimeException.class, () -> new Cropping2D(2, 2, 0, 0).apply(Input.of(4, 6, 1)));
    assertTrue(crop.getMessage().contains("leaves nothing"), crop.getMessage());
    DlnRuntimeException image = assertThrows(DlnRuntimeException.class, () -> new UpSampling2D(2, 2).apply(Input.of(16)));
    assertTrue(image.getMessage().contains("4-D images") && image.hint() != null, image.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new SpatialDropout2D(0.2).apply(Input.of(3, 4)));
  }

  @Test
  void invalidConfigsAreUserErrors() {
    assertTrue(assertThrows(DlnRuntimeException.class, () -> new Permute(0, 1)).hint().contains("batch axis"));
    assertThrows(DlnRuntimeException.class, () -> new Permute(1, 1));
    assertThrows(DlnRuntimeException.class, () -> new Cropping2D(-1, 0, 0, 0));
    assertThrows(DlnRuntimeException.class, () -> new Cropping2D(new Cropping2D.Config(new int[] {1, 2, 3}), null));
    assertThrows(DlnRuntimeException.class, () -> new UpSampling2D(0, 2));
    DlnRuntimeException bilinear = assertThrows(DlnRuntimeException.class,
        () -> LayerRegistry.fromJson("{\"class_name\": \"UpSampling2D\", \"config\": {\"size\": [2, 2], \"interpolation\": \"bilinear\"}}"));
    assertTrue(bilinear.getMessage().contains("nearest"), bilinear.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new GaussianNoise(-0.1));
    assertThrows(DlnRuntimeException.class, () -> new SpatialDropout2D(1.0));
  }
}

package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Input;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Flatten;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A layer's feature maps come from the sub-model that ends at that layer. */
class FeatureMapsTest {
  private final Conv2D conv = new Conv2D(3, 3, "relu");
  private final Sequential model = new Sequential(List.of(Input.of(6, 6, 1), conv, new Flatten()));
  private final INDArray image = Nd4j.rand(6, 6);

  @Test
  void theSubModelEndingAtTheLastLayerIsTheModel() {
    INDArray batch = FeatureMaps.batchOfOne(image);
    assertArrayEquals(new long[] {1, 6, 6, 1}, batch.shape());
    int last = model.layers().size() - 1;
    assertEquals(model.call(batch), FeatureMaps.activations(model, last, batch, () -> {}));
  }

  @Test
  void picturesOneChannelEachCheckingBeforeEveryLayer() {
    INDArray batch = FeatureMaps.batchOfOne(image);
    int at = FeatureMaps.layerIndex(model, conv);
    AtomicInteger checks = new AtomicInteger();
    List<GreyImage> maps = FeatureMaps.of(model, at, batch, checks::incrementAndGet);
    assertEquals(3, maps.size());
    assertEquals(4, maps.get(0).rows());
    assertEquals(at + 1, checks.get());
    assertEquals(at, FeatureMaps.layerIndex(model, conv.name()));
    assertEquals(model.layers().size() - 1, FeatureMaps.layerIndex(model, -1));
  }

  @Test
  void wrongImagesLayersAndIndicesAreUserErrors() {
    DlnRuntimeException rank = assertThrows(DlnRuntimeException.class, () -> FeatureMaps.batchOfOne(Nd4j.rand(2, 6, 6, 1)));
    assertEquals("feature_maps() needs one image [height, width, channels], got shape (2, 6, 6, 1)", rank.getMessage());
    DlnRuntimeException name = assertThrows(DlnRuntimeException.class, () -> FeatureMaps.layerIndex(model, "nope"));
    assertEquals("feature_maps(): no layer named 'nope' in the model", name.getMessage());
    DlnRuntimeException other = assertThrows(DlnRuntimeException.class, () -> FeatureMaps.layerIndex(model, new Flatten()));
    assertEquals("feature_maps(): that layer is not in the model", other.getMessage());
    DlnRuntimeException index = assertThrows(DlnRuntimeException.class, () -> FeatureMaps.layerIndex(model, 7));
    assertEquals("index error", index.kind());
  }
}

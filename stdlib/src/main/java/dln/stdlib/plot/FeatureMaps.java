package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one layer of a model sees in one image: the model's layers run in order, eagerly, up to and
 * including that layer (the sub-model ending there), and its output channels become pictures.
 * This covers Sequential models and chains, whose layers are listed in execution order.
 */
public final class FeatureMaps {
  private FeatureMaps() {}

  /**
   * The pictures of layer {@code layerIndex}'s output channels for {@code batch} (from
   * {@link #batchOfOne}); {@code beforeEachLayer} runs first each step (a cancellation check).
   */
  public static List<GreyImage> of(Model model, int layerIndex, INDArray batch, Runnable beforeEachLayer) {
    INDArray act = activations(model, layerIndex, batch, beforeEachLayer);
    if (act.rank() != 4) {
      throw DlnRuntimeException.value("layer output has shape " + shape(act) + ", not feature maps [1, height, width, channels]",
          "choose a convolution or pooling layer");
    }
    return ConvPictures.featureMaps(act);
  }

  /** One image [height, width] or [height, width, channels] (or a batch of one) as a float batch of one. */
  public static INDArray batchOfOne(INDArray image) {
    INDArray x = image;
    if (image.rank() == 2) x = image.reshape(1, image.size(0), image.size(1), 1);
    else if (image.rank() == 3) x = image.reshape(1, image.size(0), image.size(1), image.size(2));
    else if (image.rank() != 4 || image.size(0) != 1) {
      throw DlnRuntimeException.value("feature_maps() needs one image [height, width, channels], got shape " + shape(image),
          "pick one image, e.g. x_test[0]");
    }
    return x.castTo(DataType.FLOAT);
  }

  /** The position of layer {@code index} in the model, negative counting from the end. */
  public static int layerIndex(Model model, long index) {
    int n = model.layers().size();
    long target = index < 0 ? n + index : index;
    if (target < 0 || target >= n) {
      throw new DlnRuntimeException("index error", "the model has " + n + " layers; index " + index + " is out of range", null);
    }
    return (int) target;
  }

  /** The position of the layer named {@code name}. */
  public static int layerIndex(Model model, String name) {
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) if (name.equals(layers.get(i).name())) return i;
    throw notInModel("no layer named '" + name + "'");
  }

  /** The position of {@code layer} itself (null or a layer of another model: an error). */
  public static int layerIndex(Model model, Layer layer) {
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) if (layers.get(i) == layer) return i;
    throw notInModel("that layer is not");
  }

  /** The model's layers 0..upTo run in order on {@code batch}: the output of layer {@code upTo}. */
  public static INDArray activations(Model model, int upTo, INDArray batch, Runnable beforeEachLayer) {
    List<Layer> layers = model.layers();
    INDArray cur = batch;
    for (int i = 0; i <= upTo; i++) {
      beforeEachLayer.run();
      cur = layers.get(i).call(cur);
    }
    return cur;
  }

  private static DlnRuntimeException notInModel(String what) {
    return DlnRuntimeException.value("feature_maps(): " + what + " in the model", "give a layer of model.layers, its index or its name");
  }

  private static String shape(INDArray t) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < t.rank(); i++) sb.append(i > 0 ? ", " : "").append(t.size(i));
    return sb.append(t.rank() == 1 ? ",)" : ")").toString();
  }
}

package dln.runtime.transfer;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezing and unfreezing for transfer learning. A frozen layer gets no gradient and no update,
 * so fine-tuning a model built on it leaves its weights bit-identical (BatchNormalization layers
 * also keep their moving statistics, as in Keras).
 */
public final class Freezing {
  private Freezing() {}

  /**
   * Freezes the model's layers from the first up to and including {@code upto} (all layers when
   * null); later layers become trainable. Returns the number of layers frozen.
   */
  public static int freeze(Model model, String upto) {
    List<Layer> layers = model.layers();
    int last = layers.size() - 1;
    if (upto != null) {
      last = -1;
      for (int i = 0; i < layers.size(); i++) if (layers.get(i).name().equals(upto)) last = i;
      if (last < 0) {
        List<String> names = new ArrayList<>();
        for (Layer l : layers) names.add(l.name());
        throw DlnRuntimeException.value("cannot freeze up to '" + upto + "': model '" + model.name() + "' has no such layer",
            Names.hint(upto, names));
      }
    }
    model.setTrainable(true);
    for (int i = 0; i < layers.size(); i++) layers.get(i).setTrainable(i > last);
    return last + 1;
  }

  /** Makes the model and every layer in it (nested models included) trainable again. */
  public static void unfreeze(Model model) {
    model.setTrainable(true);
    for (Layer l : model.layers()) {
      if (l instanceof Model m) unfreeze(m);
      else l.setTrainable(true);
    }
  }
}

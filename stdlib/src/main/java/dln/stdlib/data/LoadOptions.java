package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;

/**
 * How {@link ImageDatasets} lays out an image data set. The default matches Keras's
 * {@code load_data()}: images [n, 28, 28] with raw values 0..255 (as float32, where Keras has
 * uint8) and labels [n] holding class indices.
 *
 * @param flat      images as [n, 784] rows, for a Dense network
 * @param normalize pixel values divided by 255, so they lie in [0, 1]
 * @param oneHot    labels as [n, 10] one-hot rows instead of class indices
 * @param channels  images as [n, 28, 28, 1], for Conv2D (channels-last); not with {@code flat}
 * @param limit     keep only the first {@code limit} samples of each split; 0 or less keeps all
 */
public record LoadOptions(boolean flat, boolean normalize, boolean oneHot, boolean channels, int limit) {
  /** Keras's layout: [n, 28, 28] raw pixels, class-index labels, everything. */
  public static final LoadOptions DEFAULT = new LoadOptions(false, false, false, false, 0);

  public LoadOptions {
    if (flat && channels) {
      throw DlnRuntimeException.value("flat=true and channels=true cannot be combined: flat gives [n, 784], channels gives [n, 28, 28, 1]",
          "choose flat for Dense networks, channels for Conv2D networks");
    }
  }

  public LoadOptions withFlat(boolean v) {
    return new LoadOptions(v, normalize, oneHot, channels, limit);
  }

  public LoadOptions withNormalize(boolean v) {
    return new LoadOptions(flat, v, oneHot, channels, limit);
  }

  public LoadOptions withOneHot(boolean v) {
    return new LoadOptions(flat, normalize, v, channels, limit);
  }

  public LoadOptions withChannels(boolean v) {
    return new LoadOptions(flat, normalize, oneHot, v, limit);
  }

  public LoadOptions withLimit(int v) {
    return new LoadOptions(flat, normalize, oneHot, channels, v);
  }
}

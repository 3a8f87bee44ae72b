package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution kernels and activations as lists of pictures (channels-last layouts, as in Keras).
 * Each picture is stretched min..max on its own, so weak filters stay visible.
 */
public final class ConvPictures {
  private ConvPictures() {}

  /**
   * One picture per output filter of a kernel [kh, kw, in, out] (a [kh, kw, out] kernel counts as
   * in = 1). With several input channels a filter is shown as the mean over them: one small picture
   * per filter keeps the grid readable for 32 or 64 filters.
   */
  public static List<GreyImage> filters(INDArray kernel) {
    long[] s = kernel.shape();
    if (s.length != 4 && s.length != 3) {
      throw DlnRuntimeException.shape("show_filters() needs a convolution kernel [height, width, in_channels, filters], got shape "
          + Arrays.toString(s), "pass a Conv2D layer or its kernel, layer.weights[0]");
    }
    if (Arrays.stream(s).anyMatch(d -> d == 0)) {
      throw DlnRuntimeException.shape("show_filters() needs a non-empty kernel, got shape " + Arrays.toString(s), null);
    }
    int kh = (int) s[0], kw = (int) s[1];
    int in = s.length == 4 ? (int) s[2] : 1, out = (int) s[s.length - 1];
    double[] v = GreyImage.doubles(kernel);
    List<GreyImage> pics = new ArrayList<>(out);
    for (int o = 0; o < out; o++) {
      double[] px = new double[kh * kw];
      for (int p = 0; p < kh * kw; p++) {
        double sum = 0;
        for (int c = 0; c < in; c++) sum += v[(p * in + c) * out + o];
        px[p] = sum / in;
      }
      pics.add(GreyImage.of(kh, kw, px, GreyImage.Scaling.MIN_MAX));
    }
    return pics;
  }

  /** One picture per channel of activations [h, w, c] or [1, h, w, c]. */
  public static List<GreyImage> featureMaps(INDArray activations) {
    long[] s = activations.shape();
    if (s.length == 4 && s[0] == 1) s = Arrays.copyOfRange(s, 1, 4);
    if (s.length != 3) {
      throw DlnRuntimeException.shape("feature_maps() needs activations [height, width, channels] of one image, got shape "
          + Arrays.toString(activations.shape()), "give a single image, e.g. x_test[0:1], and a convolution or pooling layer");
    }
    if (Arrays.stream(s).anyMatch(d -> d == 0)) {
      throw DlnRuntimeException.shape("feature_maps() needs non-empty activations, got shape " + Arrays.toString(activations.shape()), null);
    }
    int h = (int) s[0], w = (int) s[1], ch = (int) s[2];
    double[] v = GreyImage.doubles(activations);
    List<GreyImage> pics = new ArrayList<>(ch);
    for (int c = 0; c < ch; c++) {
      double[] px = new double[h * w];
      for (int p = 0; p < h * w; p++) px[p] = v[p * ch + c];
      pics.add(GreyImage.of(h, w, px, GreyImage.Scaling.MIN_MAX));
    }
    return pics;
  }

  /** Labels 0, 1, 2, ... for a grid of filters or maps. */
  public static List<String> indexLabels(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(String.valueOf(i));
    return out;
  }

  /**
   * The nearest-neighbour factor that makes small pictures readable in the terminal: kernels of
   * 3x3 or 5x5 become at least 8 pixels wide.
   */
  public static int terminalScale(GreyImage image) {
    return Math.max(1, 8 / Math.max(1, Math.max(image.rows(), image.cols())) + (image.cols() < 8 ? 1 : 0));
  }
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Layer;
import dln.runtime.Shapes;

/** Shared validation and size arithmetic of convolution and pooling layers. */
final class Geometry {
  private Geometry() {}

  /** A (height, width) pair from one or two numbers. */
  static int[] pair(int[] v, String what, int[] dflt) {
    if (v == null) {
      if (dflt == null) throw DlnRuntimeException.value(what + " is required", "e.g. " + what + "=3 or (3, 3)");
      return dflt.clone();
    }
    if (v.length == 1) v = new int[] {v[0], v[0]};
    if (v.length != 2) throw DlnRuntimeException.value(what + " needs one or two numbers, got " + v.length, "e.g. 3 or (3, 3)");
    if (v[0] <= 0 || v[1] <= 0) {
      throw DlnRuntimeException.value(what + " must be positive, got (" + v[0] + ", " + v[1] + ")");
    }
    return v.clone();
  }

  static String padding(String p) {
    String s = p == null ? "valid" : p.toLowerCase(java.util.Locale.ROOT);
    if (!s.equals("valid") && !s.equals("same")) {
      throw DlnRuntimeException.value("padding must be 'valid' or 'same', got '" + p + "'");
    }
    return s;
  }

  static long[] requireImage(Layer layer, long[] s) {
    if (s.length == 4) return s;
    String hint;
    if (s.length == 2) {
      long n = s[1];
      long side = Math.round(Math.sqrt(n));
      hint = side * side == n
          ? "reshape the input to images first, e.g. Reshape((" + side + ", " + side + ", 1)) for " + n + " = " + side + " × " + side + " pixels"
          : "reshape the input to (height, width, channels) with Reshape(...)";
    } else if (s.length == 3) {
      hint = "add a channels axis: Reshape((" + s[1] + ", " + s[2] + ", 1))";
    } else {
      hint = null;
    }
    throw DlnRuntimeException.shape(layer.describe() + " expects 4-D images (batch, height, width, channels), but got an input of shape "
        + Shapes.format(s), hint);
  }

  /**
   * The output shape of a window sliding over images (a convolution, a pooling): height and width
   * by {@link #outSize}, and {@code channels} out; a located error for an input not an image.
   */
  static long[] slidingWindowOutput(Layer layer, long[] in, int[] window, int[] strides, String padding, long channels) {
    long[] s = requireImage(layer, in);
    long h = outSize(layer, s[1], window[0], strides[0], padding, "height");
    long w = outSize(layer, s[2], window[1], strides[1], padding, "width");
    return new long[] {Shapes.UNKNOWN, h, w, channels};
  }

  /**
   * Keras's border sizes as (top, bottom, left, right): one number for all four, two for
   * (vertical, horizontal), or the four (null: {@code dflt} all round); a located error for another
   * count or a negative size.
   */
  static int[] borders(int[] v, int dflt, String type, String what) {
    int[] b = v == null ? new int[] {dflt} : v;
    if (b.length == 1) b = new int[] {b[0], b[0], b[0], b[0]};
    else if (b.length == 2) b = new int[] {b[0], b[0], b[1], b[1]};
    if (b.length != 4) {
      throw DlnRuntimeException.value(type + " needs 1, 2 or 4 numbers (top, bottom, left, right), got " + b.length,
          "e.g. " + type + "(1) or " + type + "((1, 1, 2, 2))");
    }
    for (int x : b) if (x < 0) throw DlnRuntimeException.value(what + " must not be negative, got " + x);
    return b.clone();
  }

  /** Output size of one spatial axis; "valid" needs the window to fit. */
  static long outSize(Layer layer, long in, int k, int stride, String padding, String axis) {
    if (in == Shapes.UNKNOWN) return Shapes.UNKNOWN; // a None axis (any length) stays None, as in Keras
    if (padding.equals("same")) return (in + stride - 1) / stride;
    if (in < k) {
      throw DlnRuntimeException.shape(
          layer.describe() + ": the window (" + k + ") is larger than the input " + axis + " (" + in + ")",
          "use padding='same', a smaller window, or a larger input");
    }
    return (in - k) / stride + 1;
  }

  /** One positive size from an int or a one-element tuple (Keras's 1-D kernel_size, strides, pool_size). */
  static int single(int[] v, String what, int dflt) {
    if (v == null) {
      if (dflt <= 0) throw DlnRuntimeException.value(what + " is required", "e.g. " + what + "=3");
      return dflt;
    }
    if (v.length != 1) throw DlnRuntimeException.value(what + " of a 1-D layer is one number, got " + v.length, "e.g. " + what + "=3");
    if (v[0] <= 0) throw DlnRuntimeException.value(what + " must be positive, got " + v[0]);
    return v[0];
  }

  /** A (batch, steps, channels) shape, or a shape error with a hint. */
  static long[] requireSequence(Layer layer, long[] s) {
    if (s.length == 3) return s;
    String hint = s.length == 2 ? "add a channels axis: Reshape((" + s[1] + ", 1))"
        : s.length == 4 ? "use the 2-D layer for images, or Reshape to (steps, channels)" : null;
    throw DlnRuntimeException.shape(layer.describe() + " expects 3-D sequences (batch, steps, channels), but got an input of shape "
        + Shapes.format(s), hint);
  }

  /** A recurrent layer's input (batch, steps, features), or a shape error with a hint. */
  static long[] requireRecurrentInput(Layer layer, long[] s) {
    if (s.length == 3) return s;
    throw DlnRuntimeException.shape(layer.describe() + " expects 3-D sequences (batch, steps, features), but got an input of shape "
        + Shapes.format(s), s.length == 2 ? "add a features axis with Reshape((" + s[1] + ", 1)), or an Embedding for word indices"
        : s.length > 3 ? "a recurrent layer reads one sequence per sample: Reshape to (steps, features)" : null);
  }
}

package dln.runtime.tensor;

import dln.runtime.Shapes;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prints tensors the way numpy prints arrays (same layout, line wrapping at 75 columns and
 * summarisation of tensors over 1000 elements with 3 edge items), but with a fixed precision so
 * that golden outputs are stable: floats with 4 decimals, ints plain, bools true/false. Elements are
 * right-aligned to a common width. The shape and dtype always follow.
 */
final class TensorFormat {
  static final int THRESHOLD = 1000;
  static final int EDGE_ITEMS = 3;
  static final int LINE_WIDTH = 75;
  private static final String PREFIX = "tensor(";
  private static final String SUMMARY = "...";

  private final INDArray x;
  private final boolean summarise;
  private final DataType type;
  private int width;

  private TensorFormat(INDArray x) {
    this.x = x;
    this.summarise = x.length() > THRESHOLD;
    this.type = DTypes.normal(x.dataType());
  }

  static String format(INDArray x) {
    return new TensorFormat(x).render();
  }

  private String render() {
    String dtype = "dtype=" + DTypes.name(x.dataType());
    if (x.rank() == 0) return PREFIX + element(new long[0]) + ", " + dtype + ")";
    String shape = "shape=" + Shapes.str(x.shape());
    String body;
    if (x.length() == 0) {
      body = "[]";
    } else {
      width = 0;
      measure(new long[x.rank()], 0);
      // numpy reserves room for the closing ")" of the prefix on every line.
      body = recurse(new long[0], " ".repeat(PREFIX.length() + 1), LINE_WIDTH - 1);
    }
    return PREFIX + body + ", " + shape + ", " + dtype + ")";
  }

  /** The positions of an axis that are shown (all of them, or the edges when summarising). */
  private long[] shown(long len) {
    if (!summarise || len <= 2L * EDGE_ITEMS) {
      long[] all = new long[(int) len];
      for (int i = 0; i < all.length; i++) all[i] = i;
      return all;
    }
    long[] edges = new long[2 * EDGE_ITEMS];
    for (int i = 0; i < EDGE_ITEMS; i++) {
      edges[i] = i;
      edges[EDGE_ITEMS + i] = len - EDGE_ITEMS + i;
    }
    return edges;
  }

  private void measure(long[] idx, int axis) {
    if (axis == x.rank()) {
      width = Math.max(width, element(idx).length());
      return;
    }
    for (long i : shown(x.size(axis))) {
      idx[axis] = i;
      measure(idx, axis + 1);
    }
  }

  private String element(long[] idx) {
    boolean scalar = idx.length == 0;
    if (type == DataType.BOOL) return (scalar ? x.getDouble(0) : x.getDouble(idx)) != 0 ? "true" : "false";
    if (DTypes.isInt(type)) return Long.toString(scalar ? x.getLong(0) : x.getLong(idx));
    double v = scalar ? x.getDouble(0) : x.getDouble(idx);
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    String s = String.format(Locale.ROOT, "%.4f", v);
    // -0.0 and tiny negatives would print as -0.0000: show them as 0.
    return s.equals("-0.0000") ? "0.0000" : s;
  }

  private String padded(long[] idx) {
    String s = element(idx);
    return " ".repeat(width - s.length()) + s;
  }

  /** numpy's _formatArray: nested brackets, "," separators, wrapping and "..." rows. */
  private String recurse(long[] index, String hangingIndent, int currWidth) {
    int axis = index.length;
    int axesLeft = x.rank() - axis;
    if (axesLeft == 0) return padded(index);
    String nextHangingIndent = hangingIndent + " ";
    int nextWidth = currWidth - 1;
    long len = x.size(axis);
    boolean showSummary = summarise && 2L * EDGE_ITEMS < len;
    long leading = showSummary ? EDGE_ITEMS : 0;
    long trailing = showSummary ? EDGE_ITEMS : len;
    StringBuilder s = new StringBuilder();
    if (axesLeft == 1) {
      int elemWidth = currWidth - 1;
      StringBuilder line = new StringBuilder(hangingIndent);
      for (long i = 0; i < leading; i++) {
        extend(s, line, recurse(child(index, i), nextHangingIndent, nextWidth), elemWidth, hangingIndent);
        line.append(", ");
      }
      if (showSummary) {
        extend(s, line, SUMMARY, elemWidth, hangingIndent);
        line.append(", ");
      }
      for (long i = trailing; i > 1; i--) {
        extend(s, line, recurse(child(index, len - i), nextHangingIndent, nextWidth), elemWidth, hangingIndent);
        line.append(", ");
      }
      extend(s, line, recurse(child(index, len - 1), nextHangingIndent, nextWidth), elemWidth, hangingIndent);
      s.append(line);
    } else {
      String lineSep = "," + "\n".repeat(axesLeft - 1);
      for (long i = 0; i < leading; i++) {
        s.append(hangingIndent).append(recurse(child(index, i), nextHangingIndent, nextWidth)).append(lineSep);
      }
      if (showSummary) s.append(hangingIndent).append(SUMMARY).append(lineSep);
      for (long i = trailing; i > 1; i--) {
        s.append(hangingIndent).append(recurse(child(index, len - i), nextHangingIndent, nextWidth)).append(lineSep);
      }
      s.append(hangingIndent).append(recurse(child(index, len - 1), nextHangingIndent, nextWidth));
    }
    return "[" + s.substring(hangingIndent.length()) + "]";
  }

  /** numpy's _extendLine: start a new line when the word would pass the width. */
  private static void extend(StringBuilder s, StringBuilder line, String word, int lineWidth, String nextLinePrefix) {
    boolean wrap = line.length() + word.length() > lineWidth && line.length() > nextLinePrefix.length();
    if (wrap) {
      s.append(stripTrailing(line)).append('\n');
      line.setLength(0);
      line.append(nextLinePrefix);
    }
    line.append(word);
  }

  private static String stripTrailing(CharSequence cs) {
    int end = cs.length();
    while (end > 0 && cs.charAt(end - 1) == ' ') end--;
    return cs.subSequence(0, end).toString();
  }

  private static long[] child(long[] index, long i) {
    long[] c = java.util.Arrays.copyOf(index, index.length + 1);
    c[index.length] = i;
    return c;
  }
}

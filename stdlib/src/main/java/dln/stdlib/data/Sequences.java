package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code pad_sequences}: token sequences of different lengths made into one
 * [samples, maxlen] tensor, for an Embedding layer to read.
 */
public final class Sequences {
  private Sequences() {}

  /** Where padding goes, or which end a too-long sequence loses: Keras's 'pre' and 'post'. */
  public enum End {
    PRE,
    POST;

    /** 'pre' or 'post'; anything else is Keras's error ({@code what} is "Padding" or "Truncating"). */
    public static End of(String name, String what) {
      return switch (name) {
        case "pre" -> PRE;
        case "post" -> POST;
        default -> throw DlnRuntimeException.value(what + " type \"" + name + "\" not understood", "use '" + "pre' or 'post'");
      };
    }
  }

  /**
   * Pads (with {@code value}) or truncates each sequence to {@code maxlen} values, as Keras does:
   * {@code maxlen} null means the longest sequence's length; padding and truncation each happen at
   * the start ({@link End#PRE}, Keras's default) or the end. An empty sequence is all padding. The
   * result has {@code dtype} (Keras's default int32), so values are cast as NumPy casts them.
   */
  public static INDArray pad(List<double[]> sequences, Integer maxlen, DataType dtype, End padding, End truncating, double value) {
    if (maxlen != null && maxlen < 0) throw DlnRuntimeException.value("pad_sequences() maxlen must not be negative, got " + maxlen, null);
    int len = 0;
    if (maxlen != null) len = maxlen;
    else for (double[] s : sequences) len = Math.max(len, s.length);
    int n = sequences.size();
    double[] out = new double[n * len];
    java.util.Arrays.fill(out, value);
    for (int i = 0; i < n; i++) {
      double[] s = sequences.get(i);
      int keep = Math.min(len, s.length);
      int from = truncating == End.PRE ? s.length - keep : 0; // 'pre' drops the start, keeping the last values
      int to = padding == End.PRE ? len - keep : 0; // 'pre' pads before, so the values end the row
      System.arraycopy(s, from, out, i * len + to, keep);
    }
    return Nd4j.create(out, new long[] {n, len}, DataType.DOUBLE).castTo(dtype);
  }
}

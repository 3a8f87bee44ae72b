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
   * One sequence: {@code length} steps, each a sample of {@code sampleShape} (empty for a token
   * id), their values row-major in {@code values}.
   */
  public record Steps(int length, long[] sampleShape, double[] values) {
    /** A sequence of numbers (token ids): one value per step. */
    public static Steps of(double[] values) {
      return new Steps(values.length, new long[0], values);
    }
  }

  /**
   * Pads (with {@code value}) or truncates each sequence to {@code maxlen} values, as Keras does:
   * {@code maxlen} null means the longest sequence's length; padding and truncation each happen at
   * the start ({@link End#PRE}, Keras's default) or the end. An empty sequence is all padding. The
   * result has {@code dtype} (Keras's default int32), so values are cast as NumPy casts them.
   */
  public static INDArray pad(List<double[]> sequences, Integer maxlen, DataType dtype, End padding, End truncating, double value) {
    return padSteps(sequences.stream().map(Steps::of).toList(), maxlen, dtype, padding, truncating, value);
  }

  /**
   * {@link #pad} for sequences whose steps may be vectors (or any sample shape), as Keras's
   * pad_sequences takes them: the result is (samples, maxlen) + the sample shape, which the first
   * non-empty sequence gives; a sequence with other samples is Keras's ValueError.
   */
  public static INDArray padSteps(List<Steps> sequences, Integer maxlen, DataType dtype, End padding, End truncating, double value) {
    if (maxlen != null && maxlen < 0) throw DlnRuntimeException.value("pad_sequences() maxlen must not be negative, got " + maxlen, null);
    long[] sample = new long[0];
    for (Steps s : sequences) {
      if (s.length() > 0) {
        sample = s.sampleShape();
        break;
      }
    }
    int len = 0;
    if (maxlen != null) len = maxlen;
    else for (Steps s : sequences) len = Math.max(len, s.length());
    int n = sequences.size();
    int size = (int) java.util.Arrays.stream(sample).reduce(1, Math::multiplyExact);
    double[] out = new double[Math.multiplyExact(n, Math.multiplyExact(len, size))];
    java.util.Arrays.fill(out, value);
    for (int i = 0; i < n; i++) {
      Steps s = sequences.get(i);
      if (s.length() == 0) continue; // Keras skips an empty sequence before checking its shape
      if (!java.util.Arrays.equals(s.sampleShape(), sample)) {
        throw DlnRuntimeException.value("Shape of sample " + pythonTuple(s.sampleShape()) + " of sequence at position " + i
            + " is different from expected shape " + pythonTuple(sample), "give every step of every sequence the same shape");
      }
      int keep = Math.min(len, s.length());
      int from = truncating == End.PRE ? s.length() - keep : 0; // 'pre' drops the start, keeping the last steps
      int to = padding == End.PRE ? len - keep : 0; // 'pre' pads before, so the steps end the row
      System.arraycopy(s.values(), from * size, out, (i * len + to) * size, keep * size);
    }
    long[] shape = new long[2 + sample.length];
    shape[0] = n;
    shape[1] = len;
    System.arraycopy(sample, 0, shape, 2, sample.length);
    return Nd4j.create(out, shape, DataType.DOUBLE).castTo(dtype);
  }

  /** A shape as Python prints a tuple, as Keras's message shows it: (), (3,), (2, 3). */
  private static String pythonTuple(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }
}

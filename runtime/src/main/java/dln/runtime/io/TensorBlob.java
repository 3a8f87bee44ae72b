package dln.runtime.io;

import dln.runtime.DlnRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binary layout of named tensors in a model file ({@code weights.bin}, {@code optimizer.bin}).
 * Every number is little-endian:
 *
 * <pre>
 * header   4 bytes  ASCII "DLNT"
 *          u32      layout version (1)
 *          u32      number of tensors
 * tensor   u16      length of the name in bytes, then the name in UTF-8 ("dense/kernel")
 *          u8       dtype: 1 = float32, 2 = float64
 *          u8       rank
 *          i64 × rank   dimensions
 *          the values in row-major (C) order: 4 bytes each for float32 (IEEE 754), 8 for float64
 * </pre>
 *
 * Nothing follows the last tensor. The values are copied bit for bit, so a model read back
 * predicts exactly as the saved one.
 */
public final class TensorBlob {
  static final byte[] MAGIC = {'D', 'L', 'N', 'T'};
  static final int LAYOUT_VERSION = 1;
  static final int FLOAT32 = 1;
  static final int FLOAT64 = 2;

  private TensorBlob() {}

  /** Encodes tensors in order (names must be unique). */
  public static byte[] write(Map<String, INDArray> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer head = le(12).put(MAGIC).putInt(LAYOUT_VERSION).putInt(tensors.size());
    out.write(head.array(), 0, head.position());
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      INDArray a = e.getValue();
      boolean dbl = a.dataType() == DataType.DOUBLE;
      INDArray c = a.dataType() == DataType.FLOAT || dbl ? a : a.castTo(DataType.FLOAT);
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      long[] shape = c.shape();
      ByteBuffer h = le(2 + name.length + 2 + 8 * shape.length);
      h.putShort((short) name.length).put(name).put((byte) (dbl ? FLOAT64 : FLOAT32)).put((byte) shape.length);
      for (long d : shape) h.putLong(d);
      out.write(h.array(), 0, h.position());
      INDArray flat = c.dup('c');
      int n = (int) flat.length();
      ByteBuffer data = le(n * (dbl ? 8 : 4));
      if (dbl) data.asDoubleBuffer().put(flat.data().asDouble());
      else data.asFloatBuffer().put(flat.data().asFloat());
      out.write(data.array(), 0, data.capacity());
    }
    return out.toByteArray();
  }

  /**
   * Decodes tensors; every length is checked against the bytes present, so a damaged blob gives
   * a clear error instead of an exception from deep inside.
   *
   * @param what the entry's name for messages
   */
  public static Map<String, INDArray> read(byte[] bytes, String what) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    need(b, 12, what);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) throw damaged(what, "it does not start with \"DLNT\"");
    int version = b.getInt();
    if (version != LAYOUT_VERSION) throw damaged(what, "unknown tensor layout version " + version);
    int count = b.getInt();
    if (count < 0 || count > bytes.length / 12) throw damaged(what, "impossible tensor count " + count);
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      need(b, 2, what);
      int nameLen = Short.toUnsignedInt(b.getShort());
      need(b, nameLen + 2, what);
      byte[] name = new byte[nameLen];
      b.get(name);
      int dtype = b.get();
      int rank = b.get();
      if (dtype != FLOAT32 && dtype != FLOAT64) throw damaged(what, "unknown dtype code " + dtype);
      if (rank < 0 || rank > 8) throw damaged(what, "impossible rank " + rank);
      need(b, 8L * rank, what);
      long[] shape = new long[rank];
      long n = 1;
      for (int d = 0; d < rank; d++) {
        shape[d] = b.getLong();
        if (shape[d] < 0 || shape[d] > Integer.MAX_VALUE) throw damaged(what, "impossible dimension " + shape[d]);
        n *= shape[d];
        if (n > Integer.MAX_VALUE) throw damaged(what, "impossible tensor size");
      }
      int item = dtype == FLOAT64 ? 8 : 4;
      need(b, n * item, what);
      INDArray a;
      if (dtype == FLOAT64) {
        double[] v = new double[(int) n];
        b.asDoubleBuffer().get(v);
        a = Nd4j.create(v, shape, 'c');
      } else {
        float[] v = new float[(int) n];
        b.asFloatBuffer().get(v);
        a = Nd4j.create(v, shape, 'c');
      }
      b.position(b.position() + (int) (n * item));
      String key = new String(name, StandardCharsets.UTF_8);
      if (out.put(key, a) != null) throw damaged(what, "tensor '" + key + "' appears twice");
    }
    if (b.hasRemaining()) throw damaged(what, b.remaining() + " unexpected bytes after the last tensor");
    return out;
  }

  /** The names in a blob, in order (for messages). */
  static List<String> names(Map<String, INDArray> tensors) {
    return new ArrayList<>(tensors.keySet());
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void need(ByteBuffer b, long n, String what) {
    if (b.remaining() < n) throw damaged(what, "it ends early");
  }

  private static DlnRuntimeException damaged(String what, String why) {
    return DlnRuntimeException.io(what + " is damaged: " + why, "save the model again");
  }
}

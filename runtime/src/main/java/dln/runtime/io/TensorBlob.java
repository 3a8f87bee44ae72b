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
 *          u8       dtype: 1 = float32, 2 = float64, 3 = int32, 4 = int64, 5 = bool, 6 = uint8
 *                   (the last four in session files only; ints little-endian, bool and uint8 one byte)
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
  /** Integer and bool codes, used by session files (model weights are always floats). */
  static final int INT32 = 3;
  static final int INT64 = 4;
  static final int BOOL = 5;
  static final int UINT8 = 6;

  private TensorBlob() {}

  /** Encodes tensors in order (names must be unique). */
  public static byte[] write(Map<String, INDArray> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer head = le(12).put(MAGIC).putInt(LAYOUT_VERSION).putInt(tensors.size());
    out.write(head.array(), 0, head.position());
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      INDArray a = e.getValue();
      int code = code(a.dataType());
      INDArray c = code == FLOAT32 && a.dataType() != DataType.FLOAT ? a.castTo(DataType.FLOAT) : a;
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      long[] shape = c.shape();
      ByteBuffer h = le(2 + name.length + 2 + 8 * shape.length);
      h.putShort((short) name.length).put(name).put((byte) code).put((byte) shape.length);
      for (long d : shape) h.putLong(d);
      out.write(h.array(), 0, h.position());
      INDArray flat = c.dup('c');
      int n = (int) flat.length();
      ByteBuffer data = le(n * itemSize(code));
      switch (code) {
        case FLOAT64 -> data.asDoubleBuffer().put(flat.data().asDouble());
        case INT64 -> data.asLongBuffer().put(flat.data().asLong());
        case INT32 -> data.asIntBuffer().put(flat.data().asInt());
        case BOOL, UINT8 -> {
          for (int i = 0; i < n; i++) data.put((byte) flat.getLong(i));
        }
        default -> data.asFloatBuffer().put(flat.data().asFloat());
      }
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
      if (dtype < FLOAT32 || dtype > UINT8) throw damaged(what, "unknown dtype code " + dtype);
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
      int item = itemSize(dtype);
      need(b, n * item, what);
      INDArray a;
      switch (dtype) {
        case FLOAT64 -> {
          double[] v = new double[(int) n];
          b.asDoubleBuffer().get(v);
          a = Nd4j.create(v, shape, 'c');
        }
        case INT64 -> {
          long[] v = new long[(int) n];
          b.asLongBuffer().get(v);
          a = Nd4j.createFromArray(v).reshape('c', shape);
        }
        case INT32 -> {
          int[] v = new int[(int) n];
          b.asIntBuffer().get(v);
          a = Nd4j.createFromArray(v).reshape('c', shape);
        }
        case BOOL, UINT8 -> {
          byte[] v = new byte[(int) n];
          b.slice().get(v);
          if (dtype == BOOL) {
            boolean[] z = new boolean[(int) n];
            for (int k = 0; k < n; k++) z[k] = v[k] != 0;
            a = Nd4j.createFromArray(z).reshape('c', shape);
          } else {
            int[] w = new int[(int) n];
            for (int k = 0; k < n; k++) w[k] = Byte.toUnsignedInt(v[k]);
            a = Nd4j.createFromArray(w).castTo(DataType.UBYTE).reshape('c', shape);
          }
        }
        default -> {
          float[] v = new float[(int) n];
          b.asFloatBuffer().get(v);
          a = Nd4j.create(v, shape, 'c');
        }
      }
      b.position(b.position() + (int) (n * item));
      String key = new String(name, StandardCharsets.UTF_8);
      if (out.put(key, a) != null) throw damaged(what, "tensor '" + key + "' appears twice");
    }
    if (b.hasRemaining()) throw damaged(what, b.remaining() + " unexpected bytes after the last tensor");
    return out;
  }

  private static int code(DataType t) {
    return switch (t) {
      case DOUBLE -> FLOAT64;
      case LONG -> INT64;
      case INT -> INT32;
      case BOOL -> BOOL;
      case UBYTE -> UINT8;
      default -> FLOAT32;
    };
  }

  private static int itemSize(int code) {
    return switch (code) {
      case FLOAT64, INT64 -> 8;
      case BOOL, UINT8 -> 1;
      default -> 4;
    };
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

package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's own file formats: {@code .npy} (one array: the magic {@code \x93NUMPY}, a version, a
 * header dict with descr, fortran_order and shape, padded to 64 bytes, then the raw data) and
 * {@code .npz} (a zip of .npy files, stored by np.savez, deflated by np.savez_compressed).
 * Written exactly as NumPy 1.24 writes them (version 1.0, little-endian, C order), so NumPy reads
 * them; read in versions 1–3, either byte order and either memory order.
 */
public final class NpyFiles {
  private NpyFiles() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** True when the file starts like a zip (an .npz) rather than an .npy. */
  public static boolean isNpz(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4 && head[0] == 'P' && head[1] == 'K';
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** Writes x as an .npy file. */
  public static void save(Path file, INDArray x) {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(toBytes(x));
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** Reads an .npy file. */
  public static INDArray load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return fromBytes(in.readAllBytes(), file.getFileName().toString());
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** Writes arrays into an .npz file, entry {@code name.npy} for each; deflated when {@code compressed}. */
  public static void saveNpz(Path file, Map<String, INDArray> arrays, boolean compressed) {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        byte[] data = toBytes(e.getValue());
        ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
        if (compressed) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          // np.savez stores its entries; a stored zip entry must declare its size and CRC up front
          CRC32 crc = new CRC32();
          crc.update(data);
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(data.length);
          entry.setCompressedSize(data.length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** Reads every array of an .npz file, by name without ".npy", in the file's order. */
  public static Map<String, INDArray> loadNpz(Path file) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) continue;
        String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
        try (InputStream in = zip.getInputStream(e)) {
          out.put(name, fromBytes(in.readAllBytes(), file.getFileName() + "/" + e.getName()));
        }
      }
    } catch (IOException e) {
      throw io(file, e);
    }
    return out;
  }

  /** The .npy bytes of x. */
  public static byte[] toBytes(INDArray x) {
    String descr = descr(x.dataType());
    StringBuilder shape = new StringBuilder("(");
    long[] s = x.shape();
    for (int i = 0; i < s.length; i++) shape.append(i > 0 ? ", " : "").append(s[i]);
    if (s.length == 1) shape.append(',');
    shape.append(')');
    StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }");
    // NumPy pads with spaces and ends with \n so that magic + version + length + header is a multiple of 64
    int total = MAGIC.length + 2 + 2 + header.length() + 1;
    header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    out.write(1);
    out.write(0);
    int len = header.length();
    out.write(len & 0xff);
    out.write(len >> 8);
    out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data(x, descr));
    return out.toByteArray();
  }

  private static String descr(DataType t) {
    return switch (t) {
      case FLOAT -> "<f4";
      case DOUBLE -> "<f8";
      case HALF -> "<f2";
      case INT -> "<i4";
      case LONG -> "<i8";
      case SHORT -> "<i2";
      case BYTE -> "|i1";
      case UBYTE -> "|u1";
      case UINT16 -> "<u2";
      case UINT32 -> "<u4";
      case UINT64 -> "<u8";
      case BOOL -> "|b1";
      default -> throw DlnRuntimeException.value("a tensor of dtype " + DTypes.name(t) + " cannot be saved in NumPy's format");
    };
  }

  private static byte[] data(INDArray x, String descr) {
    int n = Math.toIntExact(x.length());
    int width = Integer.parseInt(descr.substring(2));
    ByteBuffer b = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
    if (n == 0) return b.array();
    char kind = descr.charAt(1);
    if (kind == 'f') {
      double[] v = ArrayOps.doubles(x);
      for (double d : v) {
        if (width == 8) b.putDouble(d);
        else if (width == 4) b.putFloat((float) d);
        else b.putShort(floatToHalf((float) d));
      }
    } else {
      long[] v = ArrayOps.longs(x);
      for (long l : v) {
        switch (width) {
          case 1 -> b.put((byte) l);
          case 2 -> b.putShort((short) l);
          case 4 -> b.putInt((int) l);
          default -> b.putLong(l);
        }
      }
    }
    return b.array();
  }

  /** Parses .npy bytes; {@code what} names the file in errors. */
  public static INDArray fromBytes(byte[] bytes, String what) {
    if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) {
      throw DlnRuntimeException.io(what + " is not a NumPy .npy file (it does not start with \\x93NUMPY)", null);
    }
    int major = bytes[6];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      start = 10;
    } else if (major == 2 || major == 3) {
      headerLen = b.getInt(8);
      start = 12;
    } else {
      throw DlnRuntimeException.io(what + ": .npy format version " + major + " is not supported", null);
    }
    if (start + headerLen > bytes.length) throw DlnRuntimeException.io(what + " is truncated (its header is cut off)", null);
    String header = new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) throw DlnRuntimeException.io(what + ": unreadable .npy header " + header.strip(), null);
    String descr = d.group(1);
    boolean fortran = f.group(1).equals("True");
    long[] shape = parseShape(s.group(1), what);
    if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0 || "fiub".indexOf(descr.charAt(1)) < 0) {
      throw DlnRuntimeException.io(what + ": arrays of dtype '" + descr + "' cannot be loaded",
          "DLN reads numeric and bool arrays (f2, f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1); object arrays need pickle");
    }
    char kind = descr.charAt(1);
    int width = Integer.parseInt(descr.substring(2));
    int n = Math.toIntExact(Shapes.size(shape));
    int dataStart = start + headerLen;
    if ((long) n * width > bytes.length - dataStart) throw DlnRuntimeException.io(what + " is truncated (fewer values than its shape needs)", null);
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, n * width).slice()
        .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    DataType type = dtypeOf(kind, width, descr, what);
    // Fortran order: the values run along the first axis fastest, i.e. C order of the reversed shape
    long[] cshape = fortran ? reversed(shape) : shape;
    INDArray x;
    if (kind == 'f') {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = width == 8 ? data.getDouble() : width == 4 ? data.getFloat() : halfToFloat(data.getShort());
      x = ArrayOps.fromDoubles(v, cshape, type);
    } else {
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = switch (width) {
          case 1 -> kind == 'i' ? data.get() : data.get() & 0xffL;
          case 2 -> kind == 'i' ? data.getShort() : data.getShort() & 0xffffL;
          case 4 -> kind == 'i' ? data.getInt() : data.getInt() & 0xffffffffL;
          default -> data.getLong();
        };
      }
      x = ArrayOps.fromLongs(v, cshape, type);
    }
    if (fortran && shape.length > 1) {
      int[] axes = new int[shape.length];
      for (int i = 0; i < axes.length; i++) axes[i] = axes.length - 1 - i;
      x = x.permute(axes).dup('c');
    }
    return x;
  }

  private static DataType dtypeOf(char kind, int width, String descr, String what) {
    DataType t = switch (kind + "" + width) {
      case "f2" -> DataType.HALF;
      case "f4" -> DataType.FLOAT;
      case "f8" -> DataType.DOUBLE;
      case "i1" -> DataType.BYTE;
      case "i2" -> DataType.SHORT;
      case "i4" -> DataType.INT;
      case "i8" -> DataType.LONG;
      case "u1" -> DataType.UBYTE;
      case "u2" -> DataType.UINT16;
      case "u4" -> DataType.UINT32;
      case "u8" -> DataType.UINT64;
      case "b1" -> DataType.BOOL;
      default -> null;
    };
    if (t == null) throw DlnRuntimeException.io(what + ": arrays of dtype '" + descr + "' cannot be loaded", null);
    return t;
  }

  private static long[] parseShape(String text, String what) {
    String[] parts = text.split(",");
    java.util.List<Long> dims = new java.util.ArrayList<>();
    for (String p : parts) {
      String t = p.strip();
      if (t.isEmpty()) continue;
      try {
        dims.add(Long.parseLong(t.replace("L", "")));
      } catch (NumberFormatException e) {
        throw DlnRuntimeException.io(what + ": unreadable shape (" + text + ") in the .npy header", null);
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] reversed(long[] s) {
    long[] r = new long[s.length];
    for (int i = 0; i < s.length; i++) r[i] = s[s.length - 1 - i];
    return r;
  }

  private static DlnRuntimeException io(Path file, IOException e) {
    String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e instanceof java.util.zip.ZipException ? "not a valid .npz (zip) file: " + e.getMessage() : e.toString();
    return DlnRuntimeException.io("cannot access " + file + ": " + why, null);
  }

  /** IEEE half-precision bits to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    if (exp == 0) {
      float v = mant / 1024f / 16384f; // subnormal: mant * 2^-24
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** float to IEEE half-precision bits, rounding to nearest. */
  static short floatToHalf(float f) {
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    if (Float.isNaN(f)) return (short) (sign | 0x7e00);
    float a = Math.abs(f);
    if (a >= 65520f) return (short) (sign | 0x7c00);
    if (a < 6.1035156e-5f) return (short) (sign | Math.round(a * 16777216f)); // subnormal: units of 2^-24
    int e = ((bits >> 23) & 0xff) - 112;
    int m = bits & 0x7fffff;
    int half = (e << 10) | (m >> 13);
    int rest = m & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) half++;
    return (short) (sign | half);
  }
}

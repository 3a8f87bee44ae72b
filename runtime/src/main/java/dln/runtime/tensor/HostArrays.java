package dln.runtime.tensor;

import dln.runtime.Shapes;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.indexer.BooleanIndexer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.javacpp.indexer.LongIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small tensors in and out of Java arrays without dispatching a libnd4j op: the transport layer of
 * {@link HostElementwise}.
 *
 * <p><b>Reading</b> goes through the data buffer's JavaCPP indexer into a Java array of the
 * compute type: one bulk copy when the operand is dense in c order (a view's buffer already starts
 * at the view's offset, so row slices count too), else an element-wise gather at
 * {@code i*stride[0] + j*stride[1] + ...}. Operands smaller than the output are then broadcast
 * with {@code System.arraycopy} of whole rows and blocks. Values are converted to the compute
 * dtype exactly as ND4J's {@code castTo} and {@code Nd4j.scalar(type, number)} convert them, so
 * the host path sees the same numbers the libnd4j path would.
 *
 * <p><b>Creating</b> the result is where ND4J spends most of a small op's time: building a shape
 * descriptor costs two temporary native allocations and three JNI calls per array (~5 µs), the
 * data buffer another native allocation. Shape descriptors are immutable constants (libnd4j
 * already hands out one shared native buffer per distinct descriptor), so this class keeps the
 * descriptor of each (dtype, shape) it has produced and builds later arrays of that shape from a
 * fresh data buffer plus the shared descriptor, through the CPU backend's
 * {@code NDArray(DataBuffer, LongBuffer, long[])} constructor (looked up reflectively: the runtime
 * also compiles against the CUDA backend). The first array of a shape is made by
 * {@link Nd4j#createUninitialized}, so every result is laid out exactly as {@code Nd4j.create}
 * lays it out.
 *
 * <p>Only the CPU backend's host memory is touched, and never inside an ND4J workspace (arrays
 * made there must be attached to it): {@link #usable()} says when this applies.
 */
final class HostArrays {
  private HostArrays() {}

  /** True on the CPU backend, whose buffers are plain host memory behind JavaCPP indexers. */
  private static final boolean CPU_BACKEND;
  /** {@code (DataBuffer data, DataBuffer shapeInfo, long[] javaShapeInfo) -> INDArray}, or null. */
  private static final MethodHandle WRAP;
  /** Bound on remembered descriptors; past it the map starts over (descriptors are cheap to remake). */
  private static final int MAX_DESCRIPTORS = 4096;
  private static final Map<ShapeKey, Descriptor> DESCRIPTORS = new ConcurrentHashMap<>();

  static {
    boolean cpu = false;
    MethodHandle wrap = null;
    try {
      INDArray probe = Nd4j.create(DataType.FLOAT, 1);
      Class<?> arrayClass = probe.getClass();
      cpu = arrayClass.getName().equals("org.nd4j.linalg.cpu.nativecpu.NDArray")
          && probe.data().indexer() instanceof FloatIndexer;
      if (cpu) {
        Class<?> infoClass = probe.shapeInfoDataBuffer().getClass();
        wrap = MethodHandles.publicLookup()
            .findConstructor(arrayClass, MethodType.methodType(void.class, DataBuffer.class, infoClass, long[].class))
            .asType(MethodType.methodType(INDArray.class, DataBuffer.class, DataBuffer.class, long[].class));
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      wrap = null; // another ND4J build: results are then made by Nd4j.createUninitialized every time
    }
    CPU_BACKEND = cpu;
    WRAP = wrap;
  }

  /** True when tensors may be read and made here: CPU backend, no ND4J workspace open on this thread. */
  static boolean usable() {
    return CPU_BACKEND && Nd4j.getMemoryManager().getCurrentWorkspace() == null;
  }

  /** The five dtypes DLN shows users; other ND4J types (float16, int8, ...) stay on libnd4j. */
  static boolean readable(DataType t) {
    return switch (t) {
      case FLOAT, DOUBLE, INT, LONG, BOOL -> true;
      default -> false;
    };
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** True when x's elements lie in c order at positions 0, 1, 2, ... of x.data() (views included). */
  private static boolean dense(INDArray x) {
    long[] shape = x.shape();
    long[] stride = x.stride();
    long expect = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expect) return false;
      expect *= shape[d];
    }
    return true;
  }

  /** The positions in x.data() of x's elements in c order, or null when they are 0, 1, 2, ... */
  private static long[] positions(INDArray x, int len) {
    if (dense(x)) return null;
    long[] shape = x.shape();
    long[] stride = x.stride();
    long[] pos = new long[len];
    int last = shape.length - 1;
    long[] idx = new long[shape.length];
    long p = 0;
    for (int i = 0; i < len; ) {
      // the innermost axis in one run, then carry into the outer axes like an odometer
      for (long k = 0; k < shape[last]; k++, i++) pos[i] = p + k * stride[last];
      for (int d = last - 1; d >= 0; d--) {
        idx[d]++;
        p += stride[d];
        if (idx[d] < shape[d]) break;
        p -= idx[d] * stride[d];
        idx[d] = 0;
      }
    }
    return pos;
  }

  /** x's values as float32 (converted as {@code castTo(FLOAT)} converts), broadcast to {@code shape}. */
  static float[] floats(INDArray x, long[] shape, int n) {
    int len = (int) x.length();
    long[] pos = positions(x, len);
    DataBuffer buf = x.data();
    float[] v = new float[len];
    switch (buf.dataType()) {
      case FLOAT -> {
        FloatIndexer ix = (FloatIndexer) buf.indexer();
        if (pos == null) {
          ix.get(0L, v, 0, len);
        } else {
          for (int i = 0; i < len; i++) v[i] = ix.get(pos[i]);
        }
      }
      case DOUBLE -> {
        DoubleIndexer ix = (DoubleIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = (float) ix.get(pos == null ? i : pos[i]);
      }
      case INT -> {
        IntIndexer ix = (IntIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]);
      }
      case LONG -> {
        LongIndexer ix = (LongIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]);
      }
      case BOOL -> {
        BooleanIndexer ix = (BooleanIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]) ? 1 : 0;
      }
      default -> throw new IllegalStateException("unreadable dtype " + buf.dataType());
    }
    return (float[]) broadcast(v, x.shape(), shape, n);
  }

  /** x's values as float64, broadcast to {@code shape}. */
  static double[] doubles(INDArray x, long[] shape, int n) {
    int len = (int) x.length();
    long[] pos = positions(x, len);
    DataBuffer buf = x.data();
    double[] v = new double[len];
    switch (buf.dataType()) {
      case DOUBLE -> {
        DoubleIndexer ix = (DoubleIndexer) buf.indexer();
        if (pos == null) {
          ix.get(0L, v, 0, len);
        } else {
          for (int i = 0; i < len; i++) v[i] = ix.get(pos[i]);
        }
      }
      case FLOAT -> {
        FloatIndexer ix = (FloatIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]);
      }
      case INT -> {
        IntIndexer ix = (IntIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]);
      }
      case LONG -> {
        LongIndexer ix = (LongIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = (double) ix.get(pos == null ? i : pos[i]);
      }
      case BOOL -> {
        BooleanIndexer ix = (BooleanIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]) ? 1 : 0;
      }
      default -> throw new IllegalStateException("unreadable dtype " + buf.dataType());
    }
    return (double[]) broadcast(v, x.shape(), shape, n);
  }

  /**
   * x's values in the integer compute type {@code as} (INT wraps an int64 to 32 bits, as
   * {@code castTo} does), held as longs and broadcast to {@code shape}. x must not be floating.
   */
  static long[] longs(INDArray x, DataType as, long[] shape, int n) {
    int len = (int) x.length();
    long[] pos = positions(x, len);
    DataBuffer buf = x.data();
    long[] v = new long[len];
    switch (buf.dataType()) {
      case LONG -> {
        LongIndexer ix = (LongIndexer) buf.indexer();
        if (pos == null) {
          ix.get(0L, v, 0, len);
        } else {
          for (int i = 0; i < len; i++) v[i] = ix.get(pos[i]);
        }
        if (as == DataType.INT) {
          for (int i = 0; i < len; i++) v[i] = (int) v[i];
        }
      }
      case INT -> {
        IntIndexer ix = (IntIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]);
      }
      case BOOL -> {
        BooleanIndexer ix = (BooleanIndexer) buf.indexer();
        for (int i = 0; i < len; i++) v[i] = ix.get(pos == null ? i : pos[i]) ? 1 : 0;
      }
      default -> throw new IllegalStateException("not an integer dtype: " + buf.dataType());
    }
    return (long[]) broadcast(v, x.shape(), shape, n);
  }

  /**
   * A primitive array of {@code from}'s elements (c order) broadcast to {@code to} (n elements):
   * whole rows are copied with {@code System.arraycopy} and repeated blocks copied from the first.
   */
  static Object broadcast(Object src, long[] from, long[] to, int n) {
    if (java.lang.reflect.Array.getLength(src) == n) return src; // same shape, give or take leading 1s
    Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), n);
    int rank = to.length;
    long[] f = Shapes.prependOnes(from, rank);
    int[] fs = new int[rank];
    int[] ts = new int[rank];
    for (int d = rank - 1, a = 1, b = 1; d >= 0; d--) {
      fs[d] = a;
      ts[d] = b;
      a *= (int) f[d];
      b *= (int) to[d];
    }
    copy(src, 0, dst, 0, f, to, 0, fs, ts);
    return dst;
  }

  private static void copy(Object src, int from, Object dst, int at, long[] f, long[] t, int d, int[] fs, int[] ts) {
    int size = (int) t[d];
    if (d == t.length - 1) {
      if (f[d] == size) {
        System.arraycopy(src, from, dst, at, size);
      } else {
        fill(dst, at, size, src, from);
      }
    } else if (f[d] == 1) {
      copy(src, from, dst, at, f, t, d + 1, fs, ts);
      for (int i = 1; i < size; i++) System.arraycopy(dst, at, dst, at + i * ts[d], ts[d]);
    } else {
      for (int i = 0; i < size; i++) copy(src, from + i * fs[d], dst, at + i * ts[d], f, t, d + 1, fs, ts);
    }
  }

  /** dst[at .. at+len) = src[from], for float[], double[], long[] and boolean[]. */
  private static void fill(Object dst, int at, int len, Object src, int from) {
    if (dst instanceof float[] a) {
      Arrays.fill(a, at, at + len, ((float[]) src)[from]);
    } else if (dst instanceof double[] a) {
      Arrays.fill(a, at, at + len, ((double[]) src)[from]);
    } else if (dst instanceof long[] a) {
      Arrays.fill(a, at, at + len, ((long[]) src)[from]);
    } else {
      Arrays.fill((boolean[]) dst, at, at + len, ((boolean[]) src)[from]);
    }
  }

  /** A Python number (Long, Integer, Double, Float, Boolean) as float32, as {@code Nd4j.scalar(FLOAT, n)} stores it. */
  static float numberAsFloat(Object v) {
    return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).floatValue();
  }

  /** A Python number as float64, as {@code Nd4j.scalar(DOUBLE, n)} stores it. */
  static double numberAsDouble(Object v) {
    return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
  }

  /** A Python number in an integer compute type, as {@code Nd4j.scalar(type, n.longValue())} stores it. */
  static long numberAsLong(Object v, DataType as) {
    long l = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    return as == DataType.INT ? (int) l : l;
  }

  // ---- creating ---------------------------------------------------------------------------------

  /** A new c-order float32 tensor holding {@code v}. */
  static INDArray fromFloats(long[] shape, float[] v) {
    INDArray out = allocate(DataType.FLOAT, shape, v.length);
    ((FloatIndexer) out.data().indexer()).put(0L, v, 0, v.length);
    return out;
  }

  /** A new c-order tensor of DOUBLE, or of INT/LONG converted from doubles as libnd4j's cast does. */
  static INDArray fromDoubles(DataType type, long[] shape, double[] v) {
    int n = v.length;
    INDArray out = allocate(type, shape, n);
    DataBuffer buf = out.data();
    switch (type) {
      case DOUBLE -> ((DoubleIndexer) buf.indexer()).put(0L, v, 0, n);
      case INT -> {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = nativeToInt(v[i]);
        ((IntIndexer) buf.indexer()).put(0L, w, 0, n);
      }
      case LONG -> {
        long[] w = new long[n];
        for (int i = 0; i < n; i++) w[i] = nativeToLong(v[i]);
        ((LongIndexer) buf.indexer()).put(0L, w, 0, n);
      }
      default -> throw new IllegalArgumentException("fromDoubles: " + type);
    }
    return out;
  }

  /** A new c-order tensor of INT (values wrap to 32 bits) or LONG holding {@code v}. */
  static INDArray fromLongs(DataType type, long[] shape, long[] v) {
    int n = v.length;
    INDArray out = allocate(type, shape, n);
    DataBuffer buf = out.data();
    switch (type) {
      case INT -> {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = (int) v[i];
        ((IntIndexer) buf.indexer()).put(0L, w, 0, n);
      }
      case LONG -> ((LongIndexer) buf.indexer()).put(0L, v, 0, n);
      default -> throw new IllegalArgumentException("fromLongs: " + type);
    }
    return out;
  }

  /** A new c-order bool tensor holding {@code v}. */
  static INDArray fromBooleans(long[] shape, boolean[] v) {
    INDArray out = allocate(DataType.BOOL, shape, v.length);
    ((BooleanIndexer) out.data().indexer()).put(0L, v, 0, v.length);
    return out;
  }

  /**
   * A double converted to int32 the way the x86-64 CPU (and so libnd4j's cast) does it: values out
   * of range and NaN give {@code Integer.MIN_VALUE}, where Java's {@code (int)} would saturate.
   */
  static int nativeToInt(double d) {
    return d > -2147483649.0 && d < 2147483648.0 ? (int) d : Integer.MIN_VALUE;
  }

  /** A double converted to int64 like libnd4j's cast (x86-64): out of range and NaN give {@code Long.MIN_VALUE}. */
  static long nativeToLong(double d) {
    return d >= -9.223372036854775808E18 && d < 9.223372036854775808E18 ? (long) d : Long.MIN_VALUE;
  }

  /**
   * A new, uninitialised c-order tensor of {@code n > 0} elements to be filled through its
   * buffer's indexer: a fresh data buffer under the remembered descriptor of (type, shape), or, the
   * first time, an array from {@link Nd4j#createUninitialized} whose descriptor is then remembered.
   */
  private static INDArray allocate(DataType type, long[] shape, int n) {
    ShapeKey key = new ShapeKey(type, shape); // a lookup key: shares the caller's array
    Descriptor d = WRAP == null ? null : DESCRIPTORS.get(key);
    if (d != null) {
      DataBuffer buf = Nd4j.getDataBufferFactory().create(type, n, false);
      try {
        return (INDArray) WRAP.invokeExact(buf, d.info(), d.java().clone());
      } catch (Throwable e) {
        throw new IllegalStateException("cannot wrap a host buffer as a tensor", e);
      }
    }
    INDArray out = Nd4j.createUninitialized(type, shape);
    if (WRAP != null) {
      if (DESCRIPTORS.size() >= MAX_DESCRIPTORS) DESCRIPTORS.clear();
      DESCRIPTORS.put(new ShapeKey(type, shape.clone()), new Descriptor(out.shapeInfoDataBuffer(), out.shapeInfoJava().clone()));
    }
    return out;
  }

  private record Descriptor(DataBuffer info, long[] java) {}

  /** (dtype, shape) as a map key. Keys stored in the map own their array; lookups may share the caller's. */
  private static final class ShapeKey {
    private final DataType type;
    private final long[] shape;
    private final int hash;

    ShapeKey(DataType type, long[] shape) {
      this.type = type;
      this.shape = shape;
      this.hash = 31 * type.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShapeKey k && k.type == type && Arrays.equals(k.shape, shape);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

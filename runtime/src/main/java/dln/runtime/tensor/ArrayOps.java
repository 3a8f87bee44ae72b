package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's array manipulation functions with NumPy's semantics (result shapes, dtypes, axis
 * rules): sort, argsort, unique, where, nonzero, split, pad, tile, repeat, diff, meshgrid, eye.
 *
 * <p>Most of them move elements without computing on them, so each is written as a list of source
 * positions ({@link #take}), copied in Java whatever the dtype: exact for int64 and bool, and free
 * of the native gather op that crashed the JVM on some inputs (see {@link Indexing}).
 */
public final class ArrayOps {
  private ArrayOps() {}

  // ---- element access -------------------------------------------------------------------------

  /** The values in row-major order, as doubles (exact for every dtype but int64 above 2^53). */
  static double[] doubles(INDArray x) {
    if (x.length() == 0) return new double[0];
    return x.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {x.length()}).toDoubleVector();
  }

  /** The values in row-major order, as longs (ints and bools; floats are truncated). */
  static long[] longs(INDArray x) {
    if (x.length() == 0) return new long[0];
    return x.castTo(DataType.LONG).dup('c').reshape('c', new long[] {x.length()}).toLongVector();
  }

  /** A tensor of the given dtype and shape from row-major doubles. */
  static INDArray fromDoubles(double[] v, long[] shape, DataType t) {
    if (v.length == 0) return Nd4j.create(t, shape);
    INDArray flat = Nd4j.createFromArray(v);
    return DTypes.as(flat.reshape('c', shape), t);
  }

  /** A tensor of the given dtype and shape from row-major longs. */
  static INDArray fromLongs(long[] v, long[] shape, DataType t) {
    if (v.length == 0) return Nd4j.create(t, shape);
    INDArray flat = Nd4j.createFromArray(v);
    return DTypes.as(flat.reshape('c', shape), t);
  }

  /**
   * The elements of x at the given row-major positions, shaped {@code shape}, in x's dtype.
   * A position of -1 takes {@code fill} instead (used by pad).
   */
  static INDArray take(INDArray x, long[] positions, long[] shape, double fill) {
    DataType t = x.dataType();
    if (positions.length == 0) return Nd4j.create(t, shape);
    if (DTypes.isFloat(t)) {
      double[] src = doubles(x);
      double[] out = new double[positions.length];
      for (int i = 0; i < out.length; i++) out[i] = positions[i] < 0 ? fill : src[(int) positions[i]];
      return fromDoubles(out, shape, t);
    }
    long[] src = longs(x);
    long[] out = new long[positions.length];
    long f = (long) fill;
    for (int i = 0; i < out.length; i++) out[i] = positions[i] < 0 ? f : src[(int) positions[i]];
    return fromLongs(out, shape, t);
  }

  /** Row-major strides of a shape, in elements. */
  static long[] strides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** Source positions for every output element, from a per-axis map of output to input index. */
  private interface AxisMap {
    /** The input index on {@code axis} for output index {@code i}; -1 means "fill". */
    long map(int axis, long i);
  }

  private static long[] positions(long[] outShape, long[] inShape, AxisMap m) {
    int n = Math.toIntExact(Shapes.size(outShape));
    long[] inStrides = strides(inShape);
    long[] out = new long[n];
    long[] idx = new long[outShape.length];
    for (int k = 0; k < n; k++) {
      long p = 0;
      for (int a = 0; a < idx.length; a++) {
        long j = m.map(a, idx[a]);
        if (j < 0) {
          p = -1;
          break;
        }
        p += j * inStrides[a];
      }
      out[k] = p;
      for (int a = idx.length - 1; a >= 0; a--) {
        if (++idx[a] < outShape[a]) break;
        idx[a] = 0;
      }
    }
    return out;
  }

  // ---- sorting --------------------------------------------------------------------------------

  /** np.sort: sorted copy along axis (null: of the flattened tensor); NaN sorts last, as in NumPy. */
  public static INDArray sort(INDArray x, Integer axis) {
    INDArray src = axis == null ? Tensors.flatten(x) : x;
    if (src.rank() == 0) throw DlnRuntimeException.value("axis " + axis + " is out of range for a 0-d tensor");
    int a = Shapes.axis(axis == null ? 0 : axis, src.rank());
    long[][] lanes = lanes(src, a);
    long[] pos = new long[Math.toIntExact(src.length())];
    int k = 0;
    double[] dv = DTypes.isFloat(src.dataType()) ? doubles(src) : null;
    long[] lv = dv == null ? longs(src) : null;
    for (long[] lane : lanes) {
      Long[] order = stableOrder(lane, dv, lv);
      for (int i = 0; i < lane.length; i++) pos[(int) lane[i]] = lane[(int) (long) order[i]];
    }
    return take(src, pos, src.shape(), 0);
  }

  /** np.argsort: int64 positions that sort each lane along axis (null: the flattened tensor); stable. */
  public static INDArray argsort(INDArray x, Integer axis) {
    INDArray src = axis == null ? Tensors.flatten(x) : x;
    if (src.rank() == 0) return Nd4j.scalar(0L);
    int a = Shapes.axis(axis == null ? 0 : axis, src.rank());
    double[] dv = DTypes.isFloat(src.dataType()) ? doubles(src) : null;
    long[] lv = dv == null ? longs(src) : null;
    long[] out = new long[Math.toIntExact(src.length())];
    for (long[] lane : lanes(src, a)) {
      Long[] order = stableOrder(lane, dv, lv);
      for (int i = 0; i < lane.length; i++) out[(int) lane[i]] = order[i];
    }
    return fromLongs(out, src.shape(), DataType.LONG);
  }

  /** Lane positions (indices into the lane) in sorted order of their values; equal values keep their order. */
  private static Long[] stableOrder(long[] lane, double[] dv, long[] lv) {
    Long[] order = new Long[lane.length];
    for (int i = 0; i < order.length; i++) order[i] = (long) i;
    if (dv != null) {
      Arrays.sort(order, (p, q) -> Double.compare(dv[(int) lane[(int) (long) p]], dv[(int) lane[(int) (long) q]]));
    } else {
      Arrays.sort(order, (p, q) -> Long.compare(lv[(int) lane[(int) (long) p]], lv[(int) lane[(int) (long) q]]));
    }
    return order;
  }

  /** For each 1-D lane along axis a, the row-major positions of its elements. */
  private static long[][] lanes(INDArray x, int a) {
    long[] shape = x.shape();
    long[] st = strides(shape);
    int len = (int) shape[a];
    int count = len == 0 ? 0 : Math.toIntExact(x.length() / len);
    long[][] out = new long[count][len];
    long[] idx = new long[shape.length];
    for (int k = 0; k < count; k++) {
      long base = 0;
      for (int d = 0; d < shape.length; d++) base += idx[d] * st[d];
      for (int i = 0; i < len; i++) out[k][i] = base + i * st[a];
      for (int d = shape.length - 1; d >= 0; d--) {
        if (d == a) continue;
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  // ---- unique ---------------------------------------------------------------------------------

  /**
   * np.unique of the flattened tensor: {values, first indices, inverse, counts}, the values sorted
   * (x's dtype), the others int64 (the inverse has x's flat length).
   */
  public static INDArray[] unique(INDArray x) {
    INDArray flat = Tensors.flatten(x);
    INDArray order = argsort(flat, 0);
    long[] ord = longs(order);
    int n = ord.length;
    boolean fp = DTypes.isFloat(flat.dataType());
    double[] dv = fp ? doubles(flat) : null;
    long[] lv = fp ? null : longs(flat);
    List<Long> firsts = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    long[] inverse = new long[n];
    for (int i = 0; i < n; i++) {
      int p = (int) ord[i];
      boolean same = i > 0 && (fp ? Double.compare(dv[p], dv[(int) ord[i - 1]]) == 0 : lv[p] == lv[(int) ord[i - 1]]);
      if (!same) {
        firsts.add((long) p);
        counts.add(0L);
      }
      int u = counts.size() - 1;
      counts.set(u, counts.get(u) + 1);
      inverse[p] = u;
    }
    long[] first = firsts.stream().mapToLong(Long::longValue).toArray();
    long[] count = counts.stream().mapToLong(Long::longValue).toArray();
    long[] ushape = {first.length};
    return new INDArray[] {take(flat, first, ushape, 0), fromLongs(first, ushape, DataType.LONG),
        fromLongs(inverse, new long[] {n}, DataType.LONG), fromLongs(count, ushape, DataType.LONG)};
  }

  // ---- where / nonzero ------------------------------------------------------------------------

  /** np.nonzero: one int64 tensor of positions per axis, for the elements that are not zero. */
  public static List<INDArray> nonzero(INDArray x) {
    INDArray src = x.rank() == 0 ? x.reshape('c', new long[] {1}) : x;
    double[] v = doubles(src);
    long[] shape = src.shape();
    int count = 0;
    for (double d : v) if (d != 0) count++;
    long[][] idx = new long[shape.length][count];
    long[] cur = new long[shape.length];
    int k = 0;
    for (double d : v) {
      if (d != 0) {
        for (int a = 0; a < shape.length; a++) idx[a][k] = cur[a];
        k++;
      }
      for (int a = shape.length - 1; a >= 0; a--) {
        if (++cur[a] < shape[a]) break;
        cur[a] = 0;
      }
    }
    List<INDArray> out = new ArrayList<>();
    for (long[] i : idx) out.add(fromLongs(i, new long[] {count}, DataType.LONG));
    return out;
  }

  /**
   * np.where(cond, x, y): x where cond is true, else y, all three broadcast together; x and y are
   * tensors or Python numbers (weak, as in arithmetic), the result has their common dtype.
   */
  public static INDArray where(INDArray cond, Object x, Object y) {
    DataType t;
    if (x instanceof INDArray || y instanceof INDArray) {
      t = x instanceof INDArray xa && y instanceof INDArray ya ? DTypes.wider(xa.dataType(), ya.dataType())
          : DTypes.promote(x, y);
    } else {
      t = DTypes.wider(DTypes.ofNumber(x), DTypes.ofNumber(y));
    }
    INDArray xt = operand(x, t);
    INDArray yt = operand(y, t);
    long[] shape = broadcastAll("where", cond.shape(), xt.shape(), yt.shape());
    int n = Math.toIntExact(Shapes.size(shape));
    if (n == 0) return Nd4j.create(t, shape);
    double[] c = doubles(Tensors.broadcastTo(cond, shape));
    if (DTypes.isFloat(t)) {
      double[] a = doubles(Tensors.broadcastTo(xt, shape));
      double[] b = doubles(Tensors.broadcastTo(yt, shape));
      for (int i = 0; i < n; i++) a[i] = c[i] != 0 ? a[i] : b[i];
      return fromDoubles(a, shape, t);
    }
    long[] a = longs(Tensors.broadcastTo(xt, shape));
    long[] b = longs(Tensors.broadcastTo(yt, shape));
    for (int i = 0; i < n; i++) a[i] = c[i] != 0 ? a[i] : b[i];
    return fromLongs(a, shape, t);
  }

  private static INDArray operand(Object v, DataType t) {
    if (v instanceof INDArray a) return DTypes.as(a, t);
    if (v instanceof Number || v instanceof Boolean) return Elementwise.scalarTensor(v, t);
    throw DlnRuntimeException.type("where() takes tensors or numbers, got " + (v == null ? "none" : v.getClass().getSimpleName()), null);
  }

  private static long[] broadcastAll(String fn, long[]... shapes) {
    long[] out = shapes[0];
    for (int i = 1; i < shapes.length; i++) {
      long[] r = Shapes.tryBroadcast(out, shapes[i]);
      if (r == null) {
        StringBuilder sb = new StringBuilder();
        for (long[] s : shapes) sb.append(sb.length() == 0 ? "" : " ").append(Shapes.str(s));
        throw DlnRuntimeException.shape(fn + "(): operands could not be broadcast together with shapes " + sb,
            "matching axes from the right, each pair of sizes must be equal or one of them must be 1");
      }
      out = r;
    }
    return out;
  }

  // ---- split, tile, repeat, pad, diff -------------------------------------------------------

  /**
   * np.split / np.array_split: pieces of x along axis, either {@code sections} equal parts (unequal
   * allowed only when {@code allowUnequal}) or cut at the given positions.
   */
  public static List<INDArray> split(INDArray x, Long sections, long[] cuts, int axis, boolean allowUnequal) {
    if (x.rank() == 0) throw DlnRuntimeException.value("split() needs a tensor with at least one dimension");
    int a = Shapes.axis(axis, x.rank());
    long n = x.size(a);
    List<long[]> bounds = new ArrayList<>();
    if (sections != null) {
      if (sections <= 0) throw DlnRuntimeException.value("number of sections must be larger than 0, got " + sections);
      if (!allowUnequal && n % sections != 0) {
        throw DlnRuntimeException.value("array split does not result in an equal division: " + n + " elements on axis "
            + a + " into " + sections + " sections", "use np.array_split for unequal parts, or cut positions");
      }
      long each = n / sections;
      long extra = n % sections;
      long start = 0;
      for (long i = 0; i < sections; i++) {
        long len = each + (i < extra ? 1 : 0);
        bounds.add(new long[] {start, start + len});
        start += len;
      }
    } else {
      long prev = 0;
      for (long c : cuts) {
        bounds.add(new long[] {prev, c});
        prev = c;
      }
      bounds.add(new long[] {prev, n});
    }
    List<INDArray> out = new ArrayList<>();
    for (long[] b : bounds) {
      List<Object> index = new ArrayList<>();
      for (int d = 0; d < a; d++) index.add(Slice.ALL);
      index.add(new Slice(b[0], b[1], null));
      out.add(Tensors.get(x, index));
    }
    return out;
  }

  /** np.tile: x repeated reps times along each axis (reps and x.ndim padded with leading 1s). */
  public static INDArray tile(INDArray x, long[] reps) {
    for (long r : reps) if (r < 0) throw DlnRuntimeException.value("tile() repetitions must not be negative, got " + Arrays.toString(reps));
    int rank = Math.max(reps.length, x.rank());
    long[] in = Shapes.prependOnes(x.shape(), rank);
    long[] r = Shapes.prependOnes(reps, rank);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) out[i] = in[i] * r[i];
    return take(x, positions(out, in, (axis, i) -> i % in[axis]), out, 0);
  }

  /**
   * np.repeat: each element (axis null: of the flattened tensor) or each slice along axis repeated;
   * {@code repeats} has one count, or one per element of that axis.
   */
  public static INDArray repeat(INDArray x, long[] repeats, Integer axis) {
    INDArray src = axis == null ? Tensors.flatten(x) : x;
    if (src.rank() == 0) src = src.reshape('c', new long[] {1});
    int a = Shapes.axis(axis == null ? 0 : axis, src.rank());
    long n = src.size(a);
    if (repeats.length != 1 && repeats.length != n) {
      throw DlnRuntimeException.shape("repeat(): " + repeats.length + " repeat counts for an axis of size " + n,
          "give one count, or one per element along the axis");
    }
    List<Long> map = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      long r = repeats.length == 1 ? repeats[0] : repeats[(int) i];
      if (r < 0) throw DlnRuntimeException.value("repeat() counts must not be negative, got " + r);
      for (long k = 0; k < r; k++) map.add(i);
    }
    long[] out = src.shape().clone();
    out[a] = map.size();
    return take(src, positions(out, src.shape(), (ax, i) -> ax == a ? map.get((int) i) : i), out, 0);
  }

  /** The modes np.pad supports here. */
  public static final List<String> PAD_MODES = List.of("constant", "edge", "reflect", "symmetric", "wrap");

  /**
   * np.pad: {@code widths[axis] = {before, after}}; mode constant (filled with {@code value}),
   * edge, reflect, symmetric or wrap, as NumPy defines them.
   */
  public static INDArray pad(INDArray x, long[][] widths, String mode, double value) {
    if (widths.length != x.rank()) {
      throw DlnRuntimeException.value("pad(): " + widths.length + " pad widths for a tensor of rank " + x.rank());
    }
    if (!PAD_MODES.contains(mode)) {
      throw DlnRuntimeException.value("pad(): mode '" + mode + "' is not supported", "use one of " + String.join(", ", PAD_MODES));
    }
    long[] in = x.shape();
    long[] out = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      if (widths[i][0] < 0 || widths[i][1] < 0) throw DlnRuntimeException.value("pad(): pad widths must not be negative");
      out[i] = in[i] + widths[i][0] + widths[i][1];
      if (!mode.equals("constant") && in[i] == 0 && out[i] > 0) {
        throw DlnRuntimeException.value("pad(): can't extend an empty axis " + i + " with mode '" + mode + "'",
            "use mode='constant'");
      }
    }
    AxisMap m = (axis, i) -> {
      long n = in[axis];
      long j = i - widths[axis][0];
      if (j >= 0 && j < n) return j;
      return switch (mode) {
        case "constant" -> -1;
        case "edge" -> j < 0 ? 0 : n - 1;
        case "wrap" -> Math.floorMod(j, n);
        case "reflect" -> {
          if (n == 1) yield 0;
          long period = 2 * (n - 1);
          long k = Math.floorMod(j, period);
          yield k < n ? k : period - k;
        }
        default -> { // symmetric
          long period = 2 * n;
          long k = Math.floorMod(j, period);
          yield k < n ? k : period - 1 - k;
        }
      };
    };
    return take(x, positions(out, in, m), out, value);
  }

  /** np.diff: n-th discrete difference along axis (bool tensors: "not equal", as NumPy). */
  public static INDArray diff(INDArray x, int n, int axis) {
    if (n < 0) throw DlnRuntimeException.value("diff(): order must be non-negative but got " + n);
    if (x.rank() == 0) throw DlnRuntimeException.value("diff() needs a tensor with at least one dimension");
    int a = Shapes.axis(axis, x.rank());
    INDArray cur = x;
    for (int k = 0; k < n; k++) {
      List<Object> hi = new ArrayList<>();
      List<Object> lo = new ArrayList<>();
      for (int d = 0; d < a; d++) {
        hi.add(Slice.ALL);
        lo.add(Slice.ALL);
      }
      hi.add(new Slice(1L, null, null));
      lo.add(new Slice(null, -1L, null));
      INDArray h = Tensors.get(cur, hi);
      INDArray l = Tensors.get(cur, lo);
      if (h.length() == 0) {
        long[] s = cur.shape().clone();
        s[a] = Math.max(0, s[a] - 1);
        cur = Nd4j.create(cur.dataType(), s);
      } else {
        cur = Tensors.binary(cur.dataType() == DataType.BOOL ? "!=" : "-", h, l);
      }
    }
    return cur;
  }

  // ---- creation -------------------------------------------------------------------------------

  /** np.meshgrid: coordinate tensors for 1-D inputs; indexing "xy" (default) swaps the first two axes. */
  public static List<INDArray> meshgrid(List<INDArray> xs, String indexing) {
    if (!indexing.equals("xy") && !indexing.equals("ij")) {
      throw DlnRuntimeException.value("meshgrid(): indexing must be 'xy' or 'ij', got '" + indexing + "'");
    }
    int n = xs.size();
    long[] shape = new long[n];
    for (int i = 0; i < n; i++) shape[i] = xs.get(i).length();
    boolean swap = indexing.equals("xy") && n > 1;
    if (swap) {
      long t = shape[0];
      shape[0] = shape[1];
      shape[1] = t;
    }
    List<INDArray> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      INDArray flat = Tensors.flatten(xs.get(i));
      int axis = swap && i < 2 ? 1 - i : i;
      long[] in = new long[n];
      Arrays.fill(in, 1);
      in[axis] = flat.length();
      out.add(take(flat, positions(shape, in, (ax, j) -> ax == axis ? j : 0), shape, 0));
    }
    return out;
  }

  /** np.eye(N, M, k): ones on the k-th diagonal of an N×M matrix. */
  public static INDArray eye(long rows, long cols, long k, DataType t) {
    if (rows < 0 || cols < 0) throw DlnRuntimeException.value("eye(): sizes must not be negative, got " + rows + ", " + cols);
    double[] v = new double[Math.toIntExact(rows * cols)];
    for (long i = 0; i < rows; i++) {
      long j = i + k;
      if (j >= 0 && j < cols) v[(int) (i * cols + j)] = 1;
    }
    return fromDoubles(v, new long[] {rows, cols}, t);
  }
}

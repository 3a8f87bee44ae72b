package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code x[...]} and {@code x[...] = v} with numpy semantics. Ints and slices ("basic" indexing)
 * give views that share memory with {@code x}, as in numpy; an integer index removes its axis.
 * Tensor indices follow NumPy's advanced indexing (they copy): a bool mask picks the positions where
 * it is true, int tensors gather, several broadcast together ({@code x[rows, cols]}), at any
 * position ({@code x[:, [0, 2]]}); assignment through any of them writes in place.
 */
final class Indexing {
  private Indexing() {}

  /** One parsed basic index for one axis. */
  private record Part(boolean point, long start, long step, long count) {}

  static INDArray get(INDArray x, List<Object> index) {
    if (tensorsBeyondFirst(index)) return advancedGet(x, index);
    if (!index.isEmpty() && index.get(0) instanceof INDArray t) {
      INDArray picked = t.dataType() == DataType.BOOL ? mask(x, t) : gather(x, t);
      if (index.size() == 1) return picked;
      // The remaining indices apply to the axes after the ones the tensor index consumed.
      int consumed = t.dataType() == DataType.BOOL ? t.rank() : 1;
      int produced = t.dataType() == DataType.BOOL ? 1 : t.rank();
      checkCount(x, consumed + index.size() - 1);
      List<Object> rest = new ArrayList<>();
      for (int i = 0; i < produced; i++) rest.add(Slice.ALL);
      rest.addAll(index.subList(1, index.size()));
      return get(picked, rest);
    }
    Part[] parts = parse(x, index);
    if (parts.length == 0) return x;
    long[] shape = resultShape(x, parts);
    if (Shapes.size(shape) == 0) return Nd4j.create(x.dataType(), shape);
    INDArray view = x.get(ndIndices(x, parts));
    int[] reversed = reversedAxes(parts);
    if (reversed.length > 0) view = Nd4j.exec(new Reverse(view.dup('c'), reversed))[0];
    return view.rank() == shape.length ? view : view.reshape(shape);
  }

  static void put(INDArray x, List<Object> index, Object value) {
    if (index.stream().anyMatch(i -> i instanceof INDArray)) {
      advancedPut(x, index, value);
      return;
    }
    Part[] parts = parse(x, index);
    long[] shape = resultShape(x, parts);
    INDArray v = valueFor(x, value, shape, "x[...]");
    if (Shapes.size(shape) == 0) return;
    if (parts.length == 0) {
      x.assign(v);
      return;
    }
    INDArray view = x.get(ndIndices(x, parts));
    int[] reversed = reversedAxes(parts);
    if (reversed.length > 0) v = Nd4j.exec(new Reverse(v.dup('c'), reversed))[0];
    if (view.rank() != shape.length) v = v.reshape(view.shape());
    view.assign(v);
  }

  /** True when a tensor index is anywhere but first, or there are several (NumPy's general advanced indexing). */
  private static boolean tensorsBeyondFirst(List<Object> index) {
    for (int i = 1; i < index.size(); i++) if (index.get(i) instanceof INDArray) return true;
    return false;
  }

  /**
   * Where advanced indexing reads: the result shape, and for each result element its row-major
   * position in x. NumPy's rule: bool tensors stand for their nonzero() positions; the int tensors
   * (and ints, once a tensor is present) broadcast together to one shape B, which replaces the
   * indexed axes in place when they are adjacent, and goes first when slices separate them.
   */
  private record Plan(long[] shape, long[] positions) {}

  private static Plan plan(INDArray x, List<Object> raw) {
    List<Object> index = new ArrayList<>();
    for (Object ix : raw) {
      if (ix instanceof INDArray t && t.dataType() == DataType.BOOL) {
        int axis = index.size();
        long[] lead = axis + t.rank() <= x.rank() ? Arrays.copyOfRange(x.shape(), axis, axis + t.rank()) : null;
        if (lead == null || !Arrays.equals(lead, t.shape())) {
          throw DlnRuntimeException.shape("boolean index of shape " + Shapes.str(t.shape()) + " does not match the axes "
              + axis + ".." + (axis + t.rank() - 1) + " of the tensor of shape " + Shapes.str(x.shape()),
              "a mask must have the shape of the axes it indexes");
        }
        index.addAll(ArrayOps.nonzero(t.rank() == 0 ? t.reshape('c', new long[] {1}) : t));
      } else {
        index.add(ix);
      }
    }
    checkCount(x, index.size());
    int rank = x.rank();
    while (index.size() < rank) index.add(Slice.ALL);
    long[] bshape = new long[0];
    List<Integer> adv = new ArrayList<>();
    for (int axis = 0; axis < rank; axis++) {
      Object ix = index.get(axis);
      if (ix instanceof INDArray t) {
        long[] b = Shapes.tryBroadcast(bshape, t.shape());
        if (b == null) {
          throw DlnRuntimeException.shape("shape mismatch: indexing tensors could not be broadcast together with shapes "
              + Shapes.str(bshape) + " " + Shapes.str(t.shape()), null);
        }
        bshape = b;
        adv.add(axis);
      } else if (ix instanceof Long || ix instanceof Integer) {
        adv.add(axis);
      } else if (!(ix instanceof Slice)) {
        throw DlnRuntimeException.value("an index must be an int, a slice or a tensor, got "
            + (ix == null ? "none" : ix instanceof Double ? "a float" : ix instanceof Boolean ? "a bool" : ix.getClass().getSimpleName()));
      }
    }
    long[][] advValues = new long[rank][];
    Part[] slices = new Part[rank];
    for (int axis = 0; axis < rank; axis++) {
      Object ix = index.get(axis);
      long size = x.size(axis);
      if (ix instanceof Slice sl) {
        slices[axis] = slice(sl, size);
        continue;
      }
      INDArray t = ix instanceof INDArray ti ? ti : Nd4j.scalar(((Number) ix).longValue());
      INDArray tb = Tensors.broadcastTo(t, bshape);
      long[] v;
      if (DTypes.isInt(t.dataType())) {
        v = ArrayOps.longs(tb);
      } else {
        double[] d = ArrayOps.doubles(tb);
        v = new long[d.length];
        for (int i = 0; i < d.length; i++) {
          if (d[i] != Math.rint(d[i])) {
            throw DlnRuntimeException.value("tensor indices must be whole numbers, got " + d[i],
                "use idx.astype('int64'), or a bool tensor as a mask");
          }
          v[i] = (long) d[i];
        }
      }
      for (int i = 0; i < v.length; i++) v[i] = position(v[i], axis, size);
      advValues[axis] = v;
    }
    boolean adjacent = adv.get(adv.size() - 1) - adv.get(0) == adv.size() - 1;
    // Result dims: -1 stands for the block B, otherwise the axis of x a slice runs along
    List<Integer> slots = new ArrayList<>();
    if (!adjacent) slots.add(-1);
    for (int axis = 0; axis < rank; axis++) {
      if (slices[axis] != null) slots.add(axis);
      else if (adjacent && axis == adv.get(0)) slots.add(-1);
    }
    List<Long> dims = new ArrayList<>();
    for (int slot : slots) {
      if (slot < 0) for (long d : bshape) dims.add(d);
      else dims.add(slices[slot].count());
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    int n = Math.toIntExact(Shapes.size(shape));
    long[] strides = ArrayOps.strides(x.shape());
    long[] bstrides = ArrayOps.strides(bshape);
    long[] pos = new long[n];
    long[] idx = new long[shape.length];
    for (int k = 0; k < n; k++) {
      long p = 0;
      int d = 0;
      for (int slot : slots) {
        if (slot < 0) {
          int bflat = 0;
          for (int j = 0; j < bshape.length; j++) bflat += (int) (idx[d + j] * bstrides[j]);
          for (int axis : adv) p += advValues[axis][bflat] * strides[axis];
          d += bshape.length;
        } else {
          Part part = slices[slot];
          p += (part.start() + idx[d] * part.step()) * strides[slot];
          d++;
        }
      }
      pos[k] = p;
      for (int a = idx.length - 1; a >= 0; a--) {
        if (++idx[a] < shape[a]) break;
        idx[a] = 0;
      }
    }
    return new Plan(shape, pos);
  }

  private static INDArray advancedGet(INDArray x, List<Object> index) {
    Plan p = plan(x, index);
    return ArrayOps.take(x, p.positions(), p.shape(), 0);
  }

  /** x[adv] = value: the value broadcast to the result shape, written at the planned positions (a later duplicate wins). */
  private static void advancedPut(INDArray x, List<Object> index, Object value) {
    Plan p = plan(x, index);
    INDArray v = valueFor(x, value, p.shape(), "x[...]");
    if (p.positions().length == 0) return;
    long[] shape = x.shape();
    if (DTypes.isFloat(x.dataType())) {
      double[] all = ArrayOps.doubles(x);
      double[] src = ArrayOps.doubles(v);
      for (int i = 0; i < src.length; i++) all[(int) p.positions()[i]] = src[i];
      x.assign(ArrayOps.fromDoubles(all, shape, x.dataType()));
    } else {
      long[] all = ArrayOps.longs(x);
      long[] src = ArrayOps.longs(v);
      for (int i = 0; i < src.length; i++) all[(int) p.positions()[i]] = src[i];
      x.assign(ArrayOps.fromLongs(all, shape, x.dataType()));
    }
  }


  private static void checkCount(INDArray x, int n) {
    if (n > x.rank()) {
      throw new DlnRuntimeException("index error", "too many indices: the tensor has shape " + Shapes.str(x.shape())
          + " (" + x.rank() + " dimension" + (x.rank() == 1 ? "" : "s") + ") but " + n + " were given", null);
    }
  }

  private static Part[] parse(INDArray x, List<Object> index) {
    checkCount(x, index.size());
    Part[] parts = new Part[x.rank()];
    for (int axis = 0; axis < parts.length; axis++) {
      Object ix = axis < index.size() ? index.get(axis) : Slice.ALL;
      long size = x.size(axis);
      if (ix instanceof Long || ix instanceof Integer) {
        parts[axis] = new Part(true, position(((Number) ix).longValue(), axis, size), 1, 1);
      } else if (ix instanceof Slice s) {
        parts[axis] = slice(s, size);
      } else if (ix instanceof INDArray) {
        throw DlnRuntimeException.value("a tensor index is only supported as the first index, as in x[mask] or x[idx, 1:]");
      } else {
        throw DlnRuntimeException.value("an index must be an int, a slice or a tensor, got "
            + (ix == null ? "none" : ix instanceof Double ? "a float" : ix instanceof Boolean ? "a bool" : ix.getClass().getSimpleName()));
      }
    }
    return parts;
  }

  /** A possibly negative position, checked against the axis size. */
  static long position(long i, int axis, long size) {
    long p = i < 0 ? i + size : i;
    if (p < 0 || p >= size) {
      throw new DlnRuntimeException("index error", "index " + i + " is out of range for axis " + axis + " with size " + size,
          size == 0 ? "the axis is empty" : "valid indices are 0 to " + (size - 1) + ", or -" + size + " to -1");
    }
    return p;
  }

  /** Python's slice.indices(): clamp start/stop, then count the positions. */
  private static Part slice(Slice s, long size) {
    long step = s.step() == null ? 1 : s.step();
    if (step == 0) throw DlnRuntimeException.value("slice step cannot be zero");
    long lower = step > 0 ? 0 : -1;
    long upper = step > 0 ? size : size - 1;
    long start = s.start() == null ? (step > 0 ? lower : upper) : clamp(s.start(), size, lower, upper);
    long stop = s.stop() == null ? (step > 0 ? upper : lower) : clamp(s.stop(), size, lower, upper);
    long count = step > 0 ? Math.max(0, (stop - start + step - 1) / step)
        : Math.max(0, (start - stop + (-step) - 1) / (-step));
    return new Part(false, start, step, count);
  }

  private static long clamp(long v, long size, long lower, long upper) {
    if (v < 0) return Math.max(v + size, lower);
    return Math.min(v, upper);
  }

  private static long[] resultShape(INDArray x, Part[] parts) {
    List<Long> dims = new ArrayList<>();
    for (Part p : parts) if (!p.point()) dims.add(p.count());
    long[] out = new long[dims.size()];
    for (int i = 0; i < out.length; i++) out[i] = dims.get(i);
    return out;
  }

  /** ND4J indices; a negative-step slice becomes the same positions in increasing order. */
  private static INDArrayIndex[] ndIndices(INDArray x, Part[] parts) {
    INDArrayIndex[] out = new INDArrayIndex[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Part p = parts[i];
      if (p.point()) {
        out[i] = NDArrayIndex.point(p.start());
      } else if (p.step() == 1 && p.start() == 0 && p.count() == x.size(i)) {
        out[i] = NDArrayIndex.all();
      } else {
        long step = Math.abs(p.step());
        long first = p.step() > 0 ? p.start() : p.start() + (p.count() - 1) * p.step();
        out[i] = NDArrayIndex.interval(first, step, first + (p.count() - 1) * step + 1);
      }
    }
    return out;
  }

  /** Result axes that come from negative-step slices. */
  private static int[] reversedAxes(Part[] parts) {
    List<Integer> out = new ArrayList<>();
    int axis = 0;
    for (Part p : parts) {
      if (p.point()) continue;
      if (p.step() < 0 && p.count() > 1) out.add(axis);
      axis++;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** x[mask]: the mask covers the leading axes of x; the result lists the selected sub-tensors. */
  private static INDArray mask(INDArray x, INDArray m) {
    checkMaskShape(x, m);
    long[] rows = selected(m);
    INDArray flat = leadingFlattened(x, m.rank());
    return gatherRows(flat, rows, new long[] {rows.length});
  }

  private static void checkMaskShape(INDArray x, INDArray m) {
    long[] lead = m.rank() <= x.rank() ? Arrays.copyOf(x.shape(), m.rank()) : null;
    if (lead == null || !Arrays.equals(lead, m.shape())) {
      throw DlnRuntimeException.shape("boolean index of shape " + Shapes.str(m.shape())
          + " does not match the tensor of shape " + Shapes.str(x.shape()),
          "a mask must have the shape of the tensor, or of its leading axes");
    }
  }

  /** Flat positions where the mask is true. */
  private static long[] selected(INDArray m) {
    long[] flags = m.castTo(DataType.LONG).dup('c').reshape('c', new long[] {m.length()}).toLongVector();
    int n = 0;
    for (long f : flags) if (f != 0) n++;
    long[] rows = new long[n];
    int k = 0;
    for (int i = 0; i < flags.length; i++) if (flags[i] != 0) rows[k++] = i;
    return rows;
  }

  /** x with its first {@code k} axes merged into one (a c-order copy when x is a view). */
  private static INDArray leadingFlattened(INDArray x, int k) {
    long[] s = x.shape();
    long lead = 1;
    for (int i = 0; i < k; i++) lead *= s[i];
    long[] shape = new long[s.length - k + 1];
    shape[0] = lead;
    System.arraycopy(s, k, shape, 1, s.length - k);
    return x.dup('c').reshape('c', shape);
  }

  /** x[idx] for an int tensor idx: rows of axis 0, result shape idx.shape + x.shape[1:]. */
  private static INDArray gather(INDArray x, INDArray idx) {
    if (x.rank() == 0) throw DlnRuntimeException.value("a scalar tensor cannot be indexed");
    long[] rows = rowPositions(x, idx);
    return gatherRows(x, rows, idx.shape());
  }

  private static long[] rowPositions(INDArray x, INDArray idx) {
    if (!DTypes.isInt(idx.dataType())) {
      double[] vals = idx.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {idx.length()}).toDoubleVector();
      for (double v : vals) {
        if (v != Math.rint(v)) {
          throw DlnRuntimeException.value("tensor indices must be whole numbers, got " + v,
              "use idx.astype('int64'), or a bool tensor as a mask");
        }
      }
    }
    long[] raw = idx.length() == 0 ? new long[0] : idx.castTo(DataType.LONG).dup('c').reshape('c', new long[] {idx.length()}).toLongVector();
    long[] rows = new long[raw.length];
    for (int i = 0; i < raw.length; i++) rows[i] = position(raw[i], 0, x.size(0));
    return rows;
  }

  /** Rows {@code rows} of axis 0, shaped {@code lead + x.shape[1:]}. */
  private static INDArray gatherRows(INDArray x, long[] rows, long[] lead) {
    long[] rest = Arrays.copyOfRange(x.shape(), 1, x.rank());
    long[] shape = new long[lead.length + rest.length];
    System.arraycopy(lead, 0, shape, 0, lead.length);
    System.arraycopy(rest, 0, shape, lead.length, rest.length);
    if (rows.length == 0 || Shapes.size(shape) == 0) return Nd4j.create(x.dataType(), shape);
    // Copied row by row in Java: libnd4j's gather op crashes the JVM for some inputs in M2.1.
    int rowLen = Math.toIntExact(Shapes.size(rest));
    DataType t = x.dataType();
    INDArray c = x.dup('c');
    INDArray out;
    if (t == DataType.DOUBLE) {
      double[] src = c.data().asDouble();
      double[] dst = new double[rows.length * rowLen];
      for (int i = 0; i < rows.length; i++) System.arraycopy(src, Math.toIntExact(rows[i] * rowLen), dst, i * rowLen, rowLen);
      out = Nd4j.createFromArray(dst);
    } else if (DTypes.isFloat(t)) {
      float[] src = c.castTo(DataType.FLOAT).data().asFloat();
      float[] dst = new float[rows.length * rowLen];
      for (int i = 0; i < rows.length; i++) System.arraycopy(src, Math.toIntExact(rows[i] * rowLen), dst, i * rowLen, rowLen);
      out = Nd4j.createFromArray(dst);
    } else {
      long[] src = c.castTo(DataType.LONG).data().asLong();
      long[] dst = new long[rows.length * rowLen];
      for (int i = 0; i < rows.length; i++) System.arraycopy(src, Math.toIntExact(rows[i] * rowLen), dst, i * rowLen, rowLen);
      out = Nd4j.createFromArray(dst);
    }
    return DTypes.as(out, t).reshape('c', shape);
  }

  /** The value to store, as x's dtype and broadcast to the target shape. */
  private static INDArray valueFor(INDArray x, Object value, long[] target, String what) {
    INDArray v;
    if (value instanceof INDArray t) {
      v = DTypes.as(t, x.dataType());
    } else if (value instanceof Number || value instanceof Boolean) {
      v = Elementwise.scalarTensor(value, x.dataType());
    } else {
      throw DlnRuntimeException.value("can only assign a number or a tensor to " + what);
    }
    if (!Shapes.broadcastsTo(v.shape(), target)) {
      throw DlnRuntimeException.shape("cannot assign a value of shape " + Shapes.str(v.shape()) + " to "
          + what + " of shape " + Shapes.str(target), null);
    }
    return Tensors.broadcastTo(v, target);
  }
}

package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between nested Java lists (of numbers, booleans and tensors) and tensors. */
final class NestedLists {
  private NestedLists() {}

  static INDArray toTensor(Object nested, DataType dtypeOrNull) {
    if (nested instanceof INDArray t) return dtypeOrNull == null ? t.dup() : t.castTo(dtypeOrNull).dup();
    long[] shape = shapeOf(nested, "");
    boolean allBool = allBool(nested);
    DataType dtype = dtypeOrNull != null ? dtypeOrNull : allBool ? DataType.BOOL : DataType.FLOAT;
    int n = Math.toIntExact(Shapes.size(shape));
    if (DTypes.isInt(dtype)) {
      long[] data = new long[n];
      fillLongs(nested, data, new int[] {0});
      INDArray flat = n == 0 ? Nd4j.create(DataType.LONG, 0) : Nd4j.createFromArray(data);
      return reshape(flat, shape).castTo(dtype);
    }
    double[] data = new double[n];
    fillDoubles(nested, data, new int[] {0});
    DataType holder = dtype == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    INDArray flat = n == 0 ? Nd4j.create(holder, 0) : Nd4j.createFromArray(data).castTo(holder);
    INDArray r = reshape(flat, shape);
    return r.dataType() == dtype ? r : r.castTo(dtype);
  }

  /**
   * The dtype NumPy's np.array gives nested values, except that Python floats make float32 (DLN's
   * float): bools alone bool, ints (and bools) int64, any float float32; a tensor inside brings its
   * own dtype, a tensor alone keeps it exactly. An empty list is float32, as NumPy's is a float.
   */
  static DataType numpyDtype(Object nested) {
    if (nested instanceof INDArray t) return t.dataType();
    DataType t = leafType(nested, null);
    return t == null ? DataType.FLOAT : t;
  }

  private static DataType leafType(Object v, DataType sofar) {
    DataType here;
    if (v instanceof Boolean) here = DataType.BOOL;
    else if (v instanceof Double || v instanceof Float) here = DataType.FLOAT;
    else if (v instanceof Number) here = DataType.LONG;
    else if (v instanceof INDArray t) here = t.dataType();
    else if (v instanceof List<?> xs) {
      for (Object x : xs) sofar = leafType(x, sofar);
      return sofar;
    } else return sofar; // not a number: toTensor reports it
    return sofar == null ? here : sofar == here ? here : DTypes.wider(sofar, here);
  }

  private static INDArray reshape(INDArray flat, long[] shape) {
    if (shape.length == 0) return flat.reshape('c', new long[0]);
    if (Shapes.size(shape) == 0) return Nd4j.create(flat.dataType(), shape);
    return flat.reshape('c', shape);
  }

  /** The shape of a nested structure; every list at one depth must agree, else the error names where. */
  private static long[] shapeOf(Object v, String where) {
    if (v instanceof INDArray t) return t.shape();
    if (v instanceof Number || v instanceof Boolean) return new long[0];
    if (!(v instanceof List<?> xs)) {
      throw DlnRuntimeException.value("cannot make a tensor from " + describe(v)
          + (where.isEmpty() ? "" : " at " + where), "a tensor holds numbers or booleans");
    }
    if (xs.isEmpty()) return new long[] {0};
    long[] first = shapeOf(xs.get(0), where + "[0]");
    for (int i = 1; i < xs.size(); i++) {
      long[] s = shapeOf(xs.get(i), where + "[" + i + "]");
      if (!Arrays.equals(s, first)) {
        throw DlnRuntimeException.shape("cannot make a tensor from a ragged list: item " + where + "[" + i + "] "
            + describeShape(xs.get(i), s) + " but item " + where + "[0] " + describeShape(xs.get(0), first),
            "every row must have the same length");
      }
    }
    long[] out = new long[first.length + 1];
    out[0] = xs.size();
    System.arraycopy(first, 0, out, 1, first.length);
    return out;
  }

  private static String describeShape(Object v, long[] shape) {
    if (shape.length == 0) return "is a number";
    if (v instanceof List<?> l) return "has " + l.size() + " element" + (l.size() == 1 ? "" : "s")
        + (shape.length > 1 ? " (shape " + Shapes.str(shape) + ")" : "");
    return "is a tensor of shape " + Shapes.str(shape);
  }

  private static String describe(Object v) {
    if (v == null) return "none";
    if (v instanceof String) return "a string";
    return "a " + v.getClass().getSimpleName();
  }

  private static boolean allBool(Object v) {
    if (v instanceof Boolean) return true;
    if (v instanceof INDArray t) return t.dataType() == DataType.BOOL;
    if (v instanceof List<?> xs) {
      if (xs.isEmpty()) return false;
      for (Object x : xs) if (!allBool(x)) return false;
      return true;
    }
    return false;
  }

  private static void fillDoubles(Object v, double[] out, int[] pos) {
    if (v instanceof Boolean b) {
      out[pos[0]++] = b ? 1 : 0;
    } else if (v instanceof Number n) {
      out[pos[0]++] = n.doubleValue();
    } else if (v instanceof INDArray t) {
      if (t.length() == 0) return;
      double[] d = t.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {t.length()}).toDoubleVector();
      System.arraycopy(d, 0, out, pos[0], d.length);
      pos[0] += d.length;
    } else {
      for (Object x : (List<?>) v) fillDoubles(x, out, pos);
    }
  }

  private static void fillLongs(Object v, long[] out, int[] pos) {
    if (v instanceof Boolean b) {
      out[pos[0]++] = b ? 1 : 0;
    } else if (v instanceof Double || v instanceof Float) {
      // numpy truncates floats converted to an int dtype
      out[pos[0]++] = (long) ((Number) v).doubleValue();
    } else if (v instanceof Number n) {
      out[pos[0]++] = n.longValue();
    } else if (v instanceof INDArray t) {
      if (t.length() == 0) return;
      long[] d = t.castTo(DataType.LONG).dup('c').reshape('c', new long[] {t.length()}).toLongVector();
      System.arraycopy(d, 0, out, pos[0], d.length);
      pos[0] += d.length;
    } else {
      for (Object x : (List<?>) v) fillLongs(x, out, pos);
    }
  }

  /**
   * Nested ArrayLists of Double, Long or Boolean (by dtype); a scalar tensor gives the bare value.
   * float32 elements are {@link Tensors#shortDouble}.
   */
  static Object toNested(INDArray x) {
    DataType t = DTypes.normal(x.dataType());
    INDArray c = x.dup('c');
    if (x.rank() == 0) return value(c, 0, t);
    return build(c, x.shape(), 0, new long[] {0}, t);
  }

  private static Object build(INDArray c, long[] shape, int axis, long[] pos, DataType t) {
    List<Object> out = new ArrayList<>();
    for (long i = 0; i < shape[axis]; i++) {
      out.add(axis == shape.length - 1 ? value(c, pos[0]++, t) : build(c, shape, axis + 1, pos, t));
    }
    return out;
  }

  private static Object value(INDArray c, long flat, DataType t) {
    if (t == DataType.BOOL) return c.getDouble(flat) != 0;
    if (DTypes.isInt(t)) return c.getLong(flat);
    // float32 (and narrower) elements as their shortest digits: tolist()/item() give 0.1, not 0.10000000149011612.
    if (t != DataType.DOUBLE) return Tensors.shortDouble(c.getFloat(flat));
    return c.getDouble(flat);
  }
}

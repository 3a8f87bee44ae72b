package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import java.lang.reflect.Array;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Tensors to and from plain Java arrays, for a host application that embeds a language on the
 * runtime. Tensors are passed as {@code Object} because the language holds its values so; every
 * method that takes one expects an eager tensor ({@link #isEagerTensor}). Errors are
 * {@link DlnRuntimeException}s naming the value as the caller calls it ({@code what}).
 */
public final class JavaArrays {
  private JavaArrays() {}

  /** Whether {@code v} is an eager tensor (an ND4J {@link INDArray}). */
  public static boolean isEagerTensor(Object v) {
    return v instanceof INDArray;
  }

  /** The shape of an eager tensor. */
  public static long[] shape(Object tensor) {
    return ((INDArray) tensor).shape();
  }

  /**
   * The single value of a one-element tensor by its dtype: Boolean (bool), Double (floating
   * point), Long (every other dtype); null when {@code v} is no tensor or has another size.
   */
  public static Object single(Object v) {
    if (!(v instanceof INDArray t) || t.length() != 1) return null;
    if (t.dataType() == DataType.BOOL) return t.getDouble(0) != 0;
    return t.dataType().isFPType() ? (Object) t.getDouble(0) : (Object) t.getLong(0);
  }

  /**
   * A tensor from a rectangular array of primitives of any rank: float and double give float32
   * (the working precision), int, short and byte int32, long int64, boolean bool. A ragged array,
   * a null row or more than 2³¹ values is a value error, another primitive (char) a type error.
   */
  public static INDArray fromArray(Object array) {
    Class<?> leaf = array.getClass();
    int rank = 0;
    while (leaf.isArray()) {
      leaf = leaf.getComponentType();
      rank++;
    }
    if (!leaf.isPrimitive()) throw new IllegalArgumentException("not an array of primitives: " + array.getClass());
    long[] shape = new long[rank];
    checkRectangular(array, shape, 0, "");
    long size = 1;
    for (long d : shape) size *= d;
    if (size > Integer.MAX_VALUE) throw DlnRuntimeException.value("a Java array of " + size + " values is too large for one tensor");
    DataType dtype;
    if (leaf == float.class || leaf == double.class) dtype = DataType.FLOAT;
    else if (leaf == int.class || leaf == short.class || leaf == byte.class) dtype = DataType.INT;
    else if (leaf == long.class) dtype = DataType.LONG;
    else if (leaf == boolean.class) dtype = DataType.BOOL;
    else throw DlnRuntimeException.type("cannot pass a Java " + array.getClass().getSimpleName() + " to DLN; use float[] or double[]", null);
    double[] values = new double[(int) size];
    long[] longs = dtype == DataType.LONG ? new long[(int) size] : null;
    fill(array, values, longs, new int[] {0});
    INDArray flat = longs != null ? Nd4j.createFromArray(longs) : Nd4j.createFromArray(values).castTo(dtype);
    if (size == 0) return Nd4j.create(dtype, shape);
    return flat.reshape('c', shape);
  }

  /** Whether {@link #toArray} makes {@code type}: INDArray, float[], double[], int[], long[], float[][], double[][]. */
  public static boolean makes(Class<?> type) {
    return type == INDArray.class || type == float[].class || type == double[].class || type == int[].class
        || type == long[].class || type == float[][].class || type == double[][].class;
  }

  /**
   * An eager tensor as {@code type} (one that {@link #makes}): the tensor itself for INDArray,
   * every element in row-major order for the 1-D arrays, the rows of a rank-2 tensor for the 2-D
   * ones. Fractional values asked for as integers, or another rank asked for as a matrix, are a
   * type error.
   */
  public static Object toArray(Object tensor, Class<?> type, String what) {
    INDArray t = (INDArray) tensor;
    if (type == INDArray.class) return t;
    if (type == float[].class) return flat(t, DataType.FLOAT).toFloatVector();
    if (type == double[].class) return flat(t, DataType.DOUBLE).toDoubleVector();
    if (type == int[].class) return flat(integral(t, type, what), DataType.INT).toIntVector();
    if (type == long[].class) return flat(integral(t, type, what), DataType.LONG).toLongVector();
    if (type == float[][].class || type == double[][].class) {
      if (t.rank() != 2) {
        throw DlnRuntimeException.type(what + " is a tensor of rank " + t.rank() + " (shape " + Arrays.toString(t.shape())
            + ") and cannot become a " + type.getSimpleName() + ", which needs rank 2", "ask for float[] to get every element in order");
      }
      return type == float[][].class ? t.castTo(DataType.FLOAT).toFloatMatrix() : t.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
    throw new IllegalArgumentException("cannot make a " + type.getSimpleName() + " from a tensor");
  }

  private static INDArray flat(INDArray t, DataType dtype) {
    INDArray c = t.dataType() == dtype ? t.dup('c') : t.castTo(dtype).dup('c');
    return c.reshape('c', new long[] {c.length()});
  }

  private static INDArray integral(INDArray t, Class<?> type, String what) {
    if (t.dataType().isFPType()) {
      INDArray d = t.castTo(DataType.DOUBLE);
      INDArray rounded = Transforms.round(d, true);
      if (!rounded.equals(d)) {
        throw DlnRuntimeException.type(what + " holds fractional values and cannot become " + type.getSimpleName(),
            "ask for float[] or double[], or round it in DLN first");
      }
    }
    return t;
  }

  /** Fills {@code shape} from the first row at each depth, then checks every row matches it. */
  private static void checkRectangular(Object array, long[] shape, int depth, String where) {
    if (depth == 0) {
      Object row = array;
      for (int d = 0; d < shape.length; d++) {
        int n = row == null ? 0 : Array.getLength(row);
        shape[d] = n;
        row = n > 0 && d + 1 < shape.length ? Array.get(row, 0) : null;
      }
    }
    int n = Array.getLength(array);
    if (shape[depth] != n) {
      throw DlnRuntimeException.value("cannot make a tensor from a ragged Java array: row " + where + " has " + n
          + " values but row " + where.replaceAll("\\[\\d+\\]$", "[0]") + " has " + shape[depth], "every row must have the same length");
    }
    if (depth + 1 < shape.length) {
      for (int i = 0; i < n; i++) {
        Object row = Array.get(array, i);
        if (row == null) throw DlnRuntimeException.value("cannot make a tensor from a Java array with a null row at " + where + "[" + i + "]");
        checkRectangular(row, shape, depth + 1, where + "[" + i + "]");
      }
    }
  }

  private static void fill(Object array, double[] values, long[] longs, int[] next) {
    int n = Array.getLength(array);
    Class<?> c = array.getClass().getComponentType();
    for (int i = 0; i < n; i++) {
      if (c.isArray()) {
        fill(Array.get(array, i), values, longs, next);
      } else if (c == boolean.class) {
        values[next[0]++] = Array.getBoolean(array, i) ? 1 : 0;
      } else if (longs != null) {
        longs[next[0]++] = Array.getLong(array, i);
      } else {
        values[next[0]++] = Array.getDouble(array, i);
      }
    }
  }
}

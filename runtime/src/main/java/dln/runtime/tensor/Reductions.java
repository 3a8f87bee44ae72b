package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reductions over some or all axes, with numpy's result types: sum and prod of bools count as int64,
 * mean/std/var are floating point, argmax/argmin give int64 positions (flat positions when no axis
 * is given). std and var are population statistics (numpy's default ddof=0).
 */
final class Reductions {
  private Reductions() {}

  static INDArray reduce(String op, INDArray x, int[] axesOrNull, boolean keepdims) {
    int rank = x.rank();
    int[] axes = Shapes.axes(axesOrNull, rank);
    boolean arg = op.equals("argmax") || op.equals("argmin");
    if (arg && axes.length > 1 && axesOrNull != null) {
      throw DlnRuntimeException.value(op + " takes a single axis, got " + axes.length);
    }
    long[] kept = keptShape(x.shape(), axes);
    long[] dropped = droppedShape(x.shape(), axes);
    long[] resultShape = keepdims ? kept : dropped;
    DataType t = DTypes.normal(x.dataType());
    if (x.length() == 0) return emptyReduction(op, x, axes, resultShape, t);
    if (arg) return argReduce(op, x, axesOrNull == null || axes.length == 0 ? null : axes[0], keepdims);
    INDArray r;
    switch (op) {
      case "sum", "prod" -> {
        INDArray v = DTypes.as(x, t == DataType.BOOL ? DataType.LONG : t);
        if (axes.length == 0) return v.dup().reshape('c', resultShape);
        r = op.equals("sum") ? v.sum(false, axes) : v.prod(false, axes);
      }
      case "max", "min" -> {
        INDArray v = DTypes.as(x, t == DataType.BOOL ? DataType.INT : t);
        if (axes.length == 0) return x.dup().reshape('c', resultShape);
        r = op.equals("max") ? v.max(false, axes) : v.min(false, axes);
        if (t == DataType.BOOL) r = r.castTo(DataType.BOOL);
      }
      case "mean", "std", "var" -> {
        INDArray v = DTypes.asFloat(x);
        if (axes.length == 0) {
          return op.equals("mean") ? v.dup().reshape('c', resultShape) : Nd4j.zeros(v.dataType(), resultShape);
        }
        r = switch (op) {
          case "mean" -> v.mean(false, axes);
          case "std" -> v.std(false, false, axes);
          default -> v.var(false, axes);
        };
      }
      default -> throw DlnRuntimeException.value("unknown reduction '" + op + "'");
    }
    return r.reshape('c', resultShape);
  }

  private static INDArray argReduce(String op, INDArray x, Integer axis, boolean keepdims) {
    INDArray v = DTypes.as(x, DTypes.isFloat(x.dataType()) ? x.dataType() : DataType.DOUBLE);
    INDArray r;
    long[] shape;
    if (axis == null) {
      INDArray flat = v.reshape('c', new long[] {v.length()});
      r = op.equals("argmax") ? Nd4j.argMax(flat, 0) : Nd4j.argMin(flat, 0);
      shape = keepdims ? Shapes.prependOnes(new long[0], x.rank()) : new long[0];
    } else {
      if (v.rank() == 0) {
        // a scalar's only position is 0 (the axis check above already rejected real axes)
        return Nd4j.scalar(DataType.LONG, 0L);
      }
      r = op.equals("argmax") ? Nd4j.argMax(v, axis) : Nd4j.argMin(v, axis);
      shape = keepdims ? keptShape(x.shape(), new int[] {axis}) : droppedShape(x.shape(), new int[] {axis});
    }
    return DTypes.as(r, DataType.LONG).reshape('c', shape);
  }

  private static INDArray emptyReduction(String op, INDArray x, int[] axes, long[] resultShape, DataType t) {
    boolean reducesEmptyAxis = false;
    for (int a : axes) reducesEmptyAxis |= x.size(a) == 0;
    if (!reducesEmptyAxis) {
      // Nothing is reduced away from the empty axes: the result is empty too.
      return Nd4j.create(op.startsWith("arg") ? DataType.LONG : t, resultShape);
    }
    return switch (op) {
      case "sum" -> Nd4j.zeros(t == DataType.BOOL ? DataType.LONG : t, resultShape);
      case "prod" -> Nd4j.ones(t == DataType.BOOL ? DataType.LONG : t, resultShape);
      case "mean", "std", "var" -> Nd4j.valueArrayOf(resultShape, Double.NaN, DTypes.isFloat(t) ? t : DataType.FLOAT);
      default -> throw DlnRuntimeException.value("cannot take the " + op + " of an empty tensor (shape "
          + Shapes.str(x.shape()) + ")");
    };
  }

  /** The input shape with each reduced axis set to 1. */
  static long[] keptShape(long[] shape, int[] axes) {
    long[] out = shape.clone();
    for (int a : axes) out[a] = 1;
    return out;
  }

  /** The input shape without the reduced axes. */
  static long[] droppedShape(long[] shape, int[] axes) {
    long[] out = new long[shape.length - axes.length];
    int k = 0;
    outer:
    for (int i = 0; i < shape.length; i++) {
      for (int a : axes) if (a == i) continue outer;
      out[k++] = shape[i];
    }
    return out;
  }
}

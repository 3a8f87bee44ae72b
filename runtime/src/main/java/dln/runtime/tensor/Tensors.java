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
 * Eager tensors for DLN: creation, numpy-style arithmetic with broadcasting, matmul, reductions,
 * indexing, shape operations and printing, all on ND4J {@link INDArray}s. Every user mistake
 * (mismatched shapes, bad axes, out-of-range indices) is reported as a
 * {@link DlnRuntimeException} naming the shapes involved; no ND4J exception is meant to escape.
 *
 * <p>float32 is the default dtype: {@code fromNested([1, 2], null)} is float32, as DLN's
 * {@code tensor([1, 2])} is. Results of basic indexing are views sharing memory with the indexed
 * tensor, as in numpy; everything else returns a new tensor.
 */
public final class Tensors {
  private Tensors() {}

  // ---- dtypes ---------------------------------------------------------------------------------

  /** The dtype for a user-facing name: float32, float64, int32, int64, bool (also float, int, double). */
  public static DataType dtype(String name) {
    return DTypes.byName(name);
  }

  /** The user-facing name of a dtype, e.g. "float32". */
  public static String dtypeName(DataType type) {
    return DTypes.name(type);
  }

  /** A shape as users see it: {@code (2, 3)}, {@code (4,)}, {@code ()}. */
  public static String shapeString(long[] shape) {
    return Shapes.str(shape);
  }

  // ---- conversion and printing ----------------------------------------------------------------

  /**
   * A tensor from a number, a boolean, a tensor or nested Java lists of them. float32 unless
   * {@code dtypeOrNull} says otherwise (all-boolean input gives bool); ragged lists are an error
   * that names the offending item.
   */
  public static INDArray fromNested(Object nested, DataType dtypeOrNull) {
    return NestedLists.toTensor(nested, dtypeOrNull);
  }

  /**
   * The dtype np.array gives nested numbers: NumPy's (ints int64, bools bool, a tensor its own),
   * but float32 for Python floats, DLN's float.
   */
  public static DataType numpyDtype(Object nested) {
    return NestedLists.numpyDtype(nested);
  }

  /** Nested {@code ArrayList}s of Double, Long or Boolean; a rank-0 tensor gives the bare value. */
  public static Object toNested(INDArray x) {
    return NestedLists.toNested(x);
  }

  /**
   * A float32 as the double written with the float32's shortest round-trip digits: {@code 0.1f}
   * gives {@code 0.1}, not {@code 0.10000000149011612} (its exact widening). This is the number
   * numpy prints for a float32 scalar; converting the result back to float32 gives the same float,
   * so nothing the float32 held is lost, and the printed digits are the ones the user typed.
   */
  public static double shortDouble(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) return f;
    if (f == 0) return f; // keeps -0.0
    double d = ShortestDigits.of(f).doubleValue();
    // Decimal -> double -> float rounds twice; fall back to the exact widening on the (theoretical)
    // digit strings where that would land on a different float.
    return (float) d == f ? d : (double) f;
  }

  /**
   * The single value of a one-element tensor as a Double, Long or Boolean; a float32 element comes
   * back as {@link #shortDouble}.
   */
  public static Object item(INDArray x) {
    if (x.length() != 1) {
      throw DlnRuntimeException.value("item() needs a tensor with exactly one element, got shape "
          + Shapes.str(x.shape()) + " (" + x.length() + " elements)");
    }
    return NestedLists.toNested(x.reshape('c', new long[0]));
  }

  /**
   * numpy-style text: {@code tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=(2, 2),
   * dtype=float32)}; tensors over 1000 elements are summarised with "...".
   */
  public static String format(INDArray x) {
    return TensorFormat.format(x);
  }

  /** The form used inside lists and other containers (the same text as {@link #format}). */
  public static String formatInline(INDArray x) {
    return TensorFormat.format(x);
  }

  // ---- element-wise math ----------------------------------------------------------------------

  /**
   * {@code a op b} for op in {@code + - * / // % ** @ < <= > >= == !=} and {@code maximum},
   * {@code minimum}. Operands are tensors or Long/Double/Boolean (at least one tensor); shapes
   * broadcast like numpy; comparisons give bool tensors; {@code /} always gives floats; float
   * division by zero gives inf/nan as in IEEE arithmetic.
   */
  public static INDArray binary(String op, Object a, Object b) {
    return Elementwise.binary(op, a, b);
  }

  /**
   * {@link #binary} written into {@code out} when it is a dense tensor of the result's dtype and
   * shape (the caller vouches that nothing else holds it: its values are overwritten); false, with
   * nothing written, where the operator or the tensors do not allow it. Same values as binary.
   */
  public static boolean binaryInto(String op, Object a, Object b, INDArray out) {
    return Elementwise.binaryInto(op, a, b, out);
  }

  /**
   * An element-wise function: neg exp log sqrt abs square sign floor ceil round sin cos tanh, or an
   * activation: linear sigmoid tanh relu elu softmax (over the last axis) leaky_relu (slope 0.2)
   * softplus selu gelu (exact, erf-based) swish.
   */
  public static INDArray unary(String fn, INDArray x) {
    return Elementwise.unary(fn, x);
  }

  /** Softmax along an axis (the activation {@code unary("softmax", x)} uses the last one). */
  public static INDArray softmax(INDArray x, int axis) {
    return Elementwise.softmax(x, axis);
  }

  /** leaky_relu with a chosen slope for negative inputs. */
  public static INDArray leakyRelu(INDArray x, double slope) {
    return Elementwise.leakyRelu(x, slope);
  }

  /** Values limited to [lo, hi]; a null bound is left open. */
  public static INDArray clip(INDArray x, Double lo, Double hi) {
    return Elementwise.clip(x, lo, hi);
  }

  /** Matrix product with numpy's matmul rules (same as {@code binary("@", a, b)}). */
  public static INDArray matmul(INDArray a, INDArray b) {
    return MatMul.matmul(a, b);
  }

  // ---- reductions -----------------------------------------------------------------------------

  /**
   * sum mean max min argmax argmin std var prod over the given axes (null: all; negative axes
   * count from the end), keeping reduced axes as size 1 when {@code keepdims}.
   */
  public static INDArray reduce(String op, INDArray x, int[] axesOrNull, boolean keepdims) {
    return Reductions.reduce(op, x, axesOrNull, keepdims);
  }

  // ---- indexing -------------------------------------------------------------------------------

  /**
   * {@code x[i, j:k, ...]}: each element of {@code index} is a Long (negative counts from the end;
   * removes the axis), a {@link Slice} (Python semantics, negative steps included), or, first only,
   * a bool mask or int tensor selecting along axis 0.
   */
  public static INDArray get(INDArray x, List<Object> index) {
    return Indexing.get(x, index);
  }

  /** {@code x[index] = value} in place; value is a number or a tensor that broadcasts to the target. */
  public static void put(INDArray x, List<Object> index, Object value) {
    Indexing.put(x, index, value);
  }

  // ---- creation -------------------------------------------------------------------------------

  public static INDArray zeros(long... shape) {
    return Nd4j.zeros(DataType.FLOAT, checkShape(shape));
  }

  public static INDArray zeros(long[] shape, DataType dtype) {
    return Nd4j.zeros(dtype, checkShape(shape));
  }

  public static INDArray ones(long... shape) {
    return Nd4j.ones(DataType.FLOAT, checkShape(shape));
  }

  public static INDArray ones(long[] shape, DataType dtype) {
    return Nd4j.ones(dtype, checkShape(shape));
  }

  /** A float32 tensor of the given shape filled with {@code value}. */
  public static INDArray full(long[] shape, double value) {
    return full(shape, value, DataType.FLOAT);
  }

  public static INDArray full(long[] shape, double value, DataType dtype) {
    checkShape(shape);
    if (Shapes.size(shape) == 0) return Nd4j.create(dtype, shape);
    return Nd4j.valueArrayOf(shape, value, dtype);
  }

  /** The n×n identity matrix (float32). */
  public static INDArray eye(long n) {
    return ArrayOps.eye(n, n, 0, DataType.FLOAT);
  }

  /** start, start+step, ... up to but excluding stop (float32), like numpy's arange. */
  public static INDArray arange(double start, double stop, double step) {
    return arange(start, stop, step, DataType.FLOAT);
  }

  public static INDArray arange(double start, double stop, double step, DataType dtype) {
    if (step == 0) throw DlnRuntimeException.value("arange: step cannot be zero");
    long n = Math.max(0, (long) Math.ceil((stop - start) / step));
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) v[i] = start + i * step;
    return vector(v, dtype);
  }

  /** n evenly spaced values from a to b inclusive (float32). */
  public static INDArray linspace(double a, double b, long n) {
    return linspace(a, b, n, true, DataType.FLOAT);
  }

  /** n evenly spaced values from a to b, b included when {@code endpoint} (NumPy's linspace). */
  public static INDArray linspace(double a, double b, long n, boolean endpoint, DataType dtype) {
    if (n < 0) throw DlnRuntimeException.value("linspace: number of values must not be negative, got " + n);
    double[] v = new double[Math.toIntExact(n)];
    long div = endpoint ? n - 1 : n;
    for (int i = 0; i < n; i++) v[i] = div == 0 ? a : a + (b - a) * i / div;
    if (endpoint && n > 1) v[(int) n - 1] = b;
    return vector(v, dtype);
  }

  private static INDArray vector(double[] v, DataType dtype) {
    if (v.length == 0) return Nd4j.create(dtype, 0);
    return Nd4j.createFromArray(v).castTo(dtype);
  }

  /** Uniform random values in [0, 1) (float32); reproducible after {@link #seed}. */
  public static INDArray rand(long... shape) {
    checkShape(shape);
    if (Shapes.size(shape) == 0) return Nd4j.create(DataType.FLOAT, shape);
    return dln.runtime.Rng.uniform(shape, 0, 1);
  }

  /** Standard normal random values (float32); reproducible after {@link #seed}. */
  public static INDArray randn(long... shape) {
    checkShape(shape);
    if (Shapes.size(shape) == 0) return Nd4j.create(DataType.FLOAT, shape);
    return dln.runtime.Rng.normal(shape, 0, 1);
  }

  /** Seeds this thread's generator ({@link dln.runtime.Rng}), which rand, randn, weight initialisers, dropout and shuffles draw from. */
  public static void seed(long seed) {
    dln.runtime.Rng.seed(seed);
    Nd4j.getRandom().setSeed(seed);
  }

  private static long[] checkShape(long[] shape) {
    for (long d : shape) {
      if (d < 0) throw DlnRuntimeException.value("negative dimension " + d + " in shape " + Shapes.str(shape));
    }
    return shape;
  }

  // ---- shape operations -----------------------------------------------------------------------

  /** The same values in a new shape; one dimension may be -1 (inferred). */
  public static INDArray reshape(INDArray x, long... shape) {
    long[] target = shape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (unknown >= 0) throw DlnRuntimeException.value("reshape: only one dimension can be -1, got " + Shapes.str(shape));
        unknown = i;
      } else if (target[i] < 0) {
        throw DlnRuntimeException.value("reshape: negative dimension " + target[i] + " in " + Shapes.str(shape));
      } else {
        known *= target[i];
      }
    }
    long n = x.length();
    if (unknown >= 0) {
      if (known == 0 || n % known != 0) {
        throw DlnRuntimeException.shape("cannot reshape a tensor of shape " + Shapes.str(x.shape()) + " ("
            + n + " elements) into shape " + Shapes.str(shape), null);
      }
      target[unknown] = n / known;
    } else if (known != n) {
      throw DlnRuntimeException.shape("cannot reshape a tensor of shape " + Shapes.str(x.shape()) + " ("
          + n + " elements) into shape " + Shapes.str(shape) + " (" + known + " elements)", null);
    }
    if (n == 0) return Nd4j.create(x.dataType(), target);
    return x.reshape('c', target);
  }

  /** Axes reversed (the matrix transpose for 2-D). */
  public static INDArray transpose(INDArray x) {
    int[] axes = new int[x.rank()];
    for (int i = 0; i < axes.length; i++) axes[i] = axes.length - 1 - i;
    return x.rank() < 2 ? x : x.permute(axes);
  }

  /** Axes reordered: result axis i is input axis axes[i] (negative axes allowed). */
  public static INDArray transpose(INDArray x, int[] axes) {
    if (axes.length != x.rank()) {
      throw DlnRuntimeException.value("transpose: axes " + Arrays.toString(axes) + " must list each of the "
          + x.rank() + " axes of a tensor of shape " + Shapes.str(x.shape()) + " once");
    }
    int[] norm = new int[axes.length];
    boolean[] seen = new boolean[axes.length];
    for (int i = 0; i < axes.length; i++) {
      norm[i] = Shapes.axis(axes[i], x.rank());
      if (seen[norm[i]]) {
        throw DlnRuntimeException.value("transpose: axis " + axes[i] + " appears twice in " + Arrays.toString(axes));
      }
      seen[norm[i]] = true;
    }
    return x.rank() < 2 ? x : x.permute(norm);
  }

  /** A 1-D copy of all values in row-major order. */
  public static INDArray flatten(INDArray x) {
    if (x.length() == 0) return Nd4j.create(x.dataType(), 0);
    return x.dup('c').reshape('c', new long[] {x.length()});
  }

  /** Tensors joined along an existing axis; all other sizes must match. */
  public static INDArray concat(List<INDArray> xs, int axis) {
    if (xs.isEmpty()) throw DlnRuntimeException.value("concat needs at least one tensor");
    INDArray first = xs.get(0);
    if (first.rank() == 0) throw DlnRuntimeException.value("concat: scalars cannot be concatenated", "use stack to join scalars");
    int a = Shapes.axis(axis, first.rank());
    DataType t = first.dataType();
    for (int i = 1; i < xs.size(); i++) {
      INDArray x = xs.get(i);
      boolean ok = x.rank() == first.rank();
      for (int d = 0; ok && d < x.rank(); d++) ok = d == a || x.size(d) == first.size(d);
      if (!ok) {
        throw DlnRuntimeException.shape("concat: tensor " + i + " has shape " + Shapes.str(x.shape())
            + " but tensor 0 has shape " + Shapes.str(first.shape()) + "; all sizes except axis " + a + " must match", null);
      }
      t = DTypes.wider(t, x.dataType());
    }
    List<INDArray> parts = new ArrayList<>();
    long total = 0;
    for (INDArray x : xs) {
      total += x.size(a);
      if (x.length() > 0) parts.add(DTypes.as(x, t).dup('c'));
    }
    if (parts.isEmpty() || Shapes.size(first.shape()) / Math.max(1, first.size(a)) == 0) {
      long[] shape = first.shape().clone();
      shape[a] = total;
      return Nd4j.create(t, shape);
    }
    if (parts.size() == 1) return parts.get(0);
    return Nd4j.concat(a, parts.toArray(new INDArray[0]));
  }

  /** Tensors of one shape joined along a new axis. */
  public static INDArray stack(List<INDArray> xs, int axis) {
    if (xs.isEmpty()) throw DlnRuntimeException.value("stack needs at least one tensor");
    INDArray first = xs.get(0);
    for (int i = 1; i < xs.size(); i++) {
      if (!Arrays.equals(xs.get(i).shape(), first.shape())) {
        throw DlnRuntimeException.shape("stack: tensor " + i + " has shape " + Shapes.str(xs.get(i).shape())
            + " but tensor 0 has shape " + Shapes.str(first.shape()) + "; stacked tensors must have the same shape", null);
      }
    }
    int a = Shapes.axis(axis, first.rank() + 1);
    List<INDArray> expanded = new ArrayList<>();
    for (INDArray x : xs) expanded.add(expandDims(x, a));
    return concat(expanded, a);
  }

  /** Without axes of size 1 (all of them, or only {@code axisOrNull}). */
  public static INDArray squeeze(INDArray x, Integer axisOrNull) {
    long[] s = x.shape();
    List<Long> dims = new ArrayList<>();
    if (axisOrNull != null) {
      int a = Shapes.axis(axisOrNull, x.rank());
      if (s[a] != 1) {
        throw DlnRuntimeException.value("cannot squeeze axis " + axisOrNull + " of shape " + Shapes.str(s)
            + ": its size is " + s[a] + ", not 1");
      }
      for (int i = 0; i < s.length; i++) if (i != a) dims.add(s[i]);
    } else {
      for (long d : s) if (d != 1) dims.add(d);
    }
    return reshape(x, dims.stream().mapToLong(Long::longValue).toArray());
  }

  /** With a new axis of size 1 at {@code axis} (which may be -1 for "at the end"). */
  public static INDArray expandDims(INDArray x, int axis) {
    int a = Shapes.axis(axis, x.rank() + 1);
    long[] s = x.shape();
    long[] out = new long[s.length + 1];
    for (int i = 0, k = 0; i < out.length; i++) out[i] = i == a ? 1 : s[k++];
    return reshape(x, out);
  }

  /** A copy converted to another dtype. */
  public static INDArray astype(INDArray x, DataType dtype) {
    return x.dataType() == dtype ? x.dup() : x.castTo(dtype);
  }

  /** x broadcast (materialised) to {@code shape}, which it must broadcast to. */
  static INDArray broadcastTo(INDArray x, long[] shape) {
    if (Arrays.equals(x.shape(), shape)) return x;
    if (Shapes.size(shape) == 0) return Nd4j.create(x.dataType(), shape);
    INDArray r = x.rank() == shape.length ? x : x.reshape('c', Shapes.prependOnes(x.shape(), shape.length));
    return r.broadcast(shape);
  }
}

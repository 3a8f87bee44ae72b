package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's linear algebra with NumPy's semantics: {@code np.linalg} inv, det, solve and norm (stacks
 * of matrices in the leading axes), and diag, trace and outer. Computed in Java in float64 (LU
 * with partial pivoting; singular values from {@link Decompositions}), then given the operand's float
 * dtype: float32 stays float32, and ints give float32, DLN's float, where NumPy gives float64.
 */
public final class LinearAlgebra {
  /** A pivot this small relative to the matrix's largest element means the matrix is singular. */
  private static final double SINGULAR = 1e-300;

  private LinearAlgebra() {}

  // ---- inv, det, solve ------------------------------------------------------------------------

  /** np.linalg.inv: the inverse of each square matrix in the last two axes. */
  public static INDArray inv(INDArray a) {
    int n = square(a, "np.linalg.inv");
    double[] v = ArrayOps.doubles(a);
    double[] out = new double[v.length];
    for (int m = 0; m < v.length / Math.max(1, n * n); m++) {
      Lu lu = Lu.of(v, m * n * n, n, true);
      for (int col = 0; col < n; col++) {
        double[] e = new double[n];
        e[col] = 1;
        double[] x = lu.solve(e);
        for (int row = 0; row < n; row++) out[m * n * n + row * n + col] = x[row];
      }
    }
    return ArrayOps.fromDoubles(out, a.shape(), floatType(a));
  }

  /** np.linalg.det: the determinant of each square matrix in the last two axes. */
  public static INDArray det(INDArray a) {
    int n = square(a, "np.linalg.det");
    double[] v = ArrayOps.doubles(a);
    long[] shape = Arrays.copyOf(a.shape(), a.rank() - 2);
    double[] out = new double[Math.toIntExact(Shapes.size(shape))];
    for (int m = 0; m < out.length; m++) out[m] = Lu.of(v, m * n * n, n, false).determinant();
    return ArrayOps.fromDoubles(out, shape, floatType(a));
  }

  /**
   * np.linalg.solve: x with a @ x == b, for b a vector (..., n) or matrix (..., n, k) of
   * right-hand sides, a's leading axes and b's the same.
   */
  public static INDArray solve(INDArray a, INDArray b) {
    int n = square(a, "np.linalg.solve");
    boolean vector = b.rank() == a.rank() - 1;
    long[] lead = Arrays.copyOf(a.shape(), a.rank() - 2);
    boolean fits = (vector || b.rank() == a.rank()) && b.rank() >= 1 && b.size(vector ? -1 : -2) == n
        && Arrays.equals(Arrays.copyOf(b.shape(), lead.length), lead);
    if (!fits) {
      throw DlnRuntimeException.shape("np.linalg.solve(): a of shape " + Shapes.str(a.shape()) + " and b of shape "
          + Shapes.str(b.shape()) + " do not fit", "b is (..., " + n + ") or (..., " + n + ", k) for a of (..., " + n + ", " + n + ")");
    }
    int k = vector ? 1 : (int) b.size(-1);
    double[] av = ArrayOps.doubles(a);
    double[] bv = ArrayOps.doubles(b);
    double[] out = new double[bv.length];
    for (int m = 0; m < Shapes.size(lead); m++) {
      Lu lu = Lu.of(av, m * n * n, n, true);
      for (int col = 0; col < k; col++) {
        double[] rhs = new double[n];
        for (int row = 0; row < n; row++) rhs[row] = bv[m * n * k + row * k + col];
        double[] x = lu.solve(rhs);
        for (int row = 0; row < n; row++) out[m * n * k + row * k + col] = x[row];
      }
    }
    return ArrayOps.fromDoubles(out, b.shape(), DTypes.wider(floatType(a), floatType(b)));
  }

  /** The matrix size n of a (..., n, n) operand; NumPy's errors otherwise. */
  private static int square(INDArray a, String fn) {
    if (a.rank() < 2) {
      throw DlnRuntimeException.value(fn + "(): " + a.rank() + "-dimensional array given. Array must be at least two-dimensional",
          null);
    }
    if (a.size(-1) != a.size(-2)) {
      throw DlnRuntimeException.value(fn + "(): Last 2 dimensions of the array must be square, got shape " + Shapes.str(a.shape()),
          null);
    }
    return Math.toIntExact(a.size(-1));
  }

  /** The float dtype of a result computed from x: float64 stays, everything else gives float32. */
  private static DataType floatType(INDArray x) {
    return x.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
  }

  /** The LU factors of one n×n matrix (row-major at {@code offset} in v), rows swapped for stability. */
  static final class Lu {
    final double[] lu;
    final int[] perm;
    final int n;
    int swaps;
    boolean singular;

    private Lu(double[] lu, int n) {
      this.lu = lu;
      this.n = n;
      this.perm = new int[n];
      for (int i = 0; i < n; i++) perm[i] = i;
    }

    static Lu of(double[] v, int offset, int n, boolean mustBeRegular) {
      Lu f = new Lu(Arrays.copyOfRange(v, offset, offset + n * n), n);
      f.factor();
      if (mustBeRegular && f.singular) throw DlnRuntimeException.value("Singular matrix", "the matrix has no inverse");
      return f;
    }

    private void factor() {
      for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++) if (Math.abs(lu[r * n + c]) > Math.abs(lu[p * n + c])) p = r;
        if (Math.abs(lu[p * n + c]) < SINGULAR) {
          singular = true;
          continue;
        }
        if (p != c) {
          for (int j = 0; j < n; j++) {
            double t = lu[p * n + j];
            lu[p * n + j] = lu[c * n + j];
            lu[c * n + j] = t;
          }
          int t = perm[p];
          perm[p] = perm[c];
          perm[c] = t;
          swaps++;
        }
        for (int r = c + 1; r < n; r++) {
          double f = lu[r * n + c] / lu[c * n + c];
          lu[r * n + c] = f;
          for (int j = c + 1; j < n; j++) lu[r * n + j] -= f * lu[c * n + j];
        }
      }
    }

    double determinant() {
      if (singular) return 0;
      double d = swaps % 2 == 0 ? 1 : -1;
      for (int i = 0; i < n; i++) d *= lu[i * n + i];
      return d;
    }

    double[] solve(double[] b) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        double s = b[perm[i]];
        for (int j = 0; j < i; j++) s -= lu[i * n + j] * x[j];
        x[i] = s;
      }
      for (int i = n - 1; i >= 0; i--) {
        double s = x[i];
        for (int j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j];
        x[i] = s / lu[i * n + i];
      }
      return x;
    }
  }

  // ---- norm -----------------------------------------------------------------------------------

  /**
   * np.linalg.norm. {@code ord}: null (2-norm of vectors, Frobenius of matrices), a number
   * (vectors: any p, inf and -inf, 0 counts non-zeros; matrices: 1, -1, 2, -2, inf, -inf), or
   * "fro" / "nuc" for matrices. {@code axes}: null (the vector norm of a 1-D tensor, the matrix
   * norm of a 2-D one; for others only ord null, over everything), one axis (vector norms) or two
   * (matrix norms).
   */
  public static INDArray norm(INDArray x, Object ord, int[] axes, boolean keepdims) {
    if (axes == null) {
      if (ord == null || x.rank() == 1) axes = x.rank() == 2 && ord != null ? new int[] {0, 1} : allAxes(x.rank());
      else if (x.rank() == 2) axes = new int[] {0, 1};
      else throw DlnRuntimeException.value("np.linalg.norm(): improper number of dimensions to norm", "give axis=");
      if (ord == null) return keep(vectorNorm(x, 2.0, axes), x, axes, keepdims);
    }
    for (int i = 0; i < axes.length; i++) axes[i] = axes[i] < 0 ? axes[i] + x.rank() : axes[i];
    if (axes.length == 1) {
      if (ord instanceof String s) throw DlnRuntimeException.value("np.linalg.norm(): invalid norm order '" + s + "' for vectors", null);
      return keep(vectorNorm(x, ord == null ? 2.0 : (Double) ord, axes), x, axes, keepdims);
    }
    if (axes.length != 2) throw DlnRuntimeException.value("np.linalg.norm(): improper number of dimensions to norm", null);
    return keep(matrixNorm(x, ord, axes[0], axes[1]), x, axes, keepdims);
  }

  private static int[] allAxes(int rank) {
    int[] a = new int[rank];
    for (int i = 0; i < rank; i++) a[i] = i;
    return a;
  }

  private static INDArray keep(INDArray r, INDArray x, int[] axes, boolean keepdims) {
    if (!keepdims) return r;
    long[] shape = x.shape().clone();
    for (int a : axes) shape[a < 0 ? a + x.rank() : a] = 1;
    return Tensors.reshape(r, shape);
  }

  private static INDArray vectorNorm(INDArray x, double p, int[] axes) {
    INDArray f = DTypes.as(x, floatType(x));
    INDArray abs = Tensors.unary("abs", f);
    if (p == Double.POSITIVE_INFINITY) return Tensors.reduce("max", abs, axes, false);
    if (p == Double.NEGATIVE_INFINITY) return Tensors.reduce("min", abs, axes, false);
    if (p == 0) return Tensors.reduce("sum", Tensors.binary("!=", f, 0.0).castTo(f.dataType()), axes, false);
    if (p == 1) return Tensors.reduce("sum", abs, axes, false);
    if (p == 2) return Tensors.unary("sqrt", Tensors.reduce("sum", Tensors.binary("*", f, f), axes, false));
    return Tensors.binary("**", Tensors.reduce("sum", Tensors.binary("**", abs, p), axes, false), 1 / p);
  }

  private static INDArray matrixNorm(INDArray x, Object ord, int rows, int cols) {
    INDArray f = DTypes.as(x, floatType(x));
    INDArray abs = Tensors.unary("abs", f);
    if (ord == null || "fro".equals(ord)) return vectorNorm(f, 2.0, new int[] {rows, cols});
    if ("nuc".equals(ord) || Double.valueOf(2).equals(ord) || Double.valueOf(-2).equals(ord)) {
      return singularValueNorm(f, rows, cols, "nuc".equals(ord) ? 0 : (Double) ord);
    }
    if (!(ord instanceof Double p) || !(Math.abs(p) == 1 || Double.isInfinite(p))) {
      throw DlnRuntimeException.value("np.linalg.norm(): invalid norm order " + ord + " for matrices",
          "use None, 'fro', 'nuc', 1, -1, 2, -2, inf or -inf");
    }
    // 1: the largest column sum of |x| (summing the rows axis); inf: the largest row sum.
    boolean columnSums = Math.abs(p) == 1;
    INDArray sums = Tensors.reduce("sum", abs, new int[] {columnSums ? rows : cols}, true);
    int other = columnSums ? cols : rows;
    INDArray best = Tensors.reduce(p > 0 ? "max" : "min", sums, new int[] {other}, true);
    long[] shape = new long[x.rank() - 2];
    for (int d = 0, k = 0; d < x.rank(); d++) if (d != rows && d != cols) shape[k++] = x.size(d);
    return Tensors.reshape(best, shape);
  }

  /** The 2-norm (largest singular value), -2 (smallest) or, for which 0, the nuclear norm (their sum). */
  private static INDArray singularValueNorm(INDArray f, int rows, int cols, double which) {
    int[] order = new int[f.rank()];
    long[] shape = new long[f.rank() - 2];
    for (int d = 0, k = 0; d < f.rank(); d++) {
      if (d != rows && d != cols) {
        order[k] = d;
        shape[k++] = f.size(d);
      }
    }
    order[f.rank() - 2] = rows;
    order[f.rank() - 1] = cols;
    INDArray stacked = Tensors.transpose(f, order);
    int m = (int) f.size(rows);
    int n = (int) f.size(cols);
    double[] v = ArrayOps.doubles(stacked);
    double[] out = new double[Math.toIntExact(Shapes.size(shape))];
    for (int s = 0; s < out.length; s++) {
      double[] sv = Decompositions.singularValues(Arrays.copyOfRange(v, s * m * n, (s + 1) * m * n), m, n);
      double r = which == 2 ? Double.NEGATIVE_INFINITY : which == -2 ? Double.POSITIVE_INFINITY : 0;
      for (double x : sv) r = which == 2 ? Math.max(r, x) : which == -2 ? Math.min(r, x) : r + x;
      out[s] = r;
    }
    return ArrayOps.fromDoubles(out, shape, f.dataType());
  }

  // ---- diag, trace, outer ---------------------------------------------------------------------

  /** np.diag: a 1-D tensor placed on diagonal k of a square matrix, or diagonal k of a 2-D tensor. */
  public static INDArray diag(INDArray v, long k) {
    if (v.rank() == 1) {
      long n = v.length() + Math.abs(k);
      long[] positions = new long[Math.toIntExact(n * n)];
      Arrays.fill(positions, -1);
      for (long i = 0; i < v.length(); i++) {
        long row = k >= 0 ? i : i - k;
        positions[(int) (row * n + row + k)] = i;
      }
      return ArrayOps.take(v, positions, new long[] {n, n}, 0);
    }
    if (v.rank() != 2) throw DlnRuntimeException.value("np.diag(): Input must be 1- or 2-d, got rank " + v.rank(), null);
    return ArrayOps.take(v, diagonal(v, k), new long[] {diagonal(v, k).length}, 0);
  }

  /** np.trace: the sum of diagonal k of a 2-D tensor, in its dtype (bools count as int64). */
  public static INDArray trace(INDArray a, long k) {
    if (a.rank() != 2) throw DlnRuntimeException.value("np.trace(): DLN takes a 2-D tensor, got rank " + a.rank(),
        "for stacks of matrices use np.einsum('...ii->...', x)");
    INDArray d = ArrayOps.take(a, diagonal(a, k), new long[] {diagonal(a, k).length}, 0);
    return Tensors.reduce("sum", d.dataType() == DataType.BOOL ? d.castTo(DataType.LONG) : d, null, false);
  }

  /** Row-major positions of diagonal k (above the main one for k > 0) of a 2-D tensor. */
  private static long[] diagonal(INDArray a, long k) {
    long rows = a.size(0);
    long cols = a.size(1);
    long start = k >= 0 ? 0 : -k;
    long count = Math.max(0, Math.min(rows - start, cols - Math.max(0, k)));
    long[] out = new long[(int) count];
    for (int i = 0; i < count; i++) out[i] = (start + i) * cols + start + i + k;
    return out;
  }

  /** np.outer: the products a[i] * b[j] of the flattened tensors, as a matrix. */
  public static INDArray outer(INDArray a, INDArray b) {
    INDArray col = Tensors.reshape(Tensors.flatten(a), a.length(), 1);
    INDArray row = Tensors.reshape(Tensors.flatten(b), 1, b.length());
    return Tensors.binary("*", col, row);
  }
}

package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.Namespace;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.Rng;
import dln.runtime.tensor.ArrayOps;
import dln.runtime.tensor.Decompositions;
import dln.runtime.tensor.Einsum;
import dln.runtime.tensor.LinearAlgebra;
import dln.runtime.tensor.NpyFiles;
import dln.runtime.tensor.RandomArrays;
import dln.runtime.tensor.Slice;
import dln.runtime.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * More of NumPy under np (and so the module numpy), with NumPy's semantics: the stacking helpers,
 * cumulative sums, the closeness tests and the NaN test Keras examples use, the array functions
 * (sort, unique, split, pad, arange, eye, concatenate…), einsum and np.linalg, np.random and the
 * .npy/.npz files. The element-wise functions, reductions and shape functions np shares with
 * DLN's own builtins, and np.array, are in {@link TensorLib}.
 */
public final class NumpyLib implements Library {
  @Override
  public void install(Globals g) {
    Namespace np = g.namespace("np");
    g.def(np, "vstack", "tup", "Tensors stacked as rows: 1-D ones become rows of a matrix, others join on axis 0.\n"
        + "Example: np.vstack([a, b])", a -> {
          List<INDArray> rows = new ArrayList<>();
          for (INDArray x : tensors(a)) rows.add(x.rank() == 1 ? x.reshape(1, x.length()) : x);
          return Tensors.concat(rows, 0);
        });
    g.def(np, "hstack", "tup", "Tensors joined side by side: 1-D ones end to end, others on axis 1.\n"
        + "Example: np.hstack([a, b])", a -> {
          List<INDArray> xs = tensors(a);
          return Tensors.concat(xs, xs.get(0).rank() == 1 ? 0 : 1);
        });
    g.def(np, "cumsum", "a, axis?", "Running sums, of the flattened tensor or along axis.\nExample: np.cumsum(x, axis=0)", a -> {
      INDArray x = a.tensor("a");
      INDArray f = x.dataType().isFPType() ? x.dup() : x.castTo(DataType.LONG);
      if (!a.has("axis")) return f.reshape(f.length()).cumsum(0);
      int axis = a.intValue("axis");
      if (axis < -f.rank() || axis >= f.rank()) {
        throw DlnException.value("np.cumsum() axis " + axis + " is out of range for a tensor of rank " + f.rank(), null);
      }
      return f.cumsum(axis < 0 ? axis + f.rank() : axis);
    });
    g.def(np, "log1p", "x", "Element-wise log(1 + x), accurate for small x.\nExample: np.log1p(x)", a -> {
      Object x = a.get("x");
      if (Values.isNumber(x)) return Math.log1p(a.number("x"));
      INDArray t = a.tensor("x");
      return Transforms.log1p(t.dataType().isFPType() ? t : t.castTo(DataType.FLOAT), true);
    });
    g.def(np, "isnan", "x", "Element-wise test for NaN (a bool tensor).\nExample: np.isnan(x).any()", a -> {
      Object x = a.get("x");
      if (Values.isNumber(x)) return Double.isNaN(a.number("x"));
      INDArray t = a.tensor("x");
      // NaN is the one value unequal to itself; integer tensors have none
      return Tensors.binary("!=", t, t);
    });
    g.def(np, "isclose", "a, b, rtol?, atol?", "Element-wise |a - b| <= atol + rtol·|b| (rtol 1e-5, atol 1e-8), broadcasting.\n"
        + "Example: np.isclose(x, y)", NumpyLib::isclose);
    g.def(np, "allclose", "a, b, rtol?, atol?", "True when every element of a is close to b (see np.isclose).\n"
        + "Example: np.allclose(w, w2)", a -> {
          INDArray close = isclose(a);
          return close.castTo(DataType.FLOAT).minNumber().doubleValue() > 0;
        });
    arrays(g, np);
    linearAlgebra(g, np);
    random(g, np);
    files(g, np);
  }

  // ---- the rest of NumPy's array functions ---------------------------------------------------

  private static void arrays(Globals g, Namespace np) {
    g.def(np, "sort", "a, axis?", "A sorted copy along axis (default the last; axis=None sorts the flattened tensor).\n"
        + "Example: np.sort(x)", a -> ArrayOps.sort(a.tensor("a"), axisOrNone(a, -1)));
    g.def(np, "argsort", "a, axis?", "int64 positions that sort a along axis (default the last), stable.\n"
        + "Example: order = np.argsort(scores)[::-1]", a -> ArrayOps.argsort(a.tensor("a"), axisOrNone(a, -1)));
    g.def(np, "unique", "ar, return_index?, return_inverse?, return_counts?",
        "The sorted distinct values of the flattened tensor; with return_index / return_inverse / return_counts a tuple "
            + "that adds those int64 tensors.\nExample: values, counts = np.unique(y, return_counts=True)", a -> {
          INDArray[] r = ArrayOps.unique(a.tensor("ar"));
          List<Object> out = new ArrayList<>(List.of(r[0]));
          if (a.bool("return_index", false)) out.add(r[1]);
          if (a.bool("return_inverse", false)) out.add(r[2]);
          if (a.bool("return_counts", false)) out.add(r[3]);
          return out.size() == 1 ? r[0] : new Tuple(out);
        });
    g.def(np, "where", "condition, x?, y?", "x where condition is true, else y (broadcasting); with condition alone, "
        + "the tuple of int64 positions where it is true (np.nonzero).\nExample: np.where(x > 0, x, 0)", a -> {
          INDArray c = a.tensor("condition");
          if (!a.has("x") && !a.has("y")) return new Tuple(new ArrayList<>(ArrayOps.nonzero(c)));
          if (!a.has("x") || !a.has("y")) throw DlnException.value("np.where() takes either condition alone or condition, x and y", null);
          return ArrayOps.where(c, TensorLib.numberOrTensor(a, "x"), TensorLib.numberOrTensor(a, "y"));
        });
    g.def(np, "nonzero", "a", "The tuple of int64 positions (one tensor per axis) of the non-zero elements.\n"
        + "Example: rows, cols = np.nonzero(mask)", a -> new Tuple(new ArrayList<>(ArrayOps.nonzero(a.tensor("a")))));
    g.def(np, "split", "ary, indices_or_sections, axis?", "A list of pieces along axis: n equal ones, or cut at the given "
        + "positions.\nExample: a, b = np.split(x, 2)", a -> split(a, false));
    g.def(np, "array_split", "ary, indices_or_sections, axis?", "As np.split, but n sections need not divide the axis.\n"
        + "Example: np.array_split(x, 3)", a -> split(a, true));
    g.def(np, "tile", "A, reps", "A repeated reps times along each axis.\nExample: np.tile(v, (2, 1))",
        a -> ArrayOps.tile(a.tensor("A"), ints(a.get("reps"), "np.tile() reps")));
    g.def(np, "repeat", "a, repeats, axis?", "Each element (or each slice along axis) repeated.\nExample: np.repeat(x, 3, axis=0)",
        a -> ArrayOps.repeat(a.tensor("a"), ints(a.get("repeats"), "np.repeat() repeats"), a.has("axis") ? a.intValue("axis") : null));
    g.def(np, "pad", "array, pad_width, mode?, constant_values?", "The tensor padded on each axis: pad_width is n, (before, after) "
        + "or one pair per axis; mode constant (default, with constant_values), edge, reflect, symmetric or wrap.\n"
        + "Example: np.pad(img, ((0, 0), (2, 2), (2, 2)))", a -> {
          INDArray x = a.tensor("array");
          return ArrayOps.pad(x, padWidths(a.get("pad_width"), x.rank()), a.string("mode", "constant"), a.number("constant_values", 0));
        });
    g.def(np, "diff", "a, n?, axis?", "The n-th difference a[1:] - a[:-1] along axis (default the last).\nExample: np.diff(x)",
        a -> ArrayOps.diff(a.tensor("a"), a.intValue("n", 1), a.intValue("axis", -1)));
    g.def(np, "meshgrid", "*xi, indexing?", "Coordinate tensors from 1-D ones (a list); indexing 'xy' (default) or 'ij'.\n"
        + "Example: xx, yy = np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 3))", a -> {
          List<INDArray> xs = new ArrayList<>();
          for (Object v : a.rest()) xs.add(Values.toTensor(v));
          return new ArrayList<Object>(ArrayOps.meshgrid(xs, a.string("indexing", "xy")));
        });
    g.def(np, "eye", "N, M?, k?, dtype?", "An N x M matrix (M defaults to N) with ones on diagonal k (float32).\nExample: np.eye(3)",
        a -> {
          long n = a.integer("N");
          long m = a.has("M") ? a.integer("M") : n;
          a.invoker().checkAllocation(new long[] {n, m}, 4, "np.eye(" + n + ", " + m + ")");
          return ArrayOps.eye(n, m, a.integer("k", 0), TensorLib.dtype(a, DataType.FLOAT));
        });
    np.put("identity", np.get("eye"));
    for (String[] test : new String[][] {{"all", "min", "every element"}, {"any", "max", "some element"}}) {
      g.def(np, test[0], "a, axis?, keepdims?", "True when " + test[2] + " is non-zero (a bool, or a bool tensor along axis).\n"
          + "Example: np." + test[0] + "(x > 0)", a -> {
            INDArray x = a.tensor("a");
            if (x.length() == 0 && !a.has("axis")) return test[0].equals("all");
            INDArray nonzero = Tensors.binary("!=", x, 0L).castTo(DataType.FLOAT);
            int[] axes = a.has("axis") ? a.ints("axis", 0).length == 0 ? new int[] {a.intValue("axis")} : a.ints("axis", 0) : null;
            INDArray r = Tensors.reduce(test[1], nonzero, axes, a.bool("keepdims", false)).castTo(DataType.BOOL);
            return axes == null && !a.bool("keepdims", false) ? (Object) (r.getDouble(0) != 0) : r;
          });
    }
    g.def(np, "arange", "start, stop?, step?, dtype?", "Evenly spaced values up to (not including) stop: int64 when every "
        + "argument is an int (as NumPy), float32 otherwise.\nExample: np.arange(10)", a -> {
          boolean ints = a.get("start") instanceof Long && (!a.has("stop") || a.get("stop") instanceof Long)
              && (!a.has("step") || a.get("step") instanceof Long);
          double start = a.has("stop") ? a.number("start") : 0;
          double stop = a.has("stop") ? a.number("stop") : a.number("start");
          double step = a.number("step", 1);
          double count = step == 0 ? 0 : Math.ceil((stop - start) / step);
          DataType t = TensorLib.dtype(a, ints ? DataType.LONG : DataType.FLOAT);
          if (count > 0) a.invoker().checkAllocation(new long[] {(long) Math.min(count, Long.MAX_VALUE)}, 8, "np.arange");
          return Tensors.arange(start, stop, step, t);
        });
    g.def(np, "linspace", "start, stop, num?, endpoint?, dtype?", "num evenly spaced values from start to stop (inclusive "
        + "unless endpoint=False; default 50).\nExample: np.linspace(-1, 1, 5)", a -> {
          long n = a.integer("num", 50);
          if (n < 0) throw DlnException.value("np.linspace() number of samples, " + n + ", must be non-negative", null);
          a.invoker().checkAllocation(new long[] {n}, 4, "np.linspace");
          return Tensors.linspace(a.number("start"), a.number("stop"), n, a.bool("endpoint", true),
              TensorLib.dtype(a, DataType.FLOAT));
        });
    for (String[] like : new String[][] {{"zeros_like", "0"}, {"ones_like", "1"}, {"empty_like", "0"}}) {
      g.def(np, like[0], "a, dtype?", "A tensor of " + (like[1].equals("1") ? "ones" : "zeros") + " with a's shape and dtype.\n"
          + "Example: np." + like[0] + "(x)", a -> {
            INDArray x = a.tensor("a");
            return Tensors.full(x.shape(), Double.parseDouble(like[1]), TensorLib.dtype(a, x.dataType()));
          });
    }
    g.def(np, "full_like", "a, fill_value, dtype?", "A tensor of a's shape and dtype filled with fill_value.\n"
        + "Example: np.full_like(x, 0.5)", a -> {
          INDArray x = a.tensor("a");
          return Tensors.full(x.shape(), a.number("fill_value"), TensorLib.dtype(a, x.dataType()));
        });
    g.def(np, "concatenate", "arrays, axis?", "Tensors joined along an existing axis (default 0; axis=None joins them flattened).\n"
        + "Example: np.concatenate([a, b], axis=1)", a -> {
          List<INDArray> xs = new ArrayList<>();
          for (Object v : a.list("arrays")) xs.add(Values.toTensor(v));
          if (xs.isEmpty()) throw DlnException.value("np.concatenate() needs at least one array to concatenate", null);
          if (a.get("axis") == None.NONE) {
            List<INDArray> flat = new ArrayList<>();
            for (INDArray x : xs) flat.add(Tensors.flatten(x));
            return Tensors.concat(flat, 0);
          }
          return Tensors.concat(xs, a.intValue("axis", 0));
        });
    np.put("r_", new IndexTrick("np.r_"));
    np.put("c_", new IndexTrick("np.c_"));
    TypeTable.define(IndexTrick.class, "IndexTrick")
        .method("__getitem__", "key", "np.r_[a, 0:3]: 1-D pieces joined end to end (a slice is a range); np.c_[a, b]: "
            + "1-D pieces as columns side by side.\nExample: np.c_[x, y]", (IndexTrick t, Args a) -> indexTrick(t.name, a.get("key")))
        .repr(t -> t.name);
    np.put("newaxis", None.NONE);
  }

  // ---- linear algebra and positions ----------------------------------------------------------

  private static void linearAlgebra(Globals g, Namespace np) {
    g.def(np, "einsum", "subscripts, *operands", "Sums of products named by axis labels, as NumPy's einsum: explicit "
        + "('ij,jk->ik', 'bij,bjk->bik', 'ij->ji', 'ii->', 'i,i->') or implicit ('ij,jk': the labels used once, sorted), "
        + "with ... for leading axes.\nExample: np.einsum('bij,bjk->bik', a, b)", a -> {
          List<INDArray> xs = new ArrayList<>();
          for (Object v : a.rest()) xs.add(Values.toTensor(v));
          return Einsum.of(a.string("subscripts"), xs);
        });
    g.def(np, "outer", "a, b", "The products a[i] * b[j] of the flattened tensors, as a matrix.\nExample: np.outer(u, v)",
        a -> LinearAlgebra.outer(TensorLib.array(a, "a"), TensorLib.array(a, "b")));
    g.def(np, "trace", "a, offset?", "The sum of diagonal offset (default the main one) of a 2-D tensor.\nExample: np.trace(m)",
        a -> LinearAlgebra.trace(TensorLib.array(a, "a"), a.integer("offset", 0)));
    g.def(np, "diag", "v, k?", "A 1-D tensor placed on diagonal k of a square matrix, or diagonal k of a 2-D tensor.\n"
        + "Example: np.diag([1, 2, 3])", a -> LinearAlgebra.diag(TensorLib.array(a, "v"), a.integer("k", 0)));
    g.def(np, "argwhere", "a", "The int64 positions of the non-zero elements, one row per element: shape (n, a.ndim).\n"
        + "Example: np.argwhere(x > 0)", a -> {
          INDArray x = TensorLib.array(a, "a");
          List<INDArray> axes = ArrayOps.nonzero(x.rank() == 0 ? x.reshape(1) : x);
          return Tensors.stack(axes, 1);
        });
    g.def(np, "count_nonzero", "a, axis?, keepdims?", "How many elements are non-zero: an int, or an int64 tensor along axis.\n"
        + "Example: np.count_nonzero(y == 1)", a -> {
          INDArray nonzero = Tensors.binary("!=", TensorLib.array(a, "a"), 0L).castTo(DataType.LONG);
          int[] axes = TensorLib.axes(a);
          if (axes == null && !a.bool("keepdims", false)) return nonzero.sumNumber().longValue();
          return Tensors.reduce("sum", nonzero, axes, a.bool("keepdims", false));
        });
    for (String name : List.of("round", "around")) {
      g.def(np, name, "a, decimals?", "Each element rounded to the given number of decimals (default 0), halves to even as "
          + "NumPy does; ints stay ints for decimals >= 0.\nExample: np.round(probs, 3)", a -> {
            INDArray x = TensorLib.array(a, "a");
            long decimals = a.integer("decimals", 0);
            DataType type = x.dataType();
            if (!type.isFPType()) {
              if (decimals >= 0) return a.get("a") instanceof INDArray ? x : a.get("a");
              x = x.castTo(DataType.DOUBLE); // np.round(1234, -2): computed in float, kept an int
            }
            double f = Math.pow(10, decimals);
            INDArray r = decimals == 0 ? Tensors.unary("round", x) : Tensors.binary("/", Tensors.unary("round", Tensors.binary("*", x, f)), f);
            if (!type.isFPType()) r = r.castTo(type);
            if (a.get("a") instanceof INDArray) return r;
            return type.isFPType() ? (Object) r.getDouble(0) : (Object) r.getLong(0);
          });
    }
    Namespace linalg = new Namespace("np.linalg");
    np.put("linalg", linalg);
    g.def(linalg, "norm", "x, ord?, axis?, keepdims?", "A vector or matrix norm. ord: None (2-norm of vectors, Frobenius of "
        + "matrices), 1, 2, np.inf, -np.inf or any p for vectors; 1, -1, 2, -2, np.inf, -np.inf, 'fro' or 'nuc' for "
        + "matrices. axis: one (vector norms) or two (matrix norms).\nExample: np.linalg.norm(x, axis=1, keepdims=True)",
        a -> {
          Object ord = a.has("ord") ? a.get("ord") : null;
          if (ord != null && !(ord instanceof String)) ord = a.number("ord");
          return LinearAlgebra.norm(TensorLib.array(a, "x"), ord, TensorLib.axes(a), a.bool("keepdims", false));
        });
    g.def(linalg, "inv", "a", "The inverse of a square matrix (or of each in a stack).\nExample: np.linalg.inv(m)",
        a -> LinearAlgebra.inv(TensorLib.array(a, "a")));
    g.def(linalg, "det", "a", "The determinant of a square matrix (or of each in a stack).\nExample: np.linalg.det(m)",
        a -> LinearAlgebra.det(TensorLib.array(a, "a")));
    g.def(linalg, "solve", "a, b", "x with a @ x == b, for a square matrix a and a vector or matrix b.\n"
        + "Example: x = np.linalg.solve(a, b)", a -> LinearAlgebra.solve(TensorLib.array(a, "a"), TensorLib.array(a, "b")));
    g.def(linalg, "qr", "a, mode?", "The QR decomposition (Q, R) with Q's columns orthonormal and R upper triangular; mode "
        + "'reduced' (default: Q m×k, R k×n, k = min(m, n)), 'complete' (Q m×m) or 'r' (R alone). Signs as LAPACK's.\n"
        + "Example: q, r = np.linalg.qr(a)", a -> unpack(Decompositions.qr(TensorLib.array(a, "a"), a.string("mode", "reduced"))));
    g.def(linalg, "svd", "a, full_matrices?, compute_uv?, hermitian?", "The singular value decomposition (U, S, Vh), "
        + "a == U @ np.diag(S) @ Vh, S descending; full_matrices=True (the default) gives square U and Vh; "
        + "compute_uv=False gives S alone.\nExample: u, s, vh = np.linalg.svd(a, full_matrices=False)",
        a -> unpack(Decompositions.svd(TensorLib.array(a, "a"), a.bool("full_matrices", true), a.bool("compute_uv", true))));
    g.def(linalg, "eigh", "a, UPLO?", "Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, read from "
        + "its lower triangle (UPLO='L') or upper ('U').\nExample: w, v = np.linalg.eigh(cov)",
        a -> unpack(Decompositions.eigh(TensorLib.array(a, "a"), a.string("UPLO", "L"), true)));
    g.def(linalg, "eigvalsh", "a, UPLO?", "The eigenvalues (ascending) of a symmetric matrix.\nExample: np.linalg.eigvalsh(cov)",
        a -> unpack(Decompositions.eigh(TensorLib.array(a, "a"), a.string("UPLO", "L"), false)));
    g.def(linalg, "eig", "a", "Eigenvalues and unit eigenvectors (columns) of a square matrix with real eigenvalues "
        + "(DLN has no complex dtype: complex ones are an error).\nExample: w, v = np.linalg.eig(m)",
        a -> unpack(Decompositions.eig(TensorLib.array(a, "a"), true)));
    g.def(linalg, "eigvals", "a", "The eigenvalues of a square matrix with real eigenvalues.\nExample: np.linalg.eigvals(m)",
        a -> unpack(Decompositions.eig(TensorLib.array(a, "a"), false)));
    g.def(linalg, "cholesky", "a", "The lower-triangular L with L @ L.T == a, for a symmetric positive-definite a.\n"
        + "Example: L = np.linalg.cholesky(cov)", a -> Decompositions.cholesky(TensorLib.array(a, "a")));
    g.def(linalg, "pinv", "a, rcond?", "The Moore–Penrose pseudo-inverse (singular values below rcond × the largest "
        + "count as zero; rcond 1e-15).\nExample: np.linalg.pinv(a)",
        a -> Decompositions.pinv(TensorLib.array(a, "a"), a.number("rcond", 1e-15)));
    g.def(linalg, "matrix_rank", "A, tol?", "The rank: how many singular values exceed tol (default S.max() × max(m, n) × eps).\n"
        + "Example: np.linalg.matrix_rank(a)", a -> scalarOrTensor(Decompositions.matrixRank(TensorLib.array(a, "A"),
            a.has("tol") ? a.number("tol") : null)));
    g.def(linalg, "lstsq", "a, b, rcond?", "The least-squares solution of a @ x == b: (x, residuals, rank, s) as NumPy "
        + "returns them.\nExample: x, res, rank, s = np.linalg.lstsq(a, b, rcond=None)", a -> {
          INDArray[] r = Decompositions.lstsq(TensorLib.array(a, "a"), TensorLib.array(a, "b"), a.has("rcond") ? a.number("rcond") : null);
          return Tuple.of(r[0], r[1], r[2].getLong(0), r[3]);
        });
  }

  /** One result as itself, several as the tuple NumPy returns. */
  private static Object unpack(INDArray[] results) {
    return results.length == 1 ? results[0] : Tuple.of((Object[]) results);
  }

  /** A rank-0 int64 result as an int (NumPy's int64 scalar prints as one), a stack's as a tensor. */
  private static Object scalarOrTensor(INDArray r) {
    return r.rank() == 0 ? (Object) r.getLong(0) : r;
  }

  /** np.r_[...] and np.c_[...]: 1-D pieces (slices become ranges) joined end to end, or as columns. */
  static Object indexTrick(String which, Object key) {
    List<Object> items = key instanceof Tuple t ? t.items() : List.of(key);
    boolean columns = which.equals("np.c_");
    List<INDArray> parts = new ArrayList<>();
    for (Object item : items) {
      INDArray x;
      if (item instanceof Slice s) {
        if (s.stop() == null) throw DlnException.value(which + "[] slices need a stop, as in np.r_[0:5]", null);
        x = Tensors.arange(s.start() == null ? 0 : s.start(), s.stop(), s.step() == null ? 1 : s.step(), DataType.LONG);
      } else {
        // an int is int64, as NumPy's r_ keeps it
        x = item instanceof Long l ? Tensors.fromNested(l, DataType.LONG) : Values.toTensor(item);
      }
      if (x.rank() == 0) x = x.reshape(1);
      if (columns && x.rank() == 1) x = x.reshape(x.length(), 1);
      parts.add(x);
    }
    return Tensors.concat(parts, columns ? -1 : 0);
  }

  /** np.r_ or np.c_: an object indexed with [] rather than called. */
  public static final class IndexTrick {
    final String name;

    IndexTrick(String name) {
      this.name = name;
    }
  }

  private static Object split(Args a, boolean unequal) {
    INDArray x = a.tensor("ary");
    Object how = a.get("indices_or_sections");
    int axis = a.intValue("axis", 0);
    List<INDArray> parts = how instanceof Long n ? ArrayOps.split(x, n, null, axis, unequal)
        : ArrayOps.split(x, null, ints(how, a.function() + "() indices"), axis, unequal);
    return new ArrayList<Object>(parts);
  }

  /** An int, or a list / tuple / 1-D tensor of ints. */
  private static long[] ints(Object v, String what) {
    if (v instanceof Long l) return new long[] {l};
    List<?> items = v instanceof Tuple t ? t.items() : v instanceof List<?> l ? l : null;
    if (v instanceof INDArray t) items = (List<?>) Tensors.toNested(t.reshape(t.length()));
    if (items == null) throw DlnException.type(what + " must be an int or a sequence of ints, got " + Values.typeName(v));
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = items.get(i);
      if (o instanceof Long l) out[i] = l;
      else if (o instanceof Double d && d == Math.rint(d)) out[i] = d.longValue();
      else throw DlnException.type(what + " must be ints, got " + Values.typeName(o));
    }
    return out;
  }

  /** NumPy's pad_width forms: n, (n,), (before, after), ((before, after),) or one pair per axis. */
  private static long[][] padWidths(Object v, int rank) {
    List<long[]> pairs = new ArrayList<>();
    List<?> items = v instanceof Tuple t ? t.items() : v instanceof List<?> l ? l : null;
    if (items != null && !items.isEmpty() && (items.get(0) instanceof Tuple || items.get(0) instanceof List)) {
      for (Object p : items) pairs.add(ints(p, "np.pad() pad_width"));
    } else {
      pairs.add(ints(v, "np.pad() pad_width"));
    }
    long[][] out = new long[rank][];
    if (pairs.size() != 1 && pairs.size() != rank) {
      throw DlnException.value("np.pad() pad_width has " + pairs.size() + " pairs for a tensor of rank " + rank,
          "give one (before, after) pair, or one per axis");
    }
    for (int i = 0; i < rank; i++) {
      long[] p = pairs.get(pairs.size() == 1 ? 0 : i);
      if (p.length != 1 && p.length != 2) throw DlnException.value("np.pad() widths must be n or (before, after)", null);
      out[i] = new long[] {p[0], p.length == 2 ? p[1] : p[0]};
    }
    return out;
  }

  private static Integer axisOrNone(Args a, int dflt) {
    if (a.get("axis") == None.NONE) return null;
    return a.intValue("axis", dflt);
  }

  // ---- np.random -----------------------------------------------------------------------------

  /** A NumPy Generator (np.random.default_rng(seed)): its own stream, independent of np.random.seed. */
  public static final class Generator {
    final SplittableRandom random;

    Generator(SplittableRandom random) {
      this.random = random;
    }
  }

  private static void random(Globals g, Namespace np) {
    Namespace r = (Namespace) np.get("random");
    g.def(r, "rand", "*shape", "Uniform values in [0, 1) of the given shape (float32); no shape: one float.\n"
        + "Example: np.random.rand(3, 2)", a -> draw(a.rest().isEmpty() ? null : TensorLib.shapeOf("np.random.rand", a.rest()),
            s -> RandomArrays.uniform(Rng.current(), s, 0, 1)));
    g.def(r, "randn", "*shape", "Standard normal values of the given shape (float32); no shape: one float.\n"
        + "Example: np.random.randn(3, 4)", a -> draw(a.rest().isEmpty() ? null : TensorLib.shapeOf("np.random.randn", a.rest()),
            s -> RandomArrays.normal(Rng.current(), s, 0, 1)));
    g.def(r, "random", "size?", "Uniform values in [0, 1); size None: one float.\nExample: np.random.random((2, 2))",
        a -> draw(size(a), s -> RandomArrays.uniform(Rng.current(), s, 0, 1)));
    r.put("random_sample", r.get("random"));
    g.def(r, "uniform", "low?, high?, size?", "Uniform values in [low, high) (default [0, 1)).\n"
        + "Example: np.random.uniform(-1, 1, size=(3,))",
        a -> draw(size(a), s -> RandomArrays.uniform(Rng.current(), s, a.number("low", 0), a.number("high", 1))));
    g.def(r, "normal", "loc?, scale?, size?", "Normal values with mean loc (0) and standard deviation scale (1).\n"
        + "Example: np.random.normal(0, 0.1, size=(100,))",
        a -> draw(size(a), s -> RandomArrays.normal(Rng.current(), s, a.number("loc", 0), a.number("scale", 1))));
    g.def(r, "randint", "low, high?, size?, dtype?", "int64 values in [low, high), or [0, low) without high.\n"
        + "Example: np.random.randint(0, 10, size=5)", a -> integers(a, Rng.current(), "low", "high", false));
    g.def(r, "choice", "a, size?, replace?, p?", "Random elements of a (a 1-D tensor or list, or range(a) for an int), with "
        + "probabilities p, with or without replacement.\nExample: idx = np.random.choice(len(x), 32, replace=False)",
        a -> choice(a, Rng.current()));
    g.def(r, "shuffle", "x", "Shuffles a tensor along its first axis, or a list, in place.\nExample: np.random.shuffle(idx)",
        a -> shuffle(a, Rng.current()));
    g.def(r, "permutation", "x", "A shuffled copy of x along its first axis, or a permutation of range(x) (int64).\n"
        + "Example: p = np.random.permutation(len(x)); x, y = x[p], y[p]", a -> permutation(a, Rng.current()));
    g.def(r, "default_rng", "seed?", "A Generator with its own stream (random, normal, uniform, integers, choice, shuffle, "
        + "permutation), seeded for repeatability.\nExample: rng = np.random.default_rng(42); rng.normal(size=3)",
        a -> new Generator(a.has("seed") ? new SplittableRandom(a.integer("seed")) : new SplittableRandom(Rng.nextSeed())));
    TypeTable.define(Generator.class, "Generator")
        .method("random", "size?", "Uniform values in [0, 1).\nExample: rng.random((2, 3))",
            (Generator gen, Args a) -> draw(size(a), s -> RandomArrays.uniform(gen.random, s, 0, 1)))
        .method("uniform", "low?, high?, size?", "Uniform values in [low, high).\nExample: rng.uniform(-1, 1, size=4)",
            (Generator gen, Args a) -> draw(size(a), s -> RandomArrays.uniform(gen.random, s, a.number("low", 0), a.number("high", 1))))
        .method("normal", "loc?, scale?, size?", "Normal values.\nExample: rng.normal(0, 1, size=(2, 2))",
            (Generator gen, Args a) -> draw(size(a), s -> RandomArrays.normal(gen.random, s, a.number("loc", 0), a.number("scale", 1))))
        .method("standard_normal", "size?", "Standard normal values.\nExample: rng.standard_normal(3)",
            (Generator gen, Args a) -> draw(size(a), s -> RandomArrays.normal(gen.random, s, 0, 1)))
        .method("integers", "low, high?, size?, endpoint?", "int64 values in [low, high) ([low, high] with endpoint=True; "
            + "[0, low) without high).\nExample: rng.integers(0, 10, size=3)",
            (Generator gen, Args a) -> integers(a, gen.random, "low", "high", a.bool("endpoint", false)))
        .method("choice", "a, size?, replace?, p?", "Random elements of a.\nExample: rng.choice(5, 3, replace=False)",
            (Generator gen, Args a) -> choice(a, gen.random))
        .method("shuffle", "x", "Shuffles in place along the first axis.\nExample: rng.shuffle(x)",
            (Generator gen, Args a) -> shuffle(a, gen.random))
        .method("permutation", "x", "A shuffled copy, or a permutation of range(x).\nExample: rng.permutation(10)",
            (Generator gen, Args a) -> permutation(a, gen.random));
  }

  /** size= as a shape; null for None (one number). */
  private static long[] size(Args a) {
    if (!a.has("size")) return null;
    return TensorLib.shapeOf(a.function(), List.of(a.get("size")));
  }

  private static Object draw(long[] shape, java.util.function.Function<long[], INDArray> f) {
    if (shape == null) return Tensors.item(f.apply(new long[0]).castTo(DataType.DOUBLE));
    return f.apply(shape);
  }

  private static Object integers(Args a, SplittableRandom r, String low, String high, boolean endpoint) {
    long lo = a.has(high) ? a.integer(low) : 0;
    long hi = (a.has(high) ? a.integer(high) : a.integer(low)) + (endpoint ? 1 : 0);
    long[] shape = size(a);
    INDArray v = RandomArrays.integers(r, shape == null ? new long[0] : shape, lo, hi);
    if (a.has("dtype")) v = Tensors.astype(v, Tensors.dtype(a.nameLike("dtype")));
    return shape == null ? Tensors.item(v) : v;
  }

  private static Object choice(Args a, SplittableRandom r) {
    Object pool = a.get("a");
    INDArray items = pool instanceof Long ? null : Values.toTensor(pool);
    if (items != null && items.rank() != 1) throw DlnException.value(a.function() + "() a must be 1-dimensional", null);
    long n = pool instanceof Long l ? l : items.length();
    double[] p = null;
    if (a.has("p")) {
      INDArray pt = a.tensor("p");
      p = new double[Math.toIntExact(pt.length())];
      for (int i = 0; i < p.length; i++) p[i] = pt.reshape(pt.length()).getDouble(i);
    }
    long[] shape = size(a);
    int count = Math.toIntExact(shape == null ? 1 : dln.runtime.Shapes.size(shape));
    long[] picks = RandomArrays.choice(r, n, count, a.bool("replace", true), p);
    INDArray idx = Tensors.fromNested(longList(picks), DataType.LONG).reshape(shape == null ? new long[] {1} : shape);
    INDArray out = items == null ? idx : Tensors.get(items, List.of(idx));
    return shape == null ? Tensors.item(out.reshape(new long[0])) : out;
  }

  private static List<Object> longList(long[] v) {
    List<Object> out = new ArrayList<>();
    for (long x : v) out.add(x);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object shuffle(Args a, SplittableRandom r) {
    Object x = a.get("x");
    if (x instanceof List<?> l) {
      List<Object> items = (List<Object>) l;
      List<Object> copy = new ArrayList<>(items);
      long[] p = RandomArrays.permutation(r, copy.size());
      for (int i = 0; i < p.length; i++) items.set(i, copy.get((int) p[i]));
    } else if (x instanceof INDArray t) {
      RandomArrays.shuffle(r, t);
    } else {
      throw DlnException.type(a.function() + "() takes a tensor or a list, got " + Values.typeName(x));
    }
    return None.NONE;
  }

  private static Object permutation(Args a, SplittableRandom r) {
    Object x = a.get("x");
    if (x instanceof Long n) {
      if (n < 0) throw DlnException.value(a.function() + "() needs a non-negative int, got " + n, null);
      return Tensors.fromNested(longList(RandomArrays.permutation(r, n)), DataType.LONG);
    }
    return RandomArrays.permuted(r, Values.toTensor(x));
  }

  // ---- np.save / np.load ----------------------------------------------------------------------

  /** The arrays of an .npz file (np.load): data['x'], data.files, with np.load(f) as data: …. */
  public static final class NpzFile {
    final Map<String, INDArray> arrays;
    final String path;

    NpzFile(Map<String, INDArray> arrays, String path) {
      this.arrays = arrays;
      this.path = path;
    }
  }

  private static void files(Globals g, Namespace np) {
    g.def(np, "save", "file, arr", "Writes one tensor as a NumPy .npy file ('.npy' is added to a name without it), readable by "
        + "NumPy's np.load.\nExample: np.save('x.npy', x)", a -> {
          NpyFiles.save(a.invoker().checkWrite(withSuffix(a.string("file"), ".npy")), Values.toTensor(a.get("arr")));
          return None.NONE;
        });
    g.def(np, "savez", "file, *args, **kwds", "Writes several tensors into one .npz file (keyword names, or arr_0, arr_1… "
        + "for positional ones), as NumPy's np.savez.\nExample: np.savez('data.npz', x=x, y=y)", a -> savez(a, false));
    g.def(np, "savez_compressed", "file, *args, **kwds", "As np.savez, with each array deflated.\n"
        + "Example: np.savez_compressed('data.npz', x=x)", a -> savez(a, true));
    g.def(np, "load", "file, allow_pickle?, mmap_mode?", "Reads a NumPy .npy file (a tensor) or .npz file (an NpzFile: data['x'], "
        + "data.files, usable in with).\nExample: with np.load('data.npz') as d: x = d['x']", a -> {
          String name = a.string("file");
          Path p = a.invoker().checkRead(name);
          if (NpyFiles.isNpz(p)) return new NpzFile(NpyFiles.loadNpz(p), name);
          return NpyFiles.load(p);
        });
    TypeTable.define(NpzFile.class, "NpzFile")
        .attr("files", f -> new ArrayList<Object>(f.arrays.keySet()))
        .method("__getitem__", "key", "The array saved under key.\nExample: d['x']", (NpzFile f, Args a) -> {
          String k = a.string("key");
          INDArray x = f.arrays.get(k);
          if (x == null) throw new DlnException("key error", k + " is not a file in the archive " + f.path,
              "it holds: " + String.join(", ", f.arrays.keySet()), null);
          return x;
        })
        .method("keys", "", "The names of the arrays.\nExample: d.keys()", (NpzFile f, Args a) -> new ArrayList<Object>(f.arrays.keySet()))
        .method("items", "", "(name, array) pairs.\nExample: for k, v in d.items(): print(k, v.shape)", (NpzFile f, Args a) -> {
          List<Object> out = new ArrayList<>();
          for (Map.Entry<String, INDArray> e : f.arrays.entrySet()) out.add(Tuple.of(e.getKey(), e.getValue()));
          return out;
        })
        .method("__len__", "", "The number of arrays.\nExample: len(d)", (NpzFile f, Args a) -> (long) f.arrays.size())
        .method("__enter__", "", "The file itself (with np.load(f) as d).\nExample: with np.load('d.npz') as d: ...",
            (NpzFile f, Args a) -> f)
        .method("__exit__", "*args", "Ends a with block (the arrays stay readable).\nExample: with np.load('d.npz') as d: ...",
            (NpzFile f, Args a) -> false)
        .method("close", "", "Nothing to release: the arrays are read when the file is loaded.\nExample: d.close()",
            (NpzFile f, Args a) -> None.NONE)
        .repr(f -> "NpzFile '" + f.path + "' with keys: " + String.join(", ", f.arrays.keySet()));
  }

  private static Object savez(Args a, boolean compressed) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    int i = 0;
    for (Object v : a.rest()) arrays.put("arr_" + i++, Values.toTensor(v));
    for (Map.Entry<String, Object> e : a.restKeywords().entrySet()) {
      if (arrays.containsKey(e.getKey())) throw DlnException.value("Cannot use un-named variables and keyword " + e.getKey(), null);
      arrays.put(e.getKey(), Values.toTensor(e.getValue()));
    }
    NpyFiles.saveNpz(a.invoker().checkWrite(withSuffix(a.string("file"), ".npz")), arrays, compressed);
    return None.NONE;
  }

  private static String withSuffix(String name, String suffix) {
    return name.endsWith(suffix) ? name : name + suffix;
  }

  private static INDArray isclose(Args a) {
    INDArray x = a.tensor("a").castTo(DataType.DOUBLE);
    INDArray y = a.tensor("b").castTo(DataType.DOUBLE);
    INDArray diff = Transforms.abs(Tensors.binary("-", x, y), false);
    INDArray tolerance = Tensors.binary("+", Transforms.abs(y, true).mul(a.number("rtol", 1e-5)), a.number("atol", 1e-8));
    return Tensors.binary("<=", diff, tolerance);
  }

  private static List<INDArray> tensors(Args a) {
    List<INDArray> out = new ArrayList<>();
    for (Object v : a.list("tup")) out.add(Values.toTensor(v));
    if (out.isEmpty()) throw DlnException.value(a.function() + "() needs at least one tensor", null);
    return out;
  }
}

package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's matrix decompositions, {@code np.linalg} qr, svd, eigh, eigvalsh, eig, eigvals,
 * cholesky, pinv, matrix_rank and lstsq, with NumPy's return contracts (tuples in NumPy's order,
 * {@code full_matrices}, QR's modes) over stacks of matrices in the leading axes. Computed in Java
 * in float64 — Householder QR as LAPACK's geqrf/orgqr does it (so Q and R have LAPACK's signs),
 * one-sided Jacobi SVD, cyclic Jacobi for symmetric eigenproblems, Hessenberg + shifted QR for
 * general ones — then given the operand's float dtype (float32 stays float32; ints give float32).
 * These are for the matrices a NumPy-using script builds by hand, not for large-scale algebra.
 */
public final class Decompositions {
  private static final double EPS = Math.ulp(1.0);

  private Decompositions() {}

  /** One m×n matrix of a stack, row-major, in float64. */
  private record Matrix(double[] v, int m, int n) {
    double at(int i, int j) {
      return v[i * n + j];
    }

    static Matrix zeros(int m, int n) {
      return new Matrix(new double[m * n], m, n);
    }

    static Matrix identity(int n) {
      Matrix e = zeros(n, n);
      for (int i = 0; i < n; i++) e.v[i * n + i] = 1;
      return e;
    }

    Matrix transpose() {
      Matrix t = zeros(n, m);
      for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t.v[j * m + i] = v[i * n + j];
      return t;
    }

    Matrix times(Matrix b) {
      Matrix c = zeros(m, b.n);
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < n; k++) {
          double a = v[i * n + k];
          if (a != 0) for (int j = 0; j < b.n; j++) c.v[i * b.n + j] += a * b.v[k * b.n + j];
        }
      }
      return c;
    }

    /** The first {@code rows} rows and {@code cols} columns. */
    Matrix block(int rows, int cols) {
      Matrix c = zeros(rows, cols);
      for (int i = 0; i < rows; i++) System.arraycopy(v, i * n, c.v, i * cols, cols);
      return c;
    }
  }

  /** The matrices of a (..., m, n) tensor, and how to put results for each back into tensors. */
  private static final class Stack {
    final long[] lead;
    final int m;
    final int n;
    final List<Matrix> matrices = new ArrayList<>();
    final DataType type;

    Stack(INDArray a, String fn) {
      if (a.rank() < 2) {
        throw DlnRuntimeException.value(fn + "(): " + a.rank() + "-dimensional array given. Array must be at least two-dimensional");
      }
      lead = Arrays.copyOf(a.shape(), a.rank() - 2);
      m = Math.toIntExact(a.size(-2));
      n = Math.toIntExact(a.size(-1));
      double[] all = ArrayOps.doubles(a);
      for (int s = 0; s < Shapes.size(lead); s++) matrices.add(new Matrix(Arrays.copyOfRange(all, s * m * n, (s + 1) * m * n), m, n));
      type = a.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }

    Stack square(String fn) {
      if (m != n) throw DlnRuntimeException.value(fn + "(): Last 2 dimensions of the array must be square, got shape (" + m + ", " + n + ")");
      return this;
    }

    INDArray matrices(List<Matrix> ms) {
      int rows = ms.get(0).m;
      int cols = ms.get(0).n;
      double[] out = new double[ms.size() * rows * cols];
      for (int s = 0; s < ms.size(); s++) System.arraycopy(ms.get(s).v, 0, out, s * rows * cols, rows * cols);
      return ArrayOps.fromDoubles(out, shape(rows, cols), type);
    }

    INDArray vectors(List<double[]> vs) {
      int len = vs.get(0).length;
      double[] out = new double[vs.size() * len];
      for (int s = 0; s < vs.size(); s++) System.arraycopy(vs.get(s), 0, out, s * len, len);
      return ArrayOps.fromDoubles(out, shape(len), type);
    }

    private long[] shape(long... tail) {
      long[] shape = Arrays.copyOf(lead, lead.length + tail.length);
      System.arraycopy(tail, 0, shape, lead.length, tail.length);
      return shape;
    }
  }

  // ---- QR ---------------------------------------------------------------------------------------

  /**
   * np.linalg.qr: {@code mode} "reduced" (Q m×k, R k×n with k = min(m, n)), "complete" (Q m×m,
   * R m×n) or "r" (R alone, k×n). Returns [Q, R], or [R] for mode "r".
   */
  public static INDArray[] qr(INDArray a, String mode) {
    if (!List.of("reduced", "complete", "r").contains(mode)) {
      throw DlnRuntimeException.value("np.linalg.qr(): Unrecognized mode '" + mode + "'", "use 'reduced', 'complete' or 'r'");
    }
    Stack st = new Stack(a, "np.linalg.qr");
    int k = Math.min(st.m, st.n);
    List<Matrix> qs = new ArrayList<>();
    List<Matrix> rs = new ArrayList<>();
    for (Matrix x : st.matrices) {
      Householder h = Householder.of(x);
      boolean complete = mode.equals("complete");
      rs.add(h.r(complete ? st.m : k));
      qs.add(h.q(complete ? st.m : k));
    }
    return mode.equals("r") ? new INDArray[] {st.matrices(rs)} : new INDArray[] {st.matrices(qs), st.matrices(rs)};
  }

  /** Householder reflectors H_j = I − τ_j v_j v_jᵀ with LAPACK's sign choice (dlarfg), as geqrf stores them. */
  private static final class Householder {
    final Matrix qr;
    final double[] tau;

    private Householder(Matrix qr, double[] tau) {
      this.qr = qr;
      this.tau = tau;
    }

    static Householder of(Matrix x) {
      int m = x.m;
      int n = x.n;
      Matrix a = new Matrix(x.v.clone(), m, n);
      int k = Math.min(m, n);
      double[] tau = new double[k];
      for (int j = 0; j < k; j++) {
        double alpha = a.v[j * n + j];
        double xnorm = 0;
        for (int i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, a.v[i * n + j]);
        if (xnorm == 0) continue; // H = I: tau 0
        double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
        tau[j] = (beta - alpha) / beta;
        double scale = 1 / (alpha - beta);
        for (int i = j + 1; i < m; i++) a.v[i * n + j] *= scale;
        a.v[j * n + j] = beta;
        for (int c = j + 1; c < n; c++) { // A[j:, c] -= tau v (vᵀ A[j:, c]), v = (1, a[j+1:, j])
          double s = a.v[j * n + c];
          for (int i = j + 1; i < m; i++) s += a.v[i * n + j] * a.v[i * n + c];
          s *= tau[j];
          a.v[j * n + c] -= s;
          for (int i = j + 1; i < m; i++) a.v[i * n + c] -= s * a.v[i * n + j];
        }
      }
      return new Householder(a, tau);
    }

    /** The first {@code rows} rows of R (upper triangle). */
    Matrix r(int rows) {
      Matrix r = Matrix.zeros(rows, qr.n);
      for (int i = 0; i < Math.min(rows, qr.m); i++) for (int j = i; j < qr.n; j++) r.v[i * qr.n + j] = qr.at(i, j);
      return r;
    }

    /** The first {@code cols} columns of Q = H_0 H_1 … H_{k−1} (orgqr: applied to I from the last reflector back). */
    Matrix q(int cols) {
      int m = qr.m;
      Matrix q = Matrix.zeros(m, cols);
      for (int i = 0; i < Math.min(m, cols); i++) q.v[i * cols + i] = 1;
      for (int j = tau.length - 1; j >= 0; j--) {
        if (tau[j] == 0) continue;
        for (int c = 0; c < cols; c++) {
          double s = q.v[j * cols + c];
          for (int i = j + 1; i < m; i++) s += qr.at(i, j) * q.v[i * cols + c];
          s *= tau[j];
          q.v[j * cols + c] -= s;
          for (int i = j + 1; i < m; i++) q.v[i * cols + c] -= s * qr.at(i, j);
        }
      }
      return q;
    }
  }

  // ---- SVD --------------------------------------------------------------------------------------

  /** One matrix's singular value decomposition a = U·diag(s)·Vᵀ, s descending; U m×k, V n×k (k = min(m, n)). */
  private record Svd(Matrix u, double[] s, Matrix v) {}

  /**
   * np.linalg.svd: [U, S, Vh] with S descending; {@code fullMatrices} gives U m×m and Vh n×n (else
   * m×k and k×n); with {@code computeUv} false only [S].
   */
  public static INDArray[] svd(INDArray a, boolean fullMatrices, boolean computeUv) {
    Stack st = new Stack(a, "np.linalg.svd");
    List<Matrix> us = new ArrayList<>();
    List<double[]> ss = new ArrayList<>();
    List<Matrix> vhs = new ArrayList<>();
    for (Matrix x : st.matrices) {
      Svd d = svd(x);
      ss.add(d.s);
      us.add(fullMatrices ? complete(d.u) : d.u);
      vhs.add((fullMatrices ? complete(d.v) : d.v).transpose());
    }
    if (!computeUv) return new INDArray[] {st.vectors(ss)};
    return new INDArray[] {st.matrices(us), st.vectors(ss), st.matrices(vhs)};
  }

  /** The min(m, n) singular values, descending, of one row-major m×n matrix (for np.linalg.norm's 2, -2 and 'nuc'). */
  static double[] singularValues(double[] v, int m, int n) {
    return svd(new Matrix(v, m, n)).s;
  }

  /** One-sided Jacobi (Hestenes): rotate column pairs of a copy of the taller orientation until orthogonal. */
  private static Svd svd(Matrix x) {
    if (x.m < x.n) {
      Svd t = svd(x.transpose());
      return new Svd(t.v, t.s, t.u);
    }
    int m = x.m;
    int n = x.n;
    Matrix w = new Matrix(x.v.clone(), m, n);
    Matrix v = Matrix.identity(n);
    for (int sweep = 0; sweep < 80; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = 0;
          double beta = 0;
          double gamma = 0;
          for (int i = 0; i < m; i++) {
            double wp = w.v[i * n + p];
            double wq = w.v[i * n + q];
            alpha += wp * wp;
            beta += wq * wq;
            gamma += wp * wq;
          }
          if (Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta) || gamma == 0) continue;
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.copySign(1, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          rotate(w, p, q, c, s);
          rotate(v, p, q, c, s);
        }
      }
      if (!rotated) break;
    }
    double[] norms = new double[n];
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < m; i++) s = Math.hypot(s, w.v[i * n + j]);
      norms[j] = s;
    }
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) order[j] = j;
    Arrays.sort(order, (i, j) -> Double.compare(norms[j], norms[i]));
    Matrix u = Matrix.zeros(m, n);
    Matrix vs = Matrix.zeros(n, n);
    double[] s = new double[n];
    double tiny = norms.length == 0 ? 0 : norms[order[0]] * EPS * Math.max(m, n);
    for (int k = 0; k < n; k++) {
      int j = order[k];
      s[k] = norms[j];
      for (int i = 0; i < n; i++) vs.v[i * n + k] = v.v[i * n + j];
      // A zero singular value's left vector is any unit vector orthogonal to the others: complete() fills it.
      if (norms[j] > tiny && norms[j] > 0) for (int i = 0; i < m; i++) u.v[i * n + k] = w.v[i * n + j] / norms[j];
    }
    return new Svd(fillNullColumns(u), s, vs);
  }

  private static void rotate(Matrix a, int p, int q, double c, double s) {
    for (int i = 0; i < a.m; i++) {
      double ap = a.v[i * a.n + p];
      double aq = a.v[i * a.n + q];
      a.v[i * a.n + p] = c * ap - s * aq;
      a.v[i * a.n + q] = s * ap + c * aq;
    }
  }

  /** Replaces all-zero columns of a matrix with orthonormal columns orthogonal to the rest. */
  private static Matrix fillNullColumns(Matrix u) {
    List<double[]> basis = new ArrayList<>();
    List<Integer> empty = new ArrayList<>();
    for (int j = 0; j < u.n; j++) {
      double[] col = column(u, j);
      if (norm(col) == 0) empty.add(j);
      else basis.add(col);
    }
    List<double[]> fill = extendBasis(basis, empty.size(), u.m);
    for (int k = 0; k < fill.size(); k++) for (int i = 0; i < u.m; i++) u.v[i * u.n + empty.get(k)] = fill.get(k)[i];
    return u;
  }

  /** The m×k matrix's orthonormal columns extended to an m×m orthogonal matrix. */
  private static Matrix complete(Matrix u) {
    if (u.n == u.m) return u;
    List<double[]> basis = new ArrayList<>();
    for (int j = 0; j < u.n; j++) basis.add(column(u, j));
    basis.addAll(extendBasis(basis, u.m - u.n, u.m));
    Matrix full = Matrix.zeros(u.m, u.m);
    for (int j = 0; j < u.m; j++) for (int i = 0; i < u.m; i++) full.v[i * u.m + j] = basis.get(j)[i];
    return full;
  }

  /**
   * Up to {@code count} unit vectors of length m orthogonal to the orthonormal basis and to each other,
   * by Gram–Schmidt on e_0, e_1, …: the basis itself is left unchanged.
   */
  private static List<double[]> extendBasis(List<double[]> basis, int count, int m) {
    List<double[]> all = new ArrayList<>(basis);
    List<double[]> added = new ArrayList<>();
    for (int cand = 0; cand < m && added.size() < count; cand++) {
      double[] x = new double[m];
      x[cand] = 1;
      if (orthogonalise(x, all)) {
        all.add(x);
        added.add(x);
      }
    }
    return added;
  }

  /** x made orthogonal to the basis (twice, for stability) and normalised; false when nothing of x is left. */
  private static boolean orthogonalise(double[] x, List<double[]> basis) {
    for (int pass = 0; pass < 2; pass++) {
      for (double[] b : basis) {
        double d = 0;
        for (int i = 0; i < x.length; i++) d += x[i] * b[i];
        for (int i = 0; i < x.length; i++) x[i] -= d * b[i];
      }
    }
    double nx = norm(x);
    if (nx < 1e-8) return false;
    for (int i = 0; i < x.length; i++) x[i] /= nx;
    return true;
  }

  private static double[] column(Matrix a, int j) {
    double[] c = new double[a.m];
    for (int i = 0; i < a.m; i++) c[i] = a.at(i, j);
    return c;
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double d : x) s = Math.hypot(s, d);
    return s;
  }

  // ---- symmetric eigenproblems --------------------------------------------------------------------

  /**
   * np.linalg.eigh: [eigenvalues ascending, eigenvectors as columns] of each symmetric matrix,
   * reading its lower ({@code uplo} "L") or upper ("U") triangle as NumPy does.
   */
  public static INDArray[] eigh(INDArray a, String uplo, boolean vectors) {
    if (!uplo.equals("L") && !uplo.equals("U")) throw DlnRuntimeException.value("np.linalg.eigh(): UPLO argument must be 'L' or 'U'");
    Stack st = new Stack(a, vectors ? "np.linalg.eigh" : "np.linalg.eigvalsh").square(vectors ? "np.linalg.eigh" : "np.linalg.eigvalsh");
    List<double[]> ws = new ArrayList<>();
    List<Matrix> vs = new ArrayList<>();
    for (Matrix x : st.matrices) {
      Matrix sym = Matrix.zeros(x.n, x.n);
      for (int i = 0; i < x.n; i++) {
        for (int j = 0; j <= i; j++) {
          double t = uplo.equals("L") ? x.at(i, j) : x.at(j, i);
          sym.v[i * x.n + j] = t;
          sym.v[j * x.n + i] = t;
        }
      }
      Matrix v = Matrix.identity(x.n);
      double[] w = jacobi(sym, v);
      Integer[] order = new Integer[x.n];
      for (int i = 0; i < x.n; i++) order[i] = i;
      Arrays.sort(order, (i, j) -> Double.compare(w[i], w[j]));
      double[] sorted = new double[x.n];
      Matrix sv = Matrix.zeros(x.n, x.n);
      for (int k = 0; k < x.n; k++) {
        sorted[k] = w[order[k]];
        for (int i = 0; i < x.n; i++) sv.v[i * x.n + k] = v.at(i, order[k]);
      }
      ws.add(sorted);
      vs.add(sv);
    }
    return vectors ? new INDArray[] {st.vectors(ws), st.matrices(vs)} : new INDArray[] {st.vectors(ws)};
  }

  /** Cyclic Jacobi rotations: diagonalises the symmetric a in place, accumulating the rotations into v. */
  private static double[] jacobi(Matrix a, Matrix v) {
    int k = a.n;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double all = 0;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          all += a.at(i, j) * a.at(i, j);
          if (i != j) off += a.at(i, j) * a.at(i, j);
        }
      }
      if (off <= EPS * EPS * all) break;
      for (int p = 0; p < k; p++) {
        for (int q = p + 1; q < k; q++) {
          double apq = a.at(p, q);
          if (apq == 0) continue;
          double theta = (a.at(q, q) - a.at(p, p)) / (2 * apq);
          double t = Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          rotate(a, p, q, c, s); // columns: A J
          for (int r = 0; r < k; r++) { // rows: Jᵀ (A J)
            double apr = a.v[p * k + r];
            double aqr = a.v[q * k + r];
            a.v[p * k + r] = c * apr - s * aqr;
            a.v[q * k + r] = s * apr + c * aqr;
          }
          rotate(v, p, q, c, s);
        }
      }
    }
    double[] w = new double[k];
    for (int i = 0; i < k; i++) w[i] = a.at(i, i);
    return w;
  }

  // ---- general eigenproblems ----------------------------------------------------------------------

  /**
   * np.linalg.eig / eigvals of real matrices with real eigenvalues: [w] or [w, v] with unit-norm
   * eigenvectors as columns. A matrix with complex eigenvalues is refused: DLN has no complex dtype.
   * The eigenvalues come in the order the QR iteration finds them, which may differ from NumPy's.
   */
  public static INDArray[] eig(INDArray a, boolean vectors) {
    String fn = vectors ? "np.linalg.eig" : "np.linalg.eigvals";
    Stack st = new Stack(a, fn).square(fn);
    List<double[]> ws = new ArrayList<>();
    List<Matrix> vs = new ArrayList<>();
    for (Matrix x : st.matrices) {
      double[] w = eigenvalues(x, fn);
      ws.add(w);
      if (vectors) vs.add(eigenvectors(x, w));
    }
    return vectors ? new INDArray[] {st.vectors(ws), st.matrices(vs)} : new INDArray[] {st.vectors(ws)};
  }

  /** Hessenberg reduction, then single-shift QR steps (Wilkinson shift) with deflation from the bottom. */
  private static double[] eigenvalues(Matrix x, String fn) {
    int n = x.n;
    Matrix h = hessenberg(x);
    double[] w = new double[n];
    double scale = 0;
    for (double d : x.v) scale = Math.max(scale, Math.abs(d));
    int hi = n - 1;
    int iterations = 0;
    while (hi >= 0) {
      if (hi == 0) {
        w[0] = h.at(0, 0);
        break;
      }
      if (Math.abs(h.at(hi, hi - 1)) <= EPS * (Math.abs(h.at(hi, hi)) + Math.abs(h.at(hi - 1, hi - 1)) + EPS * scale)) {
        w[hi] = h.at(hi, hi);
        hi--;
        iterations = 0;
        continue;
      }
      double a = h.at(hi - 1, hi - 1);
      double b = h.at(hi - 1, hi);
      double c = h.at(hi, hi - 1);
      double d = h.at(hi, hi);
      double half = (a - d) / 2;
      double disc = half * half + b * c;
      boolean block = hi == 1 || Math.abs(h.at(hi - 1, hi - 2)) <= EPS * (Math.abs(a) + Math.abs(h.at(hi - 2, hi - 2)) + EPS * scale);
      if (block || iterations > 60) {
        if (disc < -EPS * EPS * scale * scale || iterations > 500) {
          if (disc < 0) {
            throw DlnRuntimeException.value(fn + "(): the matrix has complex eigenvalues, and DLN has no complex dtype",
                "a symmetric matrix has real ones: np.linalg.eigh");
          }
          throw DlnRuntimeException.value(fn + "(): Eigenvalues did not converge");
        }
        if (block) {
          double root = Math.sqrt(Math.max(0, disc));
          w[hi - 1] = (a + d) / 2 + root;
          w[hi] = (a + d) / 2 - root;
          hi -= 2;
          iterations = 0;
          continue;
        }
      }
      double mu = disc >= 0 ? closer(a, d, disc) : d;
      if (iterations % 11 == 10) mu += Math.abs(c); // an exceptional shift breaks a cycle
      qrStep(h, hi, mu);
      iterations++;
    }
    return w;
  }

  /** The eigenvalue of the trailing 2×2 block closer to its bottom-right entry d. */
  private static double closer(double a, double d, double disc) {
    double root = Math.sqrt(disc);
    double l1 = (a + d) / 2 + root;
    double l2 = (a + d) / 2 - root;
    return Math.abs(l1 - d) < Math.abs(l2 - d) ? l1 : l2;
  }

  private static Matrix hessenberg(Matrix x) {
    int n = x.n;
    Matrix h = new Matrix(x.v.clone(), n, n);
    for (int j = 0; j < n - 2; j++) {
      double[] u = new double[n];
      double alpha = 0;
      for (int i = j + 1; i < n; i++) alpha = Math.hypot(alpha, h.at(i, j));
      if (alpha == 0) continue;
      alpha = -Math.copySign(alpha, h.at(j + 1, j));
      for (int i = j + 1; i < n; i++) u[i] = h.at(i, j);
      u[j + 1] -= alpha;
      double un = norm(u);
      if (un == 0) continue;
      for (int i = 0; i < n; i++) u[i] /= un;
      // H ← (I − 2uuᵀ) H (I − 2uuᵀ)
      for (int c = 0; c < n; c++) {
        double s = 0;
        for (int i = j + 1; i < n; i++) s += u[i] * h.at(i, c);
        for (int i = j + 1; i < n; i++) h.v[i * n + c] -= 2 * u[i] * s;
      }
      for (int r = 0; r < n; r++) {
        double s = 0;
        for (int i = j + 1; i < n; i++) s += h.at(r, i) * u[i];
        for (int i = j + 1; i < n; i++) h.v[r * n + i] -= 2 * s * u[i];
      }
    }
    return h;
  }

  /** One QR step on the leading (hi+1)×(hi+1) Hessenberg block: H − μI = QR, H ← RQ + μI, by Givens rotations. */
  private static void qrStep(Matrix h, int hi, double mu) {
    int n = h.n;
    for (int i = 0; i <= hi; i++) h.v[i * n + i] -= mu;
    double[] cs = new double[hi];
    double[] sn = new double[hi];
    for (int k = 0; k < hi; k++) {
      double a = h.at(k, k);
      double b = h.at(k + 1, k);
      double r = Math.hypot(a, b);
      double c = r == 0 ? 1 : a / r;
      double s = r == 0 ? 0 : b / r;
      cs[k] = c;
      sn[k] = s;
      for (int j = k; j <= hi; j++) {
        double x = h.at(k, j);
        double y = h.at(k + 1, j);
        h.v[k * n + j] = c * x + s * y;
        h.v[(k + 1) * n + j] = -s * x + c * y;
      }
    }
    for (int k = 0; k < hi; k++) {
      for (int i = 0; i <= Math.min(k + 1, hi); i++) {
        double x = h.at(i, k);
        double y = h.at(i, k + 1);
        h.v[i * n + k] = cs[k] * x + sn[k] * y;
        h.v[i * n + k + 1] = -sn[k] * x + cs[k] * y;
      }
    }
    for (int i = 0; i <= hi; i++) h.v[i * n + i] += mu;
  }

  /**
   * Unit eigenvectors by inverse iteration on (A − λI) nudged off singularity; a repeated eigenvalue
   * takes the next vector orthogonal to the ones found for it.
   */
  private static Matrix eigenvectors(Matrix x, double[] w) {
    int n = x.n;
    Matrix out = Matrix.zeros(n, n);
    double scale = 0;
    for (double d : x.v) scale = Math.max(scale, Math.abs(d));
    List<double[]> same = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      same.clear();
      for (int j = 0; j < k; j++) if (Math.abs(w[j] - w[k]) <= 1e-8 * Math.max(1, scale)) same.add(column(out, j));
      double[] shifted = x.v.clone();
      double nudge = Math.max(scale, 1) * 1e-10;
      for (int i = 0; i < n; i++) shifted[i * n + i] -= w[k] + nudge;
      LinearAlgebra.Lu lu = LinearAlgebra.Lu.of(shifted, 0, n, false);
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = 1.0 / Math.sqrt(n) + 1e-3 * (i + 1) * (k + 1);
      for (int it = 0; it < 4; it++) {
        orthogonalise(v, same);
        v = lu.solve(v);
        double nv = norm(v);
        if (nv == 0 || !Double.isFinite(nv)) break;
        for (int i = 0; i < n; i++) v[i] /= nv;
      }
      orthogonalise(v, same);
      for (int i = 0; i < n; i++) out.v[i * n + k] = v[i];
    }
    return out;
  }

  // ---- cholesky, pinv, matrix_rank, lstsq ---------------------------------------------------------

  /** np.linalg.cholesky: the lower-triangular L with L·Lᵀ = a, for symmetric positive-definite a. */
  public static INDArray cholesky(INDArray a) {
    Stack st = new Stack(a, "np.linalg.cholesky").square("np.linalg.cholesky");
    List<Matrix> ls = new ArrayList<>();
    for (Matrix x : st.matrices) {
      int n = x.n;
      Matrix l = Matrix.zeros(n, n);
      for (int j = 0; j < n; j++) {
        double d = x.at(j, j);
        for (int k = 0; k < j; k++) d -= l.at(j, k) * l.at(j, k);
        if (!(d > 0)) throw DlnRuntimeException.value("np.linalg.cholesky(): Matrix is not positive definite");
        l.v[j * n + j] = Math.sqrt(d);
        for (int i = j + 1; i < n; i++) {
          double s = x.at(i, j);
          for (int k = 0; k < j; k++) s -= l.at(i, k) * l.at(j, k);
          l.v[i * n + j] = s / l.at(j, j);
        }
      }
      ls.add(l);
    }
    return st.matrices(ls);
  }

  /** np.linalg.pinv: V·diag(1/s)·Uᵀ, singular values at most {@code rcond}·max(s) treated as zero. */
  public static INDArray pinv(INDArray a, double rcond) {
    Stack st = new Stack(a, "np.linalg.pinv");
    List<Matrix> ps = new ArrayList<>();
    for (Matrix x : st.matrices) ps.add(pinv(x, rcond));
    return st.matrices(ps);
  }

  private static Matrix pinv(Matrix x, double rcond) {
    Svd d = svd(x);
    int k = d.s.length;
    double cut = rcond * (k == 0 ? 0 : d.s[0]);
    Matrix vs = Matrix.zeros(x.n, k);
    for (int i = 0; i < x.n; i++) for (int j = 0; j < k; j++) vs.v[i * k + j] = d.s[j] > cut ? d.v.at(i, j) / d.s[j] : 0;
    return vs.times(d.u.transpose());
  }

  /**
   * np.linalg.matrix_rank: how many singular values exceed {@code tol}; null tol means NumPy's
   * S.max() · max(m, n) · eps of the operand's float type. A 1-D operand's rank is 1 unless all zero.
   */
  public static INDArray matrixRank(INDArray a, Double tol) {
    if (a.rank() < 2) {
      long nonzero = Arrays.stream(ArrayOps.doubles(a)).filter(d -> d != 0).count();
      return ArrayOps.fromDoubles(new double[] {nonzero > 0 ? 1 : 0}, new long[0], DataType.LONG);
    }
    Stack st = new Stack(a, "np.linalg.matrix_rank");
    double eps = st.type == DataType.DOUBLE ? EPS : Math.ulp(1.0f);
    double[] ranks = new double[st.matrices.size()];
    for (int s = 0; s < ranks.length; s++) {
      double[] sv = svd(st.matrices.get(s)).s;
      double cut = tol != null ? tol : (sv.length == 0 ? 0 : sv[0]) * Math.max(st.m, st.n) * eps;
      for (double v : sv) if (v > cut) ranks[s]++;
    }
    return ArrayOps.fromDoubles(ranks, st.lead, DataType.LONG);
  }

  /**
   * np.linalg.lstsq for one matrix a (m×n) and b (m) or (m×k): [x, residuals, rank, s] as NumPy
   * returns them; residuals are the squared residual sums per column when rank is n and m > n,
   * else an empty array. {@code rcond} null means NumPy's default eps · max(m, n).
   */
  public static INDArray[] lstsq(INDArray a, INDArray b, Double rcond) {
    if (a.rank() != 2) throw DlnRuntimeException.value("np.linalg.lstsq(): a must be 2-dimensional, got rank " + a.rank());
    Stack st = new Stack(a, "np.linalg.lstsq");
    boolean vector = b.rank() == 1;
    if (!(vector || b.rank() == 2) || b.size(0) != st.m) {
      throw DlnRuntimeException.shape("np.linalg.lstsq(): a of shape " + Shapes.str(a.shape()) + " and b of shape "
          + Shapes.str(b.shape()) + " do not fit", "b is (" + st.m + ",) or (" + st.m + ", k)");
    }
    int k = vector ? 1 : (int) b.size(1);
    Matrix x = st.matrices.get(0);
    Matrix bm = new Matrix(ArrayOps.doubles(b), st.m, k);
    double eps = st.type == DataType.DOUBLE ? EPS : Math.ulp(1.0f);
    Svd d = svd(x);
    double cut = (rcond != null ? rcond : eps * Math.max(st.m, st.n)) * (d.s.length == 0 ? 0 : d.s[0]);
    int rank = 0;
    for (double v : d.s) if (v > cut) rank++;
    Matrix sol = pinv(x, rcond != null ? rcond : eps * Math.max(st.m, st.n)).times(bm);
    DataType type = DTypes.wider(st.type, b.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT);
    double[] residuals = new double[0];
    if (rank == st.n && st.m > st.n) {
      Matrix r = x.times(sol);
      residuals = new double[k];
      for (int i = 0; i < st.m; i++) for (int j = 0; j < k; j++) residuals[j] += Math.pow(bm.at(i, j) - r.at(i, j), 2);
    }
    return new INDArray[] {
        ArrayOps.fromDoubles(sol.v, vector ? new long[] {st.n} : new long[] {st.n, k}, type),
        ArrayOps.fromDoubles(residuals, new long[] {residuals.length}, type),
        ArrayOps.fromDoubles(new double[] {rank}, new long[0], DataType.LONG),
        ArrayOps.fromDoubles(d.s, new long[] {d.s.length}, st.type)};
  }
}

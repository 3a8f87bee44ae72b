package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.impl.transforms.custom.NotEqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Pow;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.FloorDivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.FloorModOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SELU;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise math: binary operators with numpy broadcasting and dtype promotion, unary functions
 * and the activation functions. The dtypes are derived and the shapes are checked here (so users
 * get "cannot broadcast shapes (2, 3) and (4,)" rather than an ND4J message). Small tensors are
 * then computed in Java by {@link HostElementwise}, because dispatching a libnd4j op costs tens of
 * microseconds whatever the size; everything else runs in libnd4j's broadcasting ops, which write
 * straight into an output of the broadcast shape. Both paths give the same results.
 */
final class Elementwise {
  /** Keras 3's default slope for {@code leaky_relu}. */
  static final double LEAKY_RELU_SLOPE = 0.2;

  private Elementwise() {}

  static INDArray binary(String op, Object a, Object b) {
    return binary(op, a, b, true);
  }

  /**
   * {@code a op b}; with {@code allowHost} false always on libnd4j, whatever the size (the tests
   * compare the host path against it).
   */
  static INDArray binary(String op, Object a, Object b, boolean allowHost) {
    checkOperand(a);
    checkOperand(b);
    // Two numbers (np.maximum(1, 2), np.dot(2, 3)) give a rank-0 tensor, as numpy gives a scalar.
    if (!(a instanceof INDArray) && !(b instanceof INDArray)) a = scalarTensor(a, DTypes.ofNumber(a));
    if (op.equals("@")) return MatMul.matmul(scalarTensor(a, DTypes.promote(a, b)), scalarTensor(b, DTypes.promote(a, b)));
    Types types = types(op, a, b);
    DataType compute = types.compute();
    DataType result = types.result();
    if (allowHost) {
      INDArray host = HostElementwise.binary(op, a, b, compute, result);
      if (host != null) return host;
    }
    INDArray x = scalarTensor(a, compute);
    INDArray y = scalarTensor(b, compute);
    if (result == DataType.BOOL && compute != DataType.BOOL && !comparison(op)) {
      // bool + bool or bool * bool: the int64 sum or product, then whether it is non-zero
      return binary("!=", binary(op, x, y, false), 0L, false);
    }
    long[] shape = Shapes.broadcast(x.shape(), y.shape());
    if ((op.equals("//") || op.equals("%")) && DTypes.isInt(compute) && y.length() > 0
        && y.eq(0).castTo(DataType.INT).sumNumber().longValue() > 0) {
      // Integer division by zero would kill the process in native code; numpy only warns.
      throw DlnRuntimeException.value("integer division by zero in " + op,
          "convert to floats first, e.g. x.astype('float32'), to get inf");
    }
    if (Shapes.size(shape) == 0) return Nd4j.create(result, shape);
    if ((op.equals("//") || op.equals("%")) && DTypes.isInt(compute)) return integerDivision(op, x, y);
    // libnd4j's comparison ops (and Pow) mis-size a (1, 1) against a (6,) operand: give both the full rank.
    INDArray[] in = {atRank(x, shape.length), atRank(y, shape.length)};
    if (op.equals("**")) {
      INDArray p = Nd4j.exec(new Pow(in[0], in[1]))[0];
      return p.dataType() == result ? p : p.castTo(result);
    }
    // The op writes every element: no need to zero the buffer first (≈ 20 µs for 1 MB).
    INDArray out = Nd4j.createUninitialized(result, shape);
    // A statement like c = a + b at the prompt or from an embedder makes a new native buffer each
    // time, and nothing but a garbage collection frees the previous one: without this the process
    // kept taking fresh pages from the system (2.9 ms per 512×512 add in the bench).
    NativeMemory.poll();
    Nd4j.exec(op(op, in, new INDArray[] {out}));
    return out;
  }

  /**
   * {@code a op b} written into {@code out}, an existing tensor of the result's dtype and shape,
   * dense and not a view, which may be {@code a} or {@code b} itself when their shapes are equal;
   * false (nothing written) for anything else: the arithmetic operators and maximum / minimum on
   * outputs larger than {@link HostElementwise#MAX_ELEMENTS}. What {@code out} held is lost: the
   * caller knows nothing else holds it.
   */
  static boolean binaryInto(String op, Object a, Object b, INDArray out) {
    switch (op) {
      case "+", "-", "*", "/", "maximum", "minimum" -> { }
      default -> {
        return false;
      }
    }
    if (!(a instanceof INDArray) && !(b instanceof INDArray)) return false;
    checkOperand(a);
    checkOperand(b);
    if (out.isView() || out.ordering() != 'c' || out.length() <= HostElementwise.MAX_ELEMENTS) return false;
    Types types = types(op, a, b);
    if (types.compute() != types.result() || types.result() != out.dataType()) return false;
    INDArray x = scalarTensor(a, types.compute());
    INDArray y = scalarTensor(b, types.compute());
    if (!java.util.Arrays.equals(Shapes.broadcast(x.shape(), y.shape()), out.shape())) return false;
    // In place only element by element: an operand read while it is overwritten must not be broadcast.
    if ((x == out || y == out) && !java.util.Arrays.equals(x.shape(), y.shape())) return false;
    int rank = out.rank();
    Nd4j.exec(op(op, new INDArray[] {atRank(x, rank), atRank(y, rank)}, new INDArray[] {out}));
    return true;
  }

  /** The libnd4j op for a binary operator. */
  private static DynamicCustomOp op(String op, INDArray[] in, INDArray[] outs) {
    return switch (op) {
      case "+" -> new AddOp(in, outs);
      case "-" -> new SubOp(in, outs);
      case "*" -> new MulOp(in, outs);
      case "/" -> new DivOp(in, outs);
      case "//" -> new FloorDivOp(in, outs);
      case "%" -> new FloorModOp(in, outs);
      case "maximum" -> new Max(in, outs);
      case "minimum" -> new Min(in, outs);
      case "<" -> new LessThan(in, outs);
      case "<=" -> new LessThanOrEqual(in, outs);
      case ">" -> new GreaterThan(in, outs);
      case ">=" -> new GreaterThanOrEqual(in, outs);
      case "==" -> new EqualTo(in, outs);
      case "!=" -> new NotEqualTo(in, outs);
      default -> throw new IllegalArgumentException("unknown tensor operator " + op);
    };
  }

  /** The dtype {@code a op b} is computed in and the dtype of its result. */
  record Types(DataType compute, DataType result) {}

  /** numpy's promotion of the operands, then the operator's own rules (comparisons give bools, / floats). */
  static Types types(String op, Object a, Object b) {
    DataType common = DTypes.promote(a, b);
    if (comparison(op)) {
      // libnd4j compares numbers, so bools are compared as ints.
      return new Types(common == DataType.BOOL ? DataType.INT : common, DataType.BOOL);
    }
    DataType compute = common == DataType.BOOL ? DataType.LONG : common;
    if (op.equals("/") && !DTypes.isFloat(compute)) compute = DataType.FLOAT;
    // numpy: bool + bool is logical or and bool * bool logical and, both still bool
    DataType result = common == DataType.BOOL && (op.equals("+") || op.equals("*")) ? DataType.BOOL : compute;
    // Integer powers go through float64 (exact for the values ints hold in practice).
    if (op.equals("**") && DTypes.isInt(compute)) compute = DataType.DOUBLE;
    return new Types(compute, result);
  }

  private static boolean comparison(String op) {
    return switch (op) {
      case "<", "<=", ">", ">=", "==", "!=" -> true;
      default -> false;
    };
  }

  /**
   * Integer {@code //} and {@code %} with numpy's results on libnd4j (y holds no zero). libnd4j's
   * integer FloorDiv truncates towards zero (-7 // 2 gives -3, numpy -4) and its integer FloorMod
   * goes through float32 (2147483647 % 3 gives 2, and -7 % 2147483647 gives 0). So this takes the
   * truncated quotient q, which is exact, and the remainder r = x - q*y (exact, with the sign of x);
   * where r is non-zero and its sign differs from y's, numpy's results are q - 1 and r + y. Both
   * kernels also kill the process with SIGFPE on {@code MIN_VALUE // -1}: divisors of -1 are
   * replaced by 1 and those quotients negated (wrapping, as numpy does); {@code x % -1} is 0 like
   * {@code x % 1}.
   */
  private static INDArray integerDivision(String op, INDArray x, INDArray y) {
    DataType t = x.dataType();
    INDArray sign = null;
    INDArray minusOne = y.eq(-1);
    if (minusOne.any()) {
      INDArray twice = binary("*", minusOne.castTo(t), 2L, false); // 2 where y is -1, else 0
      y = binary("+", y, twice, false);
      sign = binary("-", 1L, twice, false);
    }
    long[] shape = Shapes.broadcast(x.shape(), y.shape());
    INDArray q = Nd4j.create(t, shape);
    Nd4j.exec(new FloorDivOp(new INDArray[] {atRank(x, shape.length), atRank(y, shape.length)}, new INDArray[] {q}));
    INDArray r = binary("-", x, binary("*", q, y, false), false);
    INDArray opposite = binary("!=", binary("<", r, 0L, false), binary("<", y, 0L, false), false);
    INDArray adjust = binary("*", binary("!=", r, 0L, false), opposite, false).castTo(t);
    if (op.equals("%")) return binary("+", r, binary("*", adjust, y, false), false);
    q = binary("-", q, adjust, false);
    return sign == null ? q : binary("*", q, sign, false);
  }

  /** x with leading axes of size 1 up to {@code rank} (a view); rank-0 operands stay scalars. */
  private static INDArray atRank(INDArray x, int rank) {
    if (x.rank() == 0 || x.rank() == rank) return x;
    long[] shape = new long[rank];
    java.util.Arrays.fill(shape, 1L);
    System.arraycopy(x.shape(), 0, shape, rank - x.rank(), x.rank());
    return x.reshape(shape);
  }

  private static void checkOperand(Object v) {
    if (!(v instanceof INDArray || v instanceof Long || v instanceof Integer || v instanceof Double
        || v instanceof Float || v instanceof Boolean)) {
      throw new IllegalArgumentException("tensor operand must be a tensor or a number, got " + v);
    }
  }

  /** The operand as a tensor of the compute type; Python numbers become rank-0 tensors. */
  static INDArray scalarTensor(Object v, DataType t) {
    if (v instanceof INDArray x) return DTypes.as(x, t);
    if (v instanceof Boolean bo) return Nd4j.scalar(t, bo ? 1 : 0);
    Number n = (Number) v;
    if (DTypes.isInt(t) || t == DataType.BOOL) return Nd4j.scalar(t, n.longValue());
    return Nd4j.scalar(t, n.doubleValue());
  }

  static INDArray unary(String fn, INDArray x) {
    return unary(fn, x, true);
  }

  /** {@code fn(x)}; with {@code allowHost} false always on libnd4j (for the tests). */
  static INDArray unary(String fn, INDArray x, boolean allowHost) {
    if (allowHost) {
      INDArray host = HostElementwise.unary(fn, x);
      if (host != null) return host;
    }
    NativeMemory.poll(); // as in binary: each result is a new native buffer
    DataType t = DTypes.normal(x.dataType());
    // Sign-preserving functions keep integer types; the rest compute in floating point.
    switch (fn) {
      case "neg":
        return DTypes.as(x, t == DataType.BOOL ? DataType.LONG : t).neg();
      case "abs":
        return Transforms.abs(DTypes.as(x, t == DataType.BOOL ? DataType.LONG : t), true);
      case "square": {
        INDArray v = DTypes.as(x, t == DataType.BOOL ? DataType.LONG : t);
        return v.mul(v);
      }
      case "sign":
        return Transforms.sign(DTypes.as(x, t == DataType.BOOL ? DataType.LONG : t), true);
      case "floor":
      case "ceil":
      case "round":
        if (!DTypes.isFloat(t)) return DTypes.as(x, t == DataType.BOOL ? DataType.LONG : t).dup();
        break;
      default:
        break;
    }
    INDArray f = DTypes.asFloat(x);
    return switch (fn) {
      case "floor" -> Transforms.floor(f, true);
      case "ceil" -> Transforms.ceil(f, true);
      // numpy rounds half to even; Rint does the same.
      case "round" -> Nd4j.exec(new Rint(f, f.ulike()));
      case "exp" -> Transforms.exp(f, true);
      case "log" -> Transforms.log(f, true);
      case "sqrt" -> Transforms.sqrt(f, true);
      case "sin" -> Transforms.sin(f, true);
      case "cos" -> Transforms.cos(f, true);
      case "tanh" -> Transforms.tanh(f, true);
      case "linear" -> f == x ? x.dup() : f;
      case "sigmoid" -> Transforms.sigmoid(f, true);
      case "relu" -> Transforms.relu(f, true);
      case "elu" -> Transforms.elu(f, true);
      case "leaky_relu" -> Transforms.leakyRelu(f, LEAKY_RELU_SLOPE, true);
      case "softplus" -> Transforms.softPlus(f, true);
      case "selu" -> Nd4j.exec(new SELU(f, f.ulike()));
      case "gelu" -> gelu(f);
      case "swish" -> f.mul(Transforms.sigmoid(f, true));
      case "softmax" -> softmax(f);
      default -> throw DlnRuntimeException.value("unknown tensor function '" + fn + "'");
    };
  }

  /** Exact GELU, x * Phi(x), as Keras computes it by default (approximate=False). */
  private static INDArray gelu(INDArray x) {
    INDArray erf = Nd4j.exec(new Erf(x.div(Math.sqrt(2.0)), x.ulike()));
    return x.mul(erf.addi(1.0)).muli(0.5);
  }

  /** Softmax over the last axis, shifted by the maximum so large inputs do not overflow. */
  private static INDArray softmax(INDArray x) {
    return softmax(x, -1);
  }

  /** Softmax along {@code axis} (negative counts from the end). */
  static INDArray softmax(INDArray x, int axis) {
    INDArray f = DTypes.asFloat(x);
    if (f.rank() == 0) return Nd4j.scalar(f.dataType(), 1.0);
    int a = Shapes.axis(axis, f.rank());
    if (f.length() == 0) return f.dup();
    INDArray shifted = binary("-", f, f.max(true, a));
    INDArray e = Transforms.exp(shifted, false);
    return binary("/", e, e.sum(true, a));
  }

  static INDArray leakyRelu(INDArray x, double slope) {
    return Transforms.leakyRelu(DTypes.asFloat(x), slope, true);
  }

  /** Limits values to [lo, hi]; a null bound is not applied. */
  static INDArray clip(INDArray x, Double lo, Double hi) {
    if (lo != null && hi != null && lo > hi) {
      throw DlnRuntimeException.value("clip: lower bound " + lo + " is greater than upper bound " + hi);
    }
    INDArray r = x.dataType() == DataType.BOOL ? x.castTo(DataType.LONG) : x;
    boolean fractional = (lo != null && lo != Math.rint(lo)) || (hi != null && hi != Math.rint(hi));
    if (fractional) r = DTypes.asFloat(r);
    r = r.dup();
    if (lo != null) r = Transforms.max(r, lo, false);
    if (hi != null) r = Transforms.min(r, hi, false);
    return r;
  }
}

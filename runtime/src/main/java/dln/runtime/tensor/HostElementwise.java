package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element-wise operators and simple functions on small tensors, computed in Java.
 *
 * <p>Why: dispatching one libnd4j op costs tens of microseconds (op context, shape descriptors,
 * native allocations) whatever the size, so {@code a + b} on a 2×2 tensor at the prompt cost
 * 30-60 µs while the arithmetic itself takes nanoseconds. Up to {@link #MAX_ELEMENTS} output
 * elements this class reads the operands into Java arrays ({@link HostArrays}), computes there and
 * writes a new tensor, in one to a few microseconds. Larger tensors, ND4J types other than DLN's five,
 * empty results, the GPU backend and code running inside an ND4J workspace stay on libnd4j: every
 * method returns null for what it does not cover, and {@link Elementwise} then runs the libnd4j
 * path.
 *
 * <p>The results are those of the libnd4j path: the same dtypes (the caller passes the compute
 * and result types {@link Elementwise#types} derived), shapes (numpy broadcasting), errors, and
 * values bit for bit except for {@code **}, because each operator is written here as libnd4j's
 * kernel computes it ({@code HostElementwiseTest} checks every operator and dtype pair):
 * <ul>
 *   <li>Values are held in the compute type's Java type: float32 in {@code float} (Java's float
 *       arithmetic is IEEE single precision, as libnd4j's), float64 in {@code double}, int32 and
 *       int64 in {@code long} (int32 arithmetic done in 64 bits and narrowed wraps exactly as
 *       32-bit arithmetic does). Operands are converted as {@code castTo} and
 *       {@code Nd4j.scalar} convert them.</li>
 *   <li>{@code //} on floats is libnd4j's {@code floor(a / b)}; on integers numpy's floor division
 *       (the libnd4j path was corrected to agree, see {@code Elementwise.integerDivision}).
 *       {@code %} is libnd4j's FloorMod, {@code fmod} corrected towards the divisor's sign, which
 *       on integers is numpy's modulo. Integer division by zero is the same value error; float
 *       division by zero gives inf/nan.</li>
 *   <li>{@code maximum}/{@code minimum} are {@code a > b ? a : b} / {@code a < b ? a : b}, so
 *       which NaN or signed zero wins depends on the order, with libnd4j's quirk that a scalar
 *       first operand is applied second.</li>
 *   <li>{@code **} uses C's {@code pow} special cases ({@code pow(1, nan) == 1}); integer powers go
 *       through float64 and convert like the x86 cast (out of range gives the minimum value).
 *       libnd4j's pow is not correctly rounded (even {@code x ** 2} and {@code x ** -1} are off
 *       by an ulp in about 0.1% of cases) while Java's {@code Math.pow} nearly always is, so
 *       float results of {@code **} may differ from the libnd4j path in the last place.</li>
 * </ul>
 */
final class HostElementwise {
  /**
   * Outputs up to this many elements are computed here. Measured for a float32 add (thread CPU
   * time, best of 15 windows, 2-core x86 machine, ND4J 1.0.0-M2.1 oneDNN/AVX2 build, one libnd4j
   * thread): host 1.1 / 2.0 / 6.9 / 8.9 / 15.6 / 28.6 µs against libnd4j 13.6 / 10.0 / 16.7 /
   * 10.6 / 14.9 / 14.0 µs at 4 / 256 / 1024 / 2048 / 4096 / 8192 elements (row broadcasts alike).
   * The host path costs about 1 µs plus ~3.5 ns an element (two reads, the loop, the native
   * result buffer), libnd4j about 10 µs plus well under 1 ns an element; they cross near 4096, so
   * the limit stays a step below it and no op gets slower.
   */
  static final long MAX_ELEMENTS = 2048;

  private HostElementwise() {}

  private enum Op {
    ADD, SUB, MUL, DIV, FLOORDIV, MOD, POW, MAX, MIN, LT, LE, GT, GE, EQ, NE;

    boolean comparison() {
      return ordinal() >= LT.ordinal();
    }

    static Op of(String op) {
      return switch (op) {
        case "+" -> ADD;
        case "-" -> SUB;
        case "*" -> MUL;
        case "/" -> DIV;
        case "//" -> FLOORDIV;
        case "%" -> MOD;
        case "**" -> POW;
        case "maximum" -> MAX;
        case "minimum" -> MIN;
        case "<" -> LT;
        case "<=" -> LE;
        case ">" -> GT;
        case ">=" -> GE;
        case "==" -> EQ;
        case "!=" -> NE;
        default -> null;
      };
    }
  }

  /**
   * {@code a op b} computed in Java, or null when the host path does not cover it. {@code compute}
   * and {@code result} are the types {@link Elementwise#binary} derived (for {@code **} on
   * integers compute is float64).
   */
  static INDArray binary(String opName, Object a, Object b, DataType compute, DataType result) {
    Op op = Op.of(opName);
    if (op == null || !operand(a) || !operand(b) || !HostArrays.usable()) return null;
    long[] shape = Shapes.broadcast(shapeOf(a), shapeOf(b)); // the libnd4j path's error, word for word
    long size = Shapes.size(shape);
    if (size == 0 || size > MAX_ELEMENTS) return null;
    int n = (int) size;
    // libnd4j applies a scalar first operand as y.max(x): which NaN (or ±0) wins follows that order
    boolean swap = (op == Op.MAX || op == Op.MIN) && libnd4jScalar(a, shape.length) && !libnd4jScalar(b, shape.length);
    switch (compute) {
      case FLOAT -> {
        float[] x = floats(a, shape, n);
        float[] y = floats(b, shape, n);
        if (op.comparison()) return HostArrays.fromBooleans(shape, compare(op, x, y));
        return HostArrays.fromFloats(shape, swap ? arithmetic(op, y, x) : arithmetic(op, x, y));
      }
      case DOUBLE -> {
        double[] x = doubles(a, shape, n);
        double[] y = doubles(b, shape, n);
        if (op.comparison()) return HostArrays.fromBooleans(shape, compare(op, x, y));
        return HostArrays.fromDoubles(result, shape, swap ? arithmetic(op, y, x) : arithmetic(op, x, y));
      }
      case INT, LONG -> {
        long[] x = longs(a, compute, shape, n);
        long[] y = longs(b, compute, shape, n);
        if (op.comparison()) return HostArrays.fromBooleans(shape, compare(op, x, y));
        if (op == Op.FLOORDIV || op == Op.MOD) {
          for (long v : y) {
            if (v == 0) {
              throw DlnRuntimeException.value("integer division by zero in " + opName,
                  "convert to floats first, e.g. x.astype('float32'), to get inf");
            }
          }
        }
        long[] r = arithmetic(op, x, y);
        if (r != null && result == DataType.BOOL) {
          // bool + bool and bool * bool (computed as int64): whether the result is non-zero
          boolean[] nonzero = new boolean[n];
          for (int i = 0; i < n; i++) nonzero[i] = r[i] != 0;
          return HostArrays.fromBooleans(shape, nonzero);
        }
        return r == null ? null : HostArrays.fromLongs(result, shape, r);
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * Whether libnd4j's broadcasting helper treats the operand as a scalar: rank 0, or a single
   * element of rank at most 2 once given the output's rank.
   */
  private static boolean libnd4jScalar(Object v, int outRank) {
    if (!(v instanceof INDArray t) || t.rank() == 0) return true;
    return t.length() == 1 && outRank <= 2;
  }

  private static boolean operand(Object v) {
    if (v instanceof INDArray t) return HostArrays.readable(t.dataType());
    return v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof Float || v instanceof Boolean;
  }

  private static long[] shapeOf(Object v) {
    return v instanceof INDArray t ? t.shape() : new long[0];
  }

  // Operands in the compute type, broadcast to the output shape; Python numbers as Nd4j.scalar stores them.

  private static float[] floats(Object v, long[] shape, int n) {
    if (v instanceof INDArray t) return HostArrays.floats(t, shape, n);
    float[] out = new float[n];
    Arrays.fill(out, HostArrays.numberAsFloat(v));
    return out;
  }

  private static double[] doubles(Object v, long[] shape, int n) {
    if (v instanceof INDArray t) return HostArrays.doubles(t, shape, n);
    double[] out = new double[n];
    Arrays.fill(out, HostArrays.numberAsDouble(v));
    return out;
  }

  private static long[] longs(Object v, DataType compute, long[] shape, int n) {
    if (v instanceof INDArray t) return HostArrays.longs(t, compute, shape, n);
    long[] out = new long[n];
    Arrays.fill(out, HostArrays.numberAsLong(v, compute));
    return out;
  }

  // ---- kernels: one tight loop per operator, the switch outside it ---------------------------------

  private static float[] arithmetic(Op op, float[] x, float[] y) {
    int n = x.length;
    float[] o = new float[n];
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[i] = x[i] + y[i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[i] = x[i] - y[i];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[i] = x[i] * y[i];
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[i] = x[i] / y[i];
      }
      case FLOORDIV -> {
        // libnd4j: floor(d1 / d2), the quotient rounded to float32 first
        for (int i = 0; i < n; i++) o[i] = (float) Math.floor(x[i] / y[i]);
      }
      case MOD -> {
        for (int i = 0; i < n; i++) o[i] = floorMod(x[i], y[i]);
      }
      case POW -> {
        for (int i = 0; i < n; i++) o[i] = (float) pow(x[i], y[i]);
      }
      case MAX -> {
        for (int i = 0; i < n; i++) o[i] = x[i] > y[i] ? x[i] : y[i];
      }
      case MIN -> {
        for (int i = 0; i < n; i++) o[i] = x[i] < y[i] ? x[i] : y[i];
      }
      default -> throw new IllegalArgumentException(op.name());
    }
    return o;
  }

  private static double[] arithmetic(Op op, double[] x, double[] y) {
    int n = x.length;
    double[] o = new double[n];
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[i] = x[i] + y[i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[i] = x[i] - y[i];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[i] = x[i] * y[i];
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[i] = x[i] / y[i];
      }
      case FLOORDIV -> {
        for (int i = 0; i < n; i++) o[i] = Math.floor(x[i] / y[i]);
      }
      case MOD -> {
        for (int i = 0; i < n; i++) o[i] = floorMod(x[i], y[i]);
      }
      case POW -> {
        for (int i = 0; i < n; i++) o[i] = pow(x[i], y[i]);
      }
      case MAX -> {
        for (int i = 0; i < n; i++) o[i] = x[i] > y[i] ? x[i] : y[i];
      }
      case MIN -> {
        for (int i = 0; i < n; i++) o[i] = x[i] < y[i] ? x[i] : y[i];
      }
      default -> throw new IllegalArgumentException(op.name());
    }
    return o;
  }

  /**
   * libnd4j's FloorMod: {@code m = fmod(a, b)}, and when a and b have different signs
   * {@code fmod(m + b, b)}. Java's {@code %} on floats is C's fmod (exact).
   */
  private static float floorMod(float a, float b) {
    float m = a % b;
    return (a < 0) == (b < 0) ? m : (m + b) % b;
  }

  private static double floorMod(double a, double b) {
    double m = a % b;
    return (a < 0) == (b < 0) ? m : (m + b) % b;
  }

  /** C's pow: unlike Java's Math.pow, {@code pow(1, y) == 1} and {@code pow(-1, ±inf) == 1}. */
  private static double pow(double a, double b) {
    if (a == 1.0 || b == 0.0) return 1.0;
    if (a == -1.0 && Double.isInfinite(b)) return 1.0;
    return Math.pow(a, b);
  }

  private static long[] arithmetic(Op op, long[] x, long[] y) {
    int n = x.length;
    long[] o = new long[n];
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[i] = x[i] + y[i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[i] = x[i] - y[i];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[i] = x[i] * y[i];
      }
      case FLOORDIV -> {
        // numpy's floor division; Long.MIN_VALUE // -1 wraps to Long.MIN_VALUE as in numpy
        for (int i = 0; i < n; i++) o[i] = Math.floorDiv(x[i], y[i]);
      }
      case MOD -> {
        for (int i = 0; i < n; i++) o[i] = Math.floorMod(x[i], y[i]);
      }
      case MAX -> {
        for (int i = 0; i < n; i++) o[i] = Math.max(x[i], y[i]);
      }
      case MIN -> {
        for (int i = 0; i < n; i++) o[i] = Math.min(x[i], y[i]);
      }
      default -> {
        return null; // "/" and "**" on integers compute in floating point: not passed here
      }
    }
    return o;
  }

  private static boolean[] compare(Op op, float[] x, float[] y) {
    int n = x.length;
    boolean[] o = new boolean[n];
    switch (op) {
      case LT -> {
        for (int i = 0; i < n; i++) o[i] = x[i] < y[i];
      }
      case LE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] <= y[i];
      }
      case GT -> {
        for (int i = 0; i < n; i++) o[i] = x[i] > y[i];
      }
      case GE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] >= y[i];
      }
      case EQ -> {
        for (int i = 0; i < n; i++) o[i] = x[i] == y[i];
      }
      case NE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] != y[i];
      }
      default -> throw new IllegalArgumentException(op.name());
    }
    return o;
  }

  private static boolean[] compare(Op op, double[] x, double[] y) {
    int n = x.length;
    boolean[] o = new boolean[n];
    switch (op) {
      case LT -> {
        for (int i = 0; i < n; i++) o[i] = x[i] < y[i];
      }
      case LE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] <= y[i];
      }
      case GT -> {
        for (int i = 0; i < n; i++) o[i] = x[i] > y[i];
      }
      case GE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] >= y[i];
      }
      case EQ -> {
        for (int i = 0; i < n; i++) o[i] = x[i] == y[i];
      }
      case NE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] != y[i];
      }
      default -> throw new IllegalArgumentException(op.name());
    }
    return o;
  }

  private static boolean[] compare(Op op, long[] x, long[] y) {
    int n = x.length;
    boolean[] o = new boolean[n];
    switch (op) {
      case LT -> {
        for (int i = 0; i < n; i++) o[i] = x[i] < y[i];
      }
      case LE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] <= y[i];
      }
      case GT -> {
        for (int i = 0; i < n; i++) o[i] = x[i] > y[i];
      }
      case GE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] >= y[i];
      }
      case EQ -> {
        for (int i = 0; i < n; i++) o[i] = x[i] == y[i];
      }
      case NE -> {
        for (int i = 0; i < n; i++) o[i] = x[i] != y[i];
      }
      default -> throw new IllegalArgumentException(op.name());
    }
    return o;
  }

  // ---- unary functions ----------------------------------------------------------------------------

  /**
   * {@code fn(x)} in Java for the functions that are exact in any arithmetic (neg abs square sign
   * floor ceil round sqrt relu), or null. The transcendental ones (exp, log, tanh, sigmoid, ...)
   * stay on libnd4j, whose vectorised math Java cannot reproduce to the bit.
   */
  static INDArray unary(String fn, INDArray x) {
    DataType src = x.dataType();
    if (!HostArrays.readable(src) || !HostArrays.usable()) return null;
    long size = x.length();
    if (size == 0 || size > MAX_ELEMENTS) return null;
    int n = (int) size;
    long[] shape = x.shape();
    // Types as Elementwise.unary chooses them: sign-preserving functions keep integer types
    // (bool becomes int64), the rest compute in float32 unless the input is float64.
    DataType keep = src == DataType.BOOL ? DataType.LONG : src;
    DataType floating = src == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    DataType type;
    switch (fn) {
      case "neg", "abs", "square", "sign" -> type = keep;
      case "floor", "ceil", "round" -> {
        // on integers these are copies
        if (!DTypes.isFloat(keep)) return HostArrays.fromLongs(keep, shape, HostArrays.longs(x, keep, shape, n));
        type = floating;
      }
      case "sqrt", "relu" -> type = floating;
      default -> {
        return null;
      }
    }
    if (!DTypes.isFloat(type)) {
      long[] v = HostArrays.longs(x, type, shape, n);
      intFunction(fn, v);
      return HostArrays.fromLongs(type, shape, v);
    }
    if (type == DataType.DOUBLE) {
      double[] v = HostArrays.doubles(x, shape, n);
      floatFunction(fn, v);
      return HostArrays.fromDoubles(type, shape, v);
    }
    // float32 through double: each of these functions rounds to the same float either way
    float[] f = HostArrays.floats(x, shape, n);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = f[i];
    floatFunction(fn, v);
    for (int i = 0; i < n; i++) f[i] = (float) v[i];
    return HostArrays.fromFloats(shape, f);
  }

  /** fn applied in place to float64 values (or float32 values held as doubles). */
  private static void floatFunction(String fn, double[] v) {
    int n = v.length;
    switch (fn) {
      case "neg" -> {
        for (int i = 0; i < n; i++) v[i] = -v[i];
      }
      case "abs" -> {
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
      }
      case "square" -> {
        for (int i = 0; i < n; i++) v[i] = v[i] * v[i];
      }
      case "sign" -> {
        // libnd4j: sign(-0.0) and sign(NaN) are +0.0
        for (int i = 0; i < n; i++) v[i] = v[i] > 0 ? 1.0 : v[i] < 0 ? -1.0 : 0.0;
      }
      case "floor" -> {
        for (int i = 0; i < n; i++) v[i] = Math.floor(v[i]);
      }
      case "ceil" -> {
        for (int i = 0; i < n; i++) v[i] = Math.ceil(v[i]);
      }
      case "round" -> {
        // half to even, like numpy and libnd4j's Rint
        for (int i = 0; i < n; i++) v[i] = Math.rint(v[i]);
      }
      case "sqrt" -> {
        for (int i = 0; i < n; i++) v[i] = Math.sqrt(v[i]);
      }
      case "relu" -> {
        for (int i = 0; i < n; i++) v[i] = v[i] < 0 ? 0.0 : v[i];
      }
      default -> throw new IllegalArgumentException(fn);
    }
  }

  /** fn applied in place to int32/int64 values (int32 wraps when narrowed, as in C). */
  private static void intFunction(String fn, long[] v) {
    int n = v.length;
    switch (fn) {
      case "neg" -> {
        for (int i = 0; i < n; i++) v[i] = -v[i];
      }
      case "abs" -> {
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
      }
      case "square" -> {
        for (int i = 0; i < n; i++) v[i] = v[i] * v[i];
      }
      case "sign" -> {
        for (int i = 0; i < n; i++) v[i] = Long.signum(v[i]);
      }
      default -> throw new IllegalArgumentException(fn);
    }
  }
}

package dln.runtime.tensor;

import dln.runtime.Shapes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The host path ({@link HostElementwise}) against the libnd4j path ({@code Elementwise.binary(...,
 * false)}): every operator, every pair of DLN's five dtypes, the awkward values (NaN, ±inf, -0.0,
 * subnormals, integer extremes), numpy broadcasting, views with offsets and strides. Results must
 * agree in dtype, shape, strides and every bit, except {@code **} on floats, where Java's and
 * glibc's pow may differ in the last place.
 */
class HostElementwiseTest {
  private static final DataType[] TYPES = {DataType.BOOL, DataType.INT, DataType.LONG, DataType.FLOAT, DataType.DOUBLE};
  private static final String[] OPS = {"+", "-", "*", "/", "//", "%", "**", "maximum", "minimum",
      "<", "<=", ">", ">=", "==", "!="};
  private static final String[] UNARY = {"neg", "abs", "square", "sign", "floor", "ceil", "round", "sqrt", "relu"};

  private static final double[] FLOATS = {-7, 7, -2, 2, 0, -0.0, 0.5, -0.5, 1, -1, 3.7, -3.7, 2.5, -2.5, 1.5,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-40, 3e38, 16777217, 1e-3, 123456.789, 0.1};
  private static final double[] DOUBLES_EXTRA = {1e300, -1e300, 1e-310, 9007199254740993.0};
  private static final long[] INTS = {-7, 7, -2, 2, 0, 1, -1, 3, -3, Integer.MIN_VALUE, Integer.MAX_VALUE, 46341, 65536};
  private static final long[] LONGS_EXTRA = {Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, (1L << 53) + 1, 3037000500L};

  // ---- all pairs of awkward values: x as a column, y as a row ----------------------------------

  @Test
  void everyOperatorAndDtypePairOnAwkwardValues() {
    List<String> failures = new ArrayList<>();
    for (String op : OPS) {
      for (DataType tx : TYPES) {
        for (DataType ty : TYPES) {
          Elementwise.Types types = Elementwise.types(op, tx == ty ? tensorOf(tx) : tensorOf(tx), tensorOf(ty));
          boolean intDivision = (op.equals("//") || op.equals("%")) && DTypes.isInt(types.compute());
          INDArray x = awkward(tx, false).reshape(-1, 1);
          INDArray y = awkward(ty, intDivision).reshape(1, -1);
          check(failures, op + " " + tx + " " + ty, op, x, y);
        }
      }
    }
    if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures.subList(0, Math.min(200, failures.size()))));
  }

  @Test
  void pythonNumbersOnEitherSide() {
    List<String> failures = new ArrayList<>();
    Object[] numbers = {3L, -7L, 0L, 1L << 40, -1L, 2.5, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-3, true, false, 7, 1.5f};
    for (String op : OPS) {
      for (DataType t : TYPES) {
        for (Object n : numbers) {
          INDArray x = awkward(t, false);
          Elementwise.Types types = Elementwise.types(op, x, n);
          boolean intDivision = (op.equals("//") || op.equals("%")) && DTypes.isInt(types.compute());
          if (!(intDivision && isZero(n))) check(failures, op + " " + t + " with " + n, op, x, n);
          INDArray y = awkward(t, intDivision);
          check(failures, n + " " + op + " " + t, op, n, y);
        }
      }
    }
    if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures.subList(0, Math.min(200, failures.size()))));
  }

  // ---- broadcasting and layouts ------------------------------------------------------------------

  @Test
  void broadcastingShapesAndViews() {
    List<String> failures = new ArrayList<>();
    Random rnd = new Random(7);
    long[][][] shapes = {
        {{3, 4}, {3, 4}}, {{3, 4}, {}}, {{}, {3, 4}}, {{3, 4}, {4}}, {{3, 4}, {3, 1}}, {{3, 1}, {1, 4}},
        {{1, 1}, {6}}, {{6}, {1, 1}}, {{4, 1, 3}, {2, 3}}, {{2, 1, 3, 1}, {5, 1, 4}}, {{1}, {5}}, {{}, {}},
        {{2, 3, 4}, {2, 3, 4}}, {{1, 4}, {1, 4}}, {{5, 1}, {5, 1}}};
    for (String op : OPS) {
      for (DataType t : new DataType[] {DataType.FLOAT, DataType.INT, DataType.LONG, DataType.DOUBLE, DataType.BOOL}) {
        for (long[][] s : shapes) {
          INDArray x = random(rnd, t, s[0], false);
          INDArray y = random(rnd, t, s[1], true);
          check(failures, op + " " + t + " " + Arrays.toString(s[0]) + " " + Arrays.toString(s[1]), op, x, y);
        }
        for (INDArray[] pair : views(rnd, t)) {
          check(failures, op + " " + t + " view " + describe(pair[0]) + " with " + describe(pair[1]), op, pair[0], pair[1]);
          check(failures, op + " " + t + " view " + describe(pair[1]) + " with " + describe(pair[0]), op, pair[1], nonZero(pair[0]));
        }
      }
      // mixed dtypes with broadcasting
      check(failures, op + " int32 (3,1) float32 (4,)", op, random(rnd, DataType.INT, new long[] {3, 1}, true),
          random(rnd, DataType.FLOAT, new long[] {4}, true));
      check(failures, op + " bool (2,3) int64 ()", op, random(rnd, DataType.BOOL, new long[] {2, 3}, false),
          random(rnd, DataType.LONG, new long[0], true));
    }
    if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures.subList(0, Math.min(200, failures.size()))));
  }

  @Test
  void singleElementFirstOperandsOfMaximumAndMinimum() {
    // libnd4j applies a "scalar" first operand (rank 0, or one element at rank <= 2) second, which
    // decides whether a NaN or a signed zero wins.
    List<String> failures = new ArrayList<>();
    for (String op : new String[] {"maximum", "minimum"}) {
      for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
        for (double v : new double[] {Double.NaN, -0.0, 0.0, 1.5}) {
          INDArray one = Nd4j.scalar(v).castTo(t);
          for (long[] shape : new long[][] {{}, {1}, {1, 1}, {1, 1, 1}}) {
            INDArray first = one.reshape(shape);
            INDArray vector = awkward(t, false);
            check(failures, op + " " + t + " " + v + " shaped " + Arrays.toString(shape), op, first, vector);
            check(failures, op + " " + t + " " + v + " shaped " + Arrays.toString(shape) + " against a matrix", op, first,
                vector.reshape(2, -1));
            check(failures, op + " " + t + " vector with " + v + " shaped " + Arrays.toString(shape), op, vector, first);
          }
        }
      }
    }
    if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures));
  }

  /** Pairs of views (offsets, strides, transposes, broadcast-able slices) over bigger tensors. */
  private static List<INDArray[]> views(Random rnd, DataType t) {
    INDArray big = random(rnd, t, new long[] {5, 6}, true);
    INDArray other = random(rnd, t, new long[] {6, 5}, true);
    List<INDArray[]> out = new ArrayList<>();
    INDArray block = big.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 6)); // (3, 4), offset 8
    out.add(new INDArray[] {block, random(rnd, t, new long[] {3, 4}, true)});
    out.add(new INDArray[] {block, big.get(NDArrayIndex.point(4), NDArrayIndex.interval(0, 4))}); // row view (4,)
    INDArray strided = big.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 6)); // (5, 3), stride 2
    out.add(new INDArray[] {strided, other.get(NDArrayIndex.interval(0, 5), NDArrayIndex.interval(1, 4))});
    out.add(new INDArray[] {big.transpose(), other}); // (6, 5) f-order view
    out.add(new INDArray[] {big.getColumn(3).reshape(5, 1), big.getRow(2)}); // column view against a row view
    out.add(new INDArray[] {big.get(NDArrayIndex.point(2), NDArrayIndex.point(3)), big}); // rank-0 view
    return out;
  }

  @Test
  void emptyTensorsGiveTheSameEmptyResults() {
    for (String op : OPS) {
      for (DataType t : TYPES) {
        INDArray e = Nd4j.create(t, 0, 3);
        INDArray r = Nd4j.ones(t, 3);
        INDArray viaAuto = Elementwise.binary(op, e, r);
        INDArray viaNd4j = Elementwise.binary(op, e, r, false);
        assertEquals(viaNd4j.dataType(), viaAuto.dataType(), op + " " + t);
        assertArrayEquals(viaNd4j.shape(), viaAuto.shape(), op + " " + t);
      }
    }
  }

  // ---- errors --------------------------------------------------------------------------------------

  @Test
  void integerDivisionByZeroIsTheSameErrorOnBothPaths() {
    for (DataType t : new DataType[] {DataType.INT, DataType.LONG, DataType.BOOL}) {
      for (String op : new String[] {"//", "%"}) {
        INDArray x = awkward(t, false);
        INDArray y = awkward(t, false); // holds a zero (false for bools)
        DlnRuntimeException host = assertThrows(DlnRuntimeException.class, () -> Elementwise.binary(op, x, y.reshape(-1, 1)));
        DlnRuntimeException nd4j = assertThrows(DlnRuntimeException.class, () -> Elementwise.binary(op, x, y.reshape(-1, 1), false));
        assertEquals(nd4j.getMessage(), host.getMessage());
        assertEquals("integer division by zero in " + op, host.getMessage());
      }
    }
  }

  @Test
  void broadcastErrorsAreTheSameOnBothPaths() {
    INDArray a = Nd4j.create(DataType.FLOAT, 2, 3);
    INDArray b = Nd4j.create(DataType.FLOAT, 4);
    DlnRuntimeException host = assertThrows(DlnRuntimeException.class, () -> Elementwise.binary("+", a, b));
    DlnRuntimeException nd4j = assertThrows(DlnRuntimeException.class, () -> Elementwise.binary("+", a, b, false));
    assertEquals(nd4j.getMessage(), host.getMessage());
  }

  // ---- integer floor division: numpy's on both paths, at every size --------------------------------

  @Test
  void integerFloorDivisionFollowsNumpyOnBothPaths() {
    for (DataType t : new DataType[] {DataType.INT, DataType.LONG}) {
      INDArray x = Nd4j.createFromArray(new long[] {-7, 7, -7, 7, -5, 5, 6, -6, 0}).castTo(t);
      INDArray y = Nd4j.createFromArray(new long[] {2, -2, -2, 2, 3, -3, -3, 3, -1}).castTo(t);
      for (boolean host : new boolean[] {true, false}) {
        assertArrayEquals(new long[] {-4, -4, 3, 3, -2, -2, -2, -2, 0}, Elementwise.binary("//", x, y, host).toLongVector(), t + " host=" + host);
        assertArrayEquals(new long[] {1, -1, -1, 1, 1, -1, 0, 0, 0}, Elementwise.binary("%", x, y, host).toLongVector(), t + " host=" + host);
      }
    }
  }

  @Test
  void minimumIntegerDividedByMinusOneWrapsInsteadOfCrashing() {
    // libnd4j's integer kernels die with SIGFPE here; numpy wraps around.
    INDArray x = Nd4j.createFromArray(new long[] {Long.MIN_VALUE, 5, Long.MIN_VALUE});
    INDArray y = Nd4j.createFromArray(new long[] {-1, -1, 2});
    INDArray xi = Nd4j.createFromArray(new int[] {Integer.MIN_VALUE, 5});
    for (boolean host : new boolean[] {true, false}) {
      assertArrayEquals(new long[] {Long.MIN_VALUE, -5, Long.MIN_VALUE / 2}, Elementwise.binary("//", x, y, host).toLongVector());
      assertArrayEquals(new long[] {0, 0, 0}, Elementwise.binary("%", x, y, host).toLongVector());
      assertArrayEquals(new long[] {Integer.MIN_VALUE, -5}, Elementwise.binary("//", xi, -1L, host).toLongVector());
      assertArrayEquals(new long[] {0, 0}, Elementwise.binary("%", xi, -1L, host).toLongVector());
    }
  }

  @Test
  void largeIntegerTensorsAgreeWithSmallOnes() {
    Random rnd = new Random(3);
    int n = (int) HostElementwise.MAX_ELEMENTS * 2 + 7;
    long[] xs = new long[n];
    long[] ys = new long[n];
    for (int i = 0; i < n; i++) {
      xs[i] = rnd.nextInt(201) - 100;
      ys[i] = rnd.nextInt(21) - 10;
      if (ys[i] == 0) ys[i] = -1;
    }
    INDArray x = Nd4j.createFromArray(xs);
    INDArray y = Nd4j.createFromArray(ys);
    long[] q = Elementwise.binary("//", x, y).toLongVector(); // too big for the host path
    long[] m = Elementwise.binary("%", x, y).toLongVector();
    for (int i = 0; i < n; i++) {
      assertEquals(Math.floorDiv(xs[i], ys[i]), q[i], xs[i] + " // " + ys[i]);
      assertEquals(Math.floorMod(xs[i], ys[i]), m[i], xs[i] + " % " + ys[i]);
    }
  }

  // ---- unary functions -------------------------------------------------------------------------------

  @Test
  void unaryFunctionsMatchLibnd4j() {
    List<String> failures = new ArrayList<>();
    Random rnd = new Random(11);
    for (String fn : UNARY) {
      for (DataType t : TYPES) {
        List<INDArray> inputs = List.of(awkward(t, false), random(rnd, t, new long[] {3, 4}, false),
            random(rnd, t, new long[] {5, 6}, false).get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(0, 2, 6)),
            random(rnd, t, new long[] {4, 3}, false).transpose(), random(rnd, t, new long[0], false));
        for (INDArray x : inputs) {
          String what = fn + " " + t + " " + describe(x);
          INDArray expected = Elementwise.unary(fn, x, false);
          INDArray actual = HostElementwise.unary(fn, x);
          if (actual == null) {
            failures.add(what + ": not on the host path");
            continue;
          }
          String diff = difference(expected, actual, false);
          if (diff != null) failures.add(what + ": " + diff);
        }
      }
    }
    if (!failures.isEmpty()) fail(failures.size() + " mismatches:\n" + String.join("\n", failures.subList(0, Math.min(200, failures.size()))));
  }

  // ---- what the host path leaves to libnd4j --------------------------------------------------------

  @Test
  void largeUnusualOrWorkspaceTensorsStayOnLibnd4j() {
    INDArray big = Nd4j.create(DataType.FLOAT, HostElementwise.MAX_ELEMENTS + 1);
    assertNull(HostElementwise.binary("+", big, big, DataType.FLOAT, DataType.FLOAT));
    assertNull(HostElementwise.unary("neg", big));
    INDArray half = Nd4j.create(DataType.HALF, 3);
    assertNull(HostElementwise.binary("+", half, half, DataType.FLOAT, DataType.FLOAT));
    assertNull(HostElementwise.unary("exp", Nd4j.create(DataType.FLOAT, 3)));
    INDArray small = Nd4j.createFromArray(1f, 2f, 3f);
    assertArrayEquals(new float[] {2, 4, 6}, HostElementwise.binary("+", small, small, DataType.FLOAT, DataType.FLOAT).toFloatVector());
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace("host-elementwise-test")) {
      assertNull(HostElementwise.binary("+", small, small, DataType.FLOAT, DataType.FLOAT));
    }
  }

  @Test
  void resultsAreFreshArraysThatOwnTheirMemory() {
    INDArray a = Nd4j.createFromArray(1f, 2f, 3f, 4f).reshape(2, 2);
    INDArray r1 = Elementwise.binary("+", a, a);
    INDArray r2 = Elementwise.binary("+", a, a); // second result of the shape: built on the remembered descriptor
    r1.putScalar(0, 100f);
    assertEquals(2f, r2.getFloat(0));
    assertEquals(2f, a.getFloat(0) * 2);
    assertArrayEquals(new long[] {2, 2}, r2.shape());
    assertEquals('c', r2.ordering());
    assertTrue(!r2.isView());
    // the results take part in ordinary ND4J operations
    assertArrayEquals(new float[] {4, 8, 12, 16}, r2.add(r2).reshape(4).toFloatVector());
    assertArrayEquals(new float[] {2, 4, 6, 8}, r2.reshape(4).toFloatVector());
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private static void check(List<String> failures, String what, String op, Object a, Object b) {
    INDArray expected;
    try {
      expected = Elementwise.binary(op, a, b, false);
    } catch (RuntimeException e) {
      failures.add(what + ": libnd4j path failed: " + e);
      return;
    }
    Elementwise.Types types = Elementwise.types(op, a, b);
    INDArray actual;
    try {
      actual = HostElementwise.binary(op, a, b, types.compute(), types.result());
    } catch (RuntimeException e) {
      failures.add(what + ": host path failed: " + e);
      return;
    }
    if (actual == null) {
      failures.add(what + ": not on the host path");
      return;
    }
    String diff = difference(expected, actual, op.equals("**") && DTypes.isFloat(types.result()));
    if (diff != null) failures.add(what + ": " + diff);
  }

  /** null when equal (bit for bit, or within an ulp when {@code ulp}), else a description. */
  private static String difference(INDArray expected, INDArray actual, boolean ulp) {
    if (expected.dataType() != actual.dataType()) return "dtype " + actual.dataType() + ", expected " + expected.dataType();
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
    }
    // Host results are always fresh c-order arrays. (libnd4j's unary transforms and Pow keep an
    // f-order input's layout; no DLN operation depends on the layout.)
    if (expected.ordering() == 'c' && !Arrays.equals(expected.shapeInfoJava(), actual.shapeInfoJava())) {
      return "shape info " + Arrays.toString(actual.shapeInfoJava()) + ", expected " + Arrays.toString(expected.shapeInfoJava());
    }
    int n = (int) expected.length();
    INDArray e = expected.dup('c').reshape('c', new long[] {n});
    INDArray g = actual.dup('c').reshape('c', new long[] {n});
    for (int i = 0; i < n; i++) {
      boolean same;
      String ev;
      String gv;
      switch (expected.dataType()) {
        case FLOAT, DOUBLE -> {
          double x = e.getDouble(i);
          double y = g.getDouble(i);
          same = Double.doubleToLongBits(x) == Double.doubleToLongBits(y)
              || (ulp && Math.abs(x - y) <= (expected.dataType() == DataType.FLOAT ? Math.ulp((float) x) : Math.ulp(x)));
          ev = String.valueOf(x);
          gv = String.valueOf(y);
        }
        default -> {
          long x = e.getLong(i);
          long y = g.getLong(i);
          same = x == y;
          ev = String.valueOf(x);
          gv = String.valueOf(y);
        }
      }
      if (!same) return "element " + i + " is " + gv + ", expected " + ev;
    }
    return null;
  }

  private static INDArray tensorOf(DataType t) {
    return Nd4j.create(t, 1);
  }

  private static boolean isZero(Object n) {
    return n instanceof Boolean b ? !b : ((Number) n).doubleValue() == 0 || (n instanceof Long l && (int) (long) l == 0);
  }

  /** The awkward values of a dtype as a vector; without zeros when they would be integer divisors. */
  private static INDArray awkward(DataType t, boolean noZero) {
    switch (t) {
      case BOOL -> {
        return noZero ? Nd4j.createFromArray(true) : Nd4j.createFromArray(true, false);
      }
      case INT, LONG -> {
        long[] v = concat(INTS, t == DataType.LONG ? LONGS_EXTRA : new long[0]);
        if (noZero) v = Arrays.stream(v).filter(x -> x != 0).toArray();
        INDArray l = Nd4j.createFromArray(v);
        return t == DataType.INT ? l.castTo(DataType.INT) : l;
      }
      default -> {
        double[] v = t == DataType.DOUBLE ? concat(FLOATS, DOUBLES_EXTRA) : FLOATS;
        if (t == DataType.FLOAT) {
          float[] f = new float[v.length];
          for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
          return Nd4j.createFromArray(f);
        }
        return Nd4j.createFromArray(v);
      }
    }
  }

  private static INDArray random(Random rnd, DataType t, long[] shape, boolean noZero) {
    int n = (int) Shapes.size(shape);
    INDArray flat;
    switch (t) {
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) v[i] = noZero || rnd.nextBoolean();
        flat = n == 0 ? Nd4j.create(DataType.BOOL, 0) : Nd4j.createFromArray(v);
      }
      case INT, LONG -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = rnd.nextInt(21) - 10;
          if (noZero && v[i] == 0) v[i] = 3;
        }
        flat = (n == 0 ? Nd4j.create(DataType.LONG, 0) : Nd4j.createFromArray(v)).castTo(t);
      }
      default -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian() * 5;
        flat = (n == 0 ? Nd4j.create(DataType.DOUBLE, 0) : Nd4j.createFromArray(v)).castTo(t);
      }
    }
    return shape.length == 0 ? flat.reshape('c', new long[0]) : flat.reshape('c', shape);
  }

  /** x without zeros (for use as an integer divisor): zeros become 1. */
  private static INDArray nonZero(INDArray x) {
    if (!DTypes.isInt(x.dataType()) && x.dataType() != DataType.BOOL) return x;
    if (x.dataType() == DataType.BOOL) return Nd4j.ones(DataType.BOOL, x.shape());
    INDArray c = x.dup();
    for (long i = 0; i < c.length(); i++) if (c.getLong(i) == 0) c.putScalar(i, 1);
    return c;
  }

  private static String describe(INDArray x) {
    return Arrays.toString(x.shape()) + (x.isView() ? " view offset " + x.offset() + " stride " + Arrays.toString(x.stride()) : "");
  }

  private static long[] concat(long[] a, long[] b) {
    long[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}

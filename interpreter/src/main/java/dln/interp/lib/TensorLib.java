package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.DType;
import dln.interp.value.Namespace;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Eager tensors in the language: {@code tensor}, creation functions, shape functions, math and
 * activation functions, reductions, the {@code np} namespace with numpy's spellings, and the
 * attributes and methods of tensor values ({@code x.shape}, {@code x.T}, {@code x.sum(axis=0)}...).
 * The work is done by {@link Tensors}; this class only binds arguments.
 *
 * <p>Install before {@code AutodiffLib}, which wraps the math functions defined here.
 */
public final class TensorLib implements Library {
  /** Element-wise functions and activations, with the one-line description each doc starts with. */
  private static final String[][] UNARY = {
      {"exp", "e raised to each element"},
      {"log", "Natural logarithm of each element"},
      {"sqrt", "Square root of each element"},
      {"square", "Each element squared"},
      {"sin", "Sine of each element (radians)"},
      {"cos", "Cosine of each element (radians)"},
      {"sign", "-1, 0 or 1 for each element"},
      {"floor", "Each element rounded down"},
      {"ceil", "Each element rounded up"},
      {"linear", "The linear (identity) activation: returns x unchanged"},
      {"sigmoid", "The sigmoid activation 1 / (1 + exp(-x))"},
      {"tanh", "The tanh activation"},
      {"relu", "The ReLU activation max(x, 0)"},
      {"elu", "The ELU activation: x for x > 0, exp(x) - 1 otherwise"},
      {"softplus", "The softplus activation log(1 + exp(x))"},
      {"selu", "The SELU activation (scaled ELU, self-normalising)"},
      {"gelu", "The GELU activation x * Phi(x) (exact, erf-based)"},
      {"swish", "The swish activation x * sigmoid(x)"},
  };

  @Override
  public void install(Globals g) {
    installCreation(g);
    installShapes(g);
    installMath(g);
    installReductions(g);
    installNumpy(g);
    installTensorType();
  }

  // ---- argument helpers -----------------------------------------------------------------------

  /** A shape given as separate ints, zeros(3, 4), or as one tuple or list, zeros((3, 4)). */
  static long[] shapeOf(String fn, List<Object> rest) {
    List<Object> dims = rest;
    // A 1-D integer tensor is a shape too: tf.shape(x) passed on as TensorFlow code does.
    if (rest.size() == 1 && rest.get(0) instanceof INDArray t && t.rank() == 1 && !t.dataType().isFPType()) {
      return t.castTo(DataType.LONG).toLongVector();
    }
    if (rest.size() == 1 && (rest.get(0) instanceof Tuple || rest.get(0) instanceof List)) {
      dims = rest.get(0) instanceof Tuple t ? t.items() : new ArrayList<>((List<?>) rest.get(0));
    }
    long[] out = new long[dims.size()];
    for (int i = 0; i < out.length; i++) {
      Object d = dims.get(i);
      if (d instanceof Long l) {
        out[i] = l;
      } else if (d instanceof INDArray t && t.length() == 1 && !t.dataType().isFPType()) {
        out[i] = t.getLong(0);   // a size such as tf.shape(x)[0]
      } else if (d instanceof Double v && v == Math.rint(v)) {
        out[i] = v.longValue();
      } else {
        throw DlnException.type(fn + "() shape sizes must be ints, got " + Values.typeName(d));
      }
    }
    return out;
  }

  /** ints given separately, transpose(x, 1, 0), or as one tuple or list, transpose(x, (1, 0)). */
  private static int[] intsOf(String fn, List<Object> rest) {
    long[] l = shapeOf(fn, rest);
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
    return out;
  }

  /** A dtype given as a string, np.float32, x.dtype, or a type builtin such as float. */
  static DataType dtype(Args a, DataType dflt) {
    return a.has("dtype") ? Tensors.dtype(a.nameLike("dtype")) : dflt;
  }

  /** axis=1 or axis=(0, 1); null when not given (reduce over everything). */
  static int[] axes(Args a) {
    if (!a.has("axis")) return null;
    // Args.ints(name, 0) expands a single int to zero copies, so a lone int is handled here.
    if (a.get("axis") instanceof Long l) return new int[] {Math.toIntExact(l)};
    return a.ints("axis", 0);
  }

  private static Tuple shapeTuple(INDArray x) {
    List<Object> dims = new ArrayList<>();
    for (long d : x.shape()) dims.add(d);
    return new Tuple(dims);
  }

  private static List<INDArray> tensors(Args a, String name) {
    List<INDArray> out = new ArrayList<>();
    for (Object v : a.list(name)) {
      try {
        out.add(Values.toTensor(v));
      } catch (DlnException e) {
        throw DlnException.type(a.function() + "() argument '" + name + "' must be a list of tensors, got an item of type "
            + Values.typeName(v));
      }
    }
    return out;
  }

  /** fn applied to x; a plain number in gives a plain float out, as math.exp would. */
  private static Object unary(Args a, String fn) {
    Object x = a.get("x");
    if (Values.isNumber(x)) return Tensors.unary(fn, Tensors.fromNested(x, DataType.DOUBLE)).getDouble(0);
    return Tensors.unary(fn, a.tensor("x"));
  }

  /**
   * tensor(data) and np.array(object): a copy of the values as a tensor, of the dtype given, else
   * {@code inferred}'s for the data (null: fromNested's float32 default).
   */
  private static INDArray fromData(Args a, String name, java.util.function.Function<Object, DataType> inferred) {
    Object given = a.get(name);
    // A value a tape recorded (or a tf.Variable) is copied as its current value, as np.array copies
    // an eager tensor: the copy is a constant, outside the tape.
    if (given instanceof dln.runtime.autodiff.Traced t) given = dln.runtime.autodiff.Tape.value(t);
    if (given instanceof dln.runtime.autodiff.Variable v) given = v.value();
    Object plain = Values.toJava(given);
    if (plain == null) throw DlnException.type(a.function() + "() needs a number, a list of numbers or a tensor, got "
        + Values.typeName(a.get(name)));
    if (a.has("dtype")) return Tensors.fromNested(plain, Tensors.dtype(a.nameLike("dtype")));
    return Tensors.fromNested(plain, inferred == null ? null : inferred.apply(plain));
  }

  /** An np function's array argument: a tensor as it is, a (nested) list as np.array makes it (ints int64). */
  static INDArray array(Args a, String name) {
    Object v = a.get(name);
    if (v instanceof INDArray t) return t;
    if (!(v instanceof List<?>)) return a.tensor(name);
    Object plain = Values.toJava(v);
    return Tensors.fromNested(plain, Tensors.numpyDtype(plain));
  }

  private static Object reduce(Args a, String op) {
    return Tensors.reduce(op, a.tensor("x"), axes(a), a.bool("keepdims", false));
  }

  private static Object clip(Args a, String lo, String hi) {
    Double low = a.has(lo) ? a.number(lo) : null;
    Double high = a.has(hi) ? a.number(hi) : null;
    return Tensors.clip(a.tensor("x"), low, high);
  }

  /** numpy's dot: numbers multiply; tensors take the matrix product (1-D and 2-D as numpy). */
  private static Object dot(Args a) {
    Object x = a.get("a");
    Object y = a.get("b");
    if (Values.isNumber(x) || Values.isNumber(y)) {
      return Tensors.binary("*", Values.isNumber(x) ? x : a.tensor("a"), Values.isNumber(y) ? y : a.tensor("b"));
    }
    return Tensors.matmul(a.tensor("a"), a.tensor("b"));
  }

  private static Object arange(Args a) {
    double start = a.number("start");
    double stop;
    if (a.has("stop")) {
      stop = a.number("stop");
    } else {
      stop = start;
      start = 0;
    }
    double step = a.number("step", 1);
    double count = step == 0 ? 0 : Math.ceil((stop - start) / step);
    if (count > 0) allowed(a, "arange", new long[] {count >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) count}, dtype(a, DataType.FLOAT));
    return Tensors.arange(start, stop, step, dtype(a, DataType.FLOAT));
  }

  /**
   * The shape, once the interpreter's size limit allows a tensor of it (a clear "memory error"
   * for zeros(100000, 100000) instead of an OutOfMemoryError).
   */
  static long[] allowed(Args a, String fn, long[] shape, DataType dtype) {
    StringBuilder what = new StringBuilder(fn).append('(');
    for (int i = 0; i < shape.length; i++) what.append(i > 0 ? ", " : "").append(shape[i]);
    a.invoker().checkAllocation(shape, Math.max(1, dtype.width()), what.append(')').toString());
    return shape;
  }

  // ---- builtins -------------------------------------------------------------------------------

  private static void installCreation(Globals g) {
    g.def("tensor", "data, dtype?",
        "A tensor from a number or (nested) list of numbers; float32 unless dtype says otherwise "
            + "('float32', 'float64', 'int32', 'int64', 'bool').\nExample: x = tensor([[1, 2], [3, 4]])",
        a -> fromData(a, "data", null));
    g.def("zeros", "*shape, dtype?", "A tensor of zeros (float32).\nExample: zeros(3, 4) or zeros((3, 4))",
        a -> Tensors.zeros(allowed(a, "zeros", shapeOf("zeros", a.rest()), dtype(a, DataType.FLOAT)), dtype(a, DataType.FLOAT)));
    g.def("ones", "*shape, dtype?", "A tensor of ones (float32).\nExample: ones(2, 2)",
        a -> Tensors.ones(allowed(a, "ones", shapeOf("ones", a.rest()), dtype(a, DataType.FLOAT)), dtype(a, DataType.FLOAT)));
    g.def("full", "shape, value, dtype?", "A tensor of the given shape filled with one value (float32).\nExample: full((2, 3), 7)",
        a -> Tensors.full(allowed(a, "full", shapeOf("full", List.of(a.get("shape"))), dtype(a, DataType.FLOAT)), a.number("value"),
            dtype(a, DataType.FLOAT)));
    g.def("eye", "n", "The n x n identity matrix.\nExample: eye(3)",
        a -> Tensors.eye(allowed(a, "eye", new long[] {a.integer("n"), a.integer("n")}, DataType.FLOAT)[0]));
    g.def("arange", "start, stop?, step?, dtype?",
        "Evenly spaced values from start up to (not including) stop; with one argument, from 0 (float32).\n"
            + "Example: arange(5); arange(0, 1, 0.25)",
        TensorLib::arange);
    g.def("linspace", "start, stop, num?", "num evenly spaced values from start to stop inclusive (default 50).\n"
        + "Example: linspace(0, 1, 5)", a -> Tensors.linspace(a.number("start"), a.number("stop"),
            allowed(a, "linspace", new long[] {a.integer("num", 50)}, DataType.FLOAT)[0]));
    g.def("rand", "*shape", "Uniform random values in [0, 1) (float32); see seed().\nExample: rand(2, 3)",
        a -> Tensors.rand(allowed(a, "rand", shapeOf("rand", a.rest()), DataType.FLOAT)));
    g.def("randn", "*shape", "Standard normal random values (float32); see seed().\nExample: a = randn(3, 4)",
        a -> Tensors.randn(allowed(a, "randn", shapeOf("randn", a.rest()), DataType.FLOAT)));
    g.def("seed", "n", "Seeds the random generator so rand, randn and weight initialisation repeat exactly.\nExample: seed(42)",
        a -> {
          Tensors.seed(a.integer("n"));
          return null;
        });
  }

  private static void installShapes(Globals g) {
    g.def("reshape", "x, *shape", "The same values in a new shape; one size may be -1.\nExample: reshape(x, 2, -1)",
        a -> Tensors.reshape(a.tensor("x"), shapeOf("reshape", a.rest())));
    g.def("transpose", "x, *axes", "Axes reversed (the matrix transpose), or reordered as given.\nExample: a @ transpose(a)",
        a -> a.rest().isEmpty() ? Tensors.transpose(a.tensor("x")) : Tensors.transpose(a.tensor("x"), intsOf("transpose", a.rest())));
    g.def("flatten", "x", "All values in one dimension, row by row.\nExample: flatten(zeros(2, 3)).shape  # (6,)",
        a -> Tensors.flatten(a.tensor("x")));
    g.def("concat", "tensors, axis?", "Tensors joined along an existing axis (default 0).\nExample: concat([a, b], axis=1)",
        a -> Tensors.concat(tensors(a, "tensors"), a.intValue("axis", 0)));
    g.def("stack", "tensors, axis?", "Tensors of one shape joined along a new axis (default 0).\nExample: stack([x, y])",
        a -> Tensors.stack(tensors(a, "tensors"), a.intValue("axis", 0)));
    g.def("squeeze", "x, axis?", "Without axes of size 1 (or only the given one).\nExample: squeeze(zeros(1, 3)).shape  # (3,)",
        a -> Tensors.squeeze(a.tensor("x"), a.has("axis") ? a.intValue("axis") : null));
    g.def("expand_dims", "x, axis", "With a new axis of size 1 at axis.\nExample: expand_dims(x, 0)",
        a -> Tensors.expandDims(a.tensor("x"), a.intValue("axis")));
  }

  private static void installMath(Globals g) {
    g.def("matmul", "a, b", "Matrix product, the same as a @ b (1-D operands act as vectors).\nExample: matmul(w, x)",
        a -> Tensors.matmul(a.tensor("a"), a.tensor("b")));
    g.def("dot", "a, b", "Dot product of vectors, or matrix product (as numpy's dot).\nExample: dot(ws, xs)", TensorLib::dot);
    for (String[] fn : UNARY) {
      g.def(fn[0], "x", fn[1] + ".\nExample: " + fn[0] + "(tensor([-1.0, 0.0, 2.0]))", a -> unary(a, fn[0]));
    }
    g.def("leaky_relu", "x, alpha?",
        "The leaky ReLU activation: x for x > 0, alpha * x otherwise (alpha 0.2 by default, as Keras).\n"
            + "Example: leaky_relu(tensor([-1, 2]))",
        a -> {
          if (!a.has("alpha")) return unary(a, "leaky_relu");
          return Tensors.leakyRelu(a.tensor("x"), a.number("alpha"));
        });
    g.def("softmax", "x, axis?",
        "The softmax activation: exp(x) normalised to sum to 1 along axis (default: the last).\n"
            + "Example: softmax(tensor([1.0, 2.0, 3.0]))",
        a -> Tensors.softmax(a.tensor("x"), a.intValue("axis", -1)));
    g.def("clip", "x, lo?, hi?", "Values limited to [lo, hi] (a missing bound is not applied).\nExample: clip(x, 0, 1)",
        a -> clip(a, "lo", "hi"));
  }

  private static void installReductions(Globals g) {
    String[][] reductions = {
        {"mean", "Mean of the elements"},
        {"std", "Standard deviation of the elements (population, as numpy)"},
        {"var", "Variance of the elements (population, as numpy)"},
        {"prod", "Product of the elements"},
    };
    for (String[] r : reductions) {
      g.def(r[0], "x, axis?, keepdims?", r[1] + ", or along axis; keepdims=true keeps reduced axes as size 1.\n"
          + "Example: " + r[0] + "(x, axis=0)", a -> reduce(a, r[0]));
    }
    g.def("argmax", "x, axis?, keepdims?", "Position of the largest element (in the flattened tensor, or along axis).\n"
        + "Example: argmax(predictions, axis=1)", a -> reduce(a, "argmax"));
    g.def("argmin", "x, axis?, keepdims?", "Position of the smallest element (in the flattened tensor, or along axis).\n"
        + "Example: argmin(distances)", a -> reduce(a, "argmin"));
  }

  /** numpy's spellings, so slide code such as y = f(np.dot(ws, xs) + b) runs as written. */
  private static void installNumpy(Globals g) {
    Namespace np = g.namespace("np");
    g.def(np, "array", "object, dtype?", "A tensor from a (nested) list or a tensor, with NumPy's dtype: int64 for ints, "
        + "bool for bools, a tensor's own, but float32 for Python floats (DLN's float), unless dtype is given.\n"
        + "Example: xs = np.array([1.0, 2.0]); labels = np.array([0, 1, 1])", a -> fromData(a, "object", Tensors::numpyDtype));
    np.put("asarray", np.get("array"));
    g.def(np, "dot", "a, b", "Dot product of vectors, or matrix product.\nExample: np.dot(ws, xs)", TensorLib::dot);
    g.def(np, "matmul", "a, b", "Matrix product (as a @ b).\nExample: np.matmul(w, x)",
        a -> Tensors.matmul(a.tensor("a"), a.tensor("b")));
    g.def(np, "zeros", "shape, dtype?", "A tensor of zeros.\nExample: np.zeros((3, 4))",
        // np.* creators check the size limit like zeros(): np.zeros(float('inf')) asked ND4J for
        // 2**63 elements and glibc aborted the JVM (found by the long fuzz run).
        a -> Tensors.zeros(allowed(a, "np.zeros", shapeOf("np.zeros", List.of(a.get("shape"))), dtype(a, DataType.FLOAT)), dtype(a, DataType.FLOAT)));
    g.def(np, "ones", "shape, dtype?", "A tensor of ones.\nExample: np.ones((2, 2))",
        a -> Tensors.ones(allowed(a, "np.ones", shapeOf("np.ones", List.of(a.get("shape"))), dtype(a, DataType.FLOAT)), dtype(a, DataType.FLOAT)));
    g.def(np, "full", "shape, fill_value, dtype?", "A tensor filled with one value.\nExample: np.full((2, 3), 7)",
        a -> Tensors.full(allowed(a, "np.full", shapeOf("np.full", List.of(a.get("shape"))), dtype(a, DataType.FLOAT)), a.number("fill_value"), dtype(a, DataType.FLOAT)));
    for (String fn : List.of("exp", "log", "sqrt", "square", "tanh", "sin", "cos", "sign", "floor", "ceil")) {
      g.def(np, fn, "x", "Element-wise " + fn + ".\nExample: np." + fn + "(np.array([1.0, 4.0]))", a -> unary(a, fn));
    }
    g.def(np, "abs", "x", "Element-wise absolute value.\nExample: np.abs(np.array([-1.0, 2.0]))", a -> unary(a, "abs"));
    g.def(np, "maximum", "x1, x2", "Element-wise larger of two tensors or numbers (broadcasting).\nExample: np.maximum(x, 0)",
        a -> Tensors.binary("maximum", numberOrTensor(a, "x1"), numberOrTensor(a, "x2")));
    g.def(np, "minimum", "x1, x2", "Element-wise smaller of two tensors or numbers (broadcasting).\nExample: np.minimum(x, 1)",
        a -> Tensors.binary("minimum", numberOrTensor(a, "x1"), numberOrTensor(a, "x2")));
    g.def(np, "clip", "x, a_min, a_max", "Values limited to [a_min, a_max].\nExample: np.clip(x, 0, 1)",
        a -> clip(a, "a_min", "a_max"));
    for (String op : List.of("sum", "mean", "max", "min", "std", "var", "prod", "argmax", "argmin")) {
      g.def(np, op, "x, axis?, keepdims?", "The " + op + " of the elements, or along axis.\nExample: np." + op + "(x, axis=0)",
          a -> reduce(a, op));
    }
    g.def(np, "reshape", "x, newshape", "The same values in a new shape.\nExample: np.reshape(x, (2, -1))",
        a -> Tensors.reshape(a.tensor("x"), shapeOf("np.reshape", List.of(a.get("newshape")))));
    g.def(np, "transpose", "x, axes?", "Axes reversed, or reordered as given.\nExample: np.transpose(w)",
        a -> a.has("axes") ? Tensors.transpose(a.tensor("x"), intsOf("np.transpose", List.of(a.get("axes"))))
            : Tensors.transpose(a.tensor("x")));
    g.def(np, "stack", "arrays, axis?", "Tensors joined along a new axis (default 0).\nExample: np.stack([a, b])",
        a -> Tensors.stack(tensors(a, "arrays"), a.intValue("axis", 0)));
    g.def(np, "flatten", "x", "All values in one dimension.\nExample: np.flatten(x)", a -> Tensors.flatten(a.tensor("x")));
    g.def(np, "expand_dims", "x, axis", "With a new axis of size 1.\nExample: np.expand_dims(x, 0)",
        a -> Tensors.expandDims(a.tensor("x"), a.intValue("axis")));
    g.def(np, "squeeze", "x, axis?", "Without axes of size 1.\nExample: np.squeeze(x)",
        a -> Tensors.squeeze(a.tensor("x"), a.has("axis") ? a.intValue("axis") : null));

    Namespace random = new Namespace("np.random");
    np.put("random", random);
    g.def(random, "seed", "seed", "Seeds the random generator.\nExample: np.random.seed(0)", a -> {
      Tensors.seed(a.integer("seed"));
      return null;
    });

    for (String t : List.of("float32", "float64", "int32", "int64", "uint8")) np.put(t, t);
    np.put("bool_", "bool");
    np.put("pi", Math.PI);
    np.put("e", Math.E);
    np.put("inf", Double.POSITIVE_INFINITY);
    np.put("nan", Double.NaN);
  }

  /** A number or bool argument as it is (numpy's weak scalars), anything else as a tensor. */
  static Object numberOrTensor(Args a, String name) {
    Object v = a.get(name);
    return Values.isNumber(v) || v instanceof Boolean ? v : a.tensor(name);
  }

  // ---- tensor values --------------------------------------------------------------------------

  private static void installTensorType() {
    TypeTable.define(DType.class, "dtype")
        .attr("name", DType::name)
        .attr("kind", DType::kind)
        .attr("itemsize", DType::itemsize)
        .repr(d -> "dtype('" + d.name() + "')");
    TypeTable.Type<INDArray> type = TypeTable.define(INDArray.class, "tensor")
        .attr("shape", TensorLib::shapeTuple)
        .attr("dtype", x -> new DType(Tensors.dtypeName(x.dataType())))
        .attr("T", Tensors::transpose)
        .attr("ndim", x -> (long) x.rank())
        .attr("size", INDArray::length)
        .method("reshape", "*shape", "The same values in a new shape; one size may be -1.\nExample: x.reshape(2, -1)",
            (INDArray x, Args a) -> Tensors.reshape(x, shapeOf("reshape", a.rest())))
        .method("transpose", "*axes", "Axes reversed, or reordered as given.\nExample: x.transpose()",
            (INDArray x, Args a) -> a.rest().isEmpty() ? Tensors.transpose(x) : Tensors.transpose(x, intsOf("transpose", a.rest())))
        .method("flatten", "", "All values in one dimension.\nExample: x.flatten()", (INDArray x, Args a) -> Tensors.flatten(x))
        .method("squeeze", "axis?", "Without axes of size 1.\nExample: x.squeeze()",
            (INDArray x, Args a) -> Tensors.squeeze(x, a.has("axis") ? a.intValue("axis") : null))
        .method("astype", "dtype", "A copy with another dtype.\nExample: x.astype('int64')",
            (INDArray x, Args a) -> Tensors.astype(x, Tensors.dtype(a.nameLike("dtype"))))
        .method("copy", "", "An independent copy.\nExample: y = x.copy()", (INDArray x, Args a) -> x.dup())
        // TensorFlow code converts its tensors with .numpy(); a DLN tensor already is the array.
        .method("numpy", "", "The tensor itself, as TensorFlow's tensor.numpy() gives its NumPy array.\n"
            + "Example: predictions = model(x[:1]).numpy()", (INDArray x, Args a) -> x)
        .method("clip", "min?, max?", "Values limited to [min, max].\nExample: x.clip(0, 1)", (INDArray x, Args a) ->
            Tensors.clip(x, a.has("min") ? a.number("min") : null, a.has("max") ? a.number("max") : null))
        .method("tolist", "", "The values as (nested) lists of numbers.\nExample: x.tolist()",
            (INDArray x, Args a) -> Tensors.toNested(x))
        .method("item", "", "The value of a one-element tensor as a number.\nExample: loss.item()",
            (INDArray x, Args a) -> Tensors.item(x));
    for (String op : List.of("sum", "mean", "max", "min", "std", "var", "prod", "argmax", "argmin")) {
      type.method(op, "axis?, keepdims?", "The " + op + " of the elements, or along axis.\nExample: x." + op + "(axis=0)",
          (INDArray x, Args a) -> Tensors.reduce(op, x, axes(a), a.bool("keepdims", false)));
    }
  }

  /** Names usable as {@code activation=...}; each is also a builtin function of that name. */
  public static final List<String> ACTIVATIONS = List.of("linear", "sigmoid", "tanh", "relu", "elu", "softmax",
      "leaky_relu", "softplus", "selu", "gelu", "swish");
}

package dln.runtime.autodiff;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reverse-mode gradients of a scalar function of tensors, by tracing: the function runs once with
 * {@link Traced} stand-ins for its parameters, building a SameDiff graph, and SameDiff computes the
 * gradients. Eager tensors met along the way become constants.
 */
public final class Tape {
  private final SameDiff sd = SameDiff.create();
  private int constants;

  private Tape() {}

  /**
   * Gradients of {@code f} with respect to each parameter (tensors or {@link Variable}s). {@code f}
   * receives the traced parameters (Variables are traced in place as well) and must return a
   * one-element Traced result.
   */
  public static List<INDArray> gradients(List<Object> params, Function<List<Object>, Object> f) {
    Tape tape = new Tape();
    List<Object> tracedArgs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Variable> variables = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      INDArray value = p instanceof Variable v ? v.value() : (INDArray) p;
      SDVariable var = tape.sd.var("p" + i, value.castTo(DataType.FLOAT).dup());
      names.add(var.name());
      Traced t = new Traced(var);
      tracedArgs.add(t);
      if (p instanceof Variable v) {
        v.trace(t);
        variables.add(v);
      }
    }
    Object result;
    try {
      result = f.apply(tracedArgs);
    } finally {
      for (Variable v : variables) v.trace(null);
    }
    SDVariable loss;
    if (result instanceof Traced t) {
      loss = t.var();
    } else {
      throw DlnRuntimeException.value("grad() needs the function to compute its result from the parameters; it returned "
          + (result instanceof INDArray ? "a tensor that does not depend on them" : "a value that is not a tensor"),
          "use the function's arguments (or the Variables) in the computation");
    }
    long[] shape = loss.getShape();
    long n = shape == null ? 1 : Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != 1) {
      throw DlnRuntimeException.value("grad() needs the function to return a single number, got a tensor of shape "
          + Arrays.toString(shape), "reduce it first, e.g. return mean(square(y - t))");
    }
    tape.sd.setLossVariables(loss.name());
    Map<String, INDArray> grads = dln.runtime.Muted.call(() -> tape.sd.calculateGradients(Map.of(), names));
    List<INDArray> out = new ArrayList<>();
    for (String name : names) out.add(grads.get(name));
    return out;
  }

  /** A graph and the values computed in it so far, by variable name (see {@link #keepValues}). */
  private record Kept(SameDiff graph, Map<String, INDArray> values) {}

  /**
   * The kept values of this thread's most recent graphs, newest first; compared by identity
   * (SameDiff's hashCode follows its contents, which grow). Older graphs just evaluate again.
   */
  private static final ThreadLocal<java.util.ArrayDeque<Kept>> VALUES = ThreadLocal.withInitial(java.util.ArrayDeque::new);
  private static final int KEPT_GRAPHS = 8;

  /**
   * Makes {@link #value} remember the values of {@code sd}'s variables, and returns the map it keeps
   * them in, for a graph whose values never change once recorded (a gradient tape's: its variables
   * are copies taken when first used), so a value asked for twice, or already computed by the
   * gradient's forward pass, is not computed again.
   */
  public static Map<String, INDArray> keepValues(SameDiff sd) {
    Map<String, INDArray> values = new java.util.HashMap<>();
    java.util.ArrayDeque<Kept> kept = VALUES.get();
    kept.addFirst(new Kept(sd, values));
    while (kept.size() > KEPT_GRAPHS) kept.removeLast();
    return values;
  }

  /** Evaluates a traced expression (for printing inside a traced function). */
  public static INDArray value(Traced t) {
    Map<String, INDArray> kept = null;
    for (Kept k : VALUES.get()) if (k.graph() == t.var().getSameDiff()) kept = k.values();
    if (kept == null) return t.var().eval();
    INDArray v = kept.get(t.var().name());
    if (v == null) {
      v = t.var().eval();
      kept.put(t.var().name(), v);
    }
    return v;
  }

  // ------------------------------------------------------------------------------- traced ops

  private static SameDiff graph(Object a, Object b) {
    if (a instanceof Traced t) return t.var().getSameDiff();
    return ((Traced) b).var().getSameDiff();
  }

  private static SDVariable lift(SameDiff sd, Object v) {
    if (v instanceof Traced t) return t.var();
    if (v instanceof Variable var) return lift(sd, var.current());
    if (v instanceof INDArray arr) return sd.constant(arr.castTo(DataType.FLOAT));
    if (v instanceof Number n) return sd.constant(Nd4j.scalar(n.floatValue()));
    if (v instanceof Boolean b) return sd.constant(Nd4j.scalar(b ? 1f : 0f));
    throw DlnRuntimeException.value("cannot use " + v.getClass().getSimpleName() + " in a differentiated expression");
  }

  /** {@code a op b} where at least one side is traced. */
  public static Traced binary(String op, Object a, Object b) {
    SameDiff sd = graph(a, b);
    SDVariable x = lift(sd, a);
    SDVariable y = lift(sd, b);
    long[] shape = resultShape(op, shapeOf(a), shapeOf(b));
    SDVariable r = switch (op) {
      case "+" -> x.add(y);
      case "-" -> x.sub(y);
      case "*" -> x.mul(y);
      case "/" -> x.div(y);
      case "@" -> x.mmul(y);
      case "**" -> sd.math.pow(x, y);
      default -> throw DlnRuntimeException.value("the operator " + op + " cannot be differentiated",
          "grad() supports + - * / @ ** and the math and activation functions");
    };
    return new Traced(r, shape);
  }

  private static long[] shapeOf(Object v) {
    if (v instanceof Traced t) return t.knownShape();
    if (v instanceof Variable var) return shapeOf(var.current());
    if (v instanceof INDArray arr) return arr.shape();
    return new long[0];
  }

  /**
   * The shape of {@code a op b}, or null when an operand's is unknown. Mismatches are refused
   * here, while the user's expression is evaluated, so the error points at it rather than at the
   * graph run later. An unknown (batch) dimension matches anything.
   */
  private static long[] resultShape(String op, long[] a, long[] b) {
    if (a == null || b == null) return null;
    if (op.equals("@")) {
      if (a.length < 2 || b.length < 2) return null;
      long inner = a[a.length - 1];
      long rows = b[b.length - 2];
      if (inner >= 0 && rows >= 0 && inner != rows) {
        throw DlnRuntimeException.shape("matmul: the shapes " + Shapes.format(a) + " and " + Shapes.format(b)
            + " do not fit: " + inner + " columns against " + rows + " rows",
            "the second operand needs as many rows as the first has columns (for a layer's weight: shape=(input_shape[-1], units))");
      }
      long[] out = a.clone();
      out[out.length - 1] = b[b.length - 1];
      return out;
    }
    int n = Math.max(a.length, b.length);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long da = i < n - a.length ? 1 : a[i - (n - a.length)];
      long db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da == db || db == 1) out[i] = da;
      else if (da == 1) out[i] = db;
      else if (da < 0) out[i] = db;
      else if (db < 0) out[i] = da;
      else throw DlnRuntimeException.shape("operands could not be broadcast together with shapes " + Shapes.format(a) + " "
          + Shapes.format(b), "matching axes from the right, each pair of sizes must be equal or one of them must be 1");
    }
    return out;
  }

  /** A math or activation function of a traced value. */
  public static Traced unary(String fn, Traced t) {
    SDVariable x = t.var();
    SameDiff sd = x.getSameDiff();
    SDVariable r = switch (fn) {
      case "neg" -> x.neg();
      case "exp" -> sd.math.exp(x);
      case "log" -> sd.math.log(x);
      case "sqrt" -> sd.math.sqrt(x);
      case "abs" -> sd.math.abs(x);
      case "square" -> sd.math.square(x);
      case "sin" -> sd.math.sin(x);
      case "cos" -> sd.math.cos(x);
      case "linear" -> x;
      case "sigmoid" -> sd.nn.sigmoid(x);
      case "tanh" -> sd.math.tanh(x);
      case "relu" -> sd.nn.relu(x, 0);
      case "elu" -> sd.nn.elu(x);
      case "softmax" -> sd.nn.softmax(x, -1);
      case "leaky_relu" -> sd.nn.leakyRelu(x, 0.2);
      case "softplus" -> sd.nn.softplus(x);
      case "selu" -> sd.nn.selu(x);
      case "gelu" -> sd.nn.gelu(x);
      case "swish" -> sd.nn.swish(x);
      default -> throw DlnRuntimeException.value(fn + "() cannot be differentiated");
    };
    return new Traced(r, t.knownShape());
  }

  /** sum/mean/max/min of a traced value over axes (null = all). */
  public static Traced reduce(String op, Traced t, int[] axes, boolean keepdims) {
    SDVariable x = t.var();
    int[] dims = axes == null ? new int[0] : axes;
    SDVariable r = switch (op) {
      case "sum" -> x.sum(keepdims, dims);
      case "mean" -> x.mean(keepdims, dims);
      case "max" -> x.max(keepdims, dims);
      case "min" -> x.min(keepdims, dims);
      case "std" -> x.std(null, false, keepdims, dims);
      default -> throw DlnRuntimeException.value(op + "() cannot be differentiated");
    };
    return new Traced(r, reducedShape(t.knownShape(), axes, keepdims));
  }

  private static long[] reducedShape(long[] in, int[] axes, boolean keepdims) {
    if (in == null) return null;
    boolean[] reduced = new boolean[in.length];
    if (axes == null || axes.length == 0) java.util.Arrays.fill(reduced, true);
    else for (int a : axes) reduced[Shapes.axis(a, in.length)] = true;
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      if (!reduced[i]) out.add(in[i]);
      else if (keepdims) out.add(1L);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** Transpose of a traced matrix. */
  public static Traced transpose(Traced t) {
    long[] s = t.knownShape();
    long[] reversed = null;
    if (s != null) {
      reversed = new long[s.length];
      for (int i = 0; i < s.length; i++) reversed[i] = s[s.length - 1 - i];
    }
    return new Traced(t.var().getSameDiff().transpose(t.var()), reversed);
  }
}

package dln.runtime.autodiff;

import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;

/**
 * Reverse-mode gradients built as ordinary operations of the graph they differentiate, so that
 * they can be differentiated again (TensorFlow's nested tapes, PyTorch's {@code create_graph}).
 * SameDiff's own backward pass cannot serve: in ND4J 1.0.0-M2.1 the ops it emits ({@code add_bp},
 * {@code tanh_bp}, {@code conv2d_bp}, ...) have no derivative of their own. Here each op's
 * derivative is written with the ops this class itself differentiates (multiply, add, matmul,
 * transpose, reshape, reductions and elementwise functions), so any order of derivative works.
 * An op without a rule is refused by name: a wrong number is never returned.
 *
 * <p>The graph's values are fixed once recorded (a tape's variables are copies), so shapes are
 * taken from the values themselves; broadcasting is undone with static axes.
 */
public final class RecordedGradients {
  private final SameDiff sd;
  private final Map<String, INDArray> values;
  private final Map<String, SDVariable> grads = new HashMap<>();

  private RecordedGradients(SameDiff sd, Map<String, INDArray> values) {
    this.sd = sd;
    this.values = values;
  }

  /**
   * The gradients of {@code target} (a result of {@code sd}; several elements are summed) with
   * respect to the named variables, as new variables of {@code sd}; null for a source the target
   * does not depend on.
   *
   * @param values values of {@code sd}'s variables computed so far, by name; those this computes
   *     to learn shapes are added (the graph's values never change)
   */
  public static List<SDVariable> of(SameDiff sd, SDVariable target, List<String> sources, Map<String, INDArray> values) {
    RecordedGradients g = new RecordedGradients(sd, values);
    return g.run(target, sources);
  }

  private List<SDVariable> run(SDVariable target, List<String> sources) {
    List<SameDiffOp> ops = new ArrayList<>();
    visit(target.name(), new HashSet<>(), ops);
    Set<String> dependent = dependents(ops, sources);
    ops.removeIf(op -> op.getInputsToOp() == null || op.getInputsToOp().stream().noneMatch(dependent::contains));
    knowShapes(ops);
    SDVariable seed = sd.onesLike(target);
    grads.put(target.name(), seed);
    for (int i = ops.size() - 1; i >= 0; i--) {
      SameDiffOp op = ops.get(i);
      String out = op.getOutputsOfOp().get(0);
      SDVariable g = grads.get(out);
      if (g == null) continue;
      List<String> ins = op.getInputsToOp();
      SDVariable[] dIns = rule(op, g, ins, out);
      for (int k = 0; k < Math.min(ins.size(), dIns.length); k++) {
        if (dIns[k] != null && dependent.contains(ins.get(k))) accumulate(ins.get(k), dIns[k]);
      }
    }
    List<SDVariable> out = new ArrayList<>();
    for (String s : sources) out.add(grads.get(s));
    return out;
  }

  private void accumulate(String name, SDVariable g) {
    SDVariable had = grads.get(name);
    grads.put(name, had == null ? g : had.add(g));
  }

  /**
   * The ops the target is computed by, in an order they can run in: a post-order walk towards the
   * inputs (iterative: a deep network's graph is long).
   */
  private void visit(String root, Set<String> visited, List<SameDiffOp> order) {
    record Frame(String op, int next) {}
    java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
    String first = producer(root);
    if (first == null || !visited.add(first)) return;
    stack.push(new Frame(first, 0));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      List<String> ins = sd.getOps().get(f.op()).getInputsToOp();
      if (ins != null && f.next() < ins.size()) {
        stack.push(new Frame(f.op(), f.next() + 1));
        String p = producer(ins.get(f.next()));
        if (p != null && visited.add(p)) stack.push(new Frame(p, 0));
      } else {
        order.add(sd.getOps().get(f.op()));
      }
    }
  }

  private String producer(String variable) {
    org.nd4j.autodiff.samediff.internal.Variable v = sd.getVariables().get(variable);
    return v == null ? null : v.getOutputOfOp();
  }

  /** The variables that depend on a source, given the ops in running order. */
  private static Set<String> dependents(List<SameDiffOp> ops, List<String> sources) {
    Set<String> dep = new HashSet<>(sources);
    for (SameDiffOp op : ops) {
      List<String> ins = op.getInputsToOp();
      if (ins != null && ins.stream().anyMatch(dep::contains)) dep.addAll(op.getOutputsOfOp());
    }
    return dep;
  }

  /** Computes, in one pass, the values whose shapes the rules need and that are not known yet. */
  private void knowShapes(List<SameDiffOp> ops) {
    Set<String> wanted = new LinkedHashSet<>();
    for (SameDiffOp op : ops) {
      if (op.getInputsToOp() != null) wanted.addAll(op.getInputsToOp());
      wanted.addAll(op.getOutputsOfOp());
    }
    List<String> compute = new ArrayList<>();
    for (String n : wanted) {
      if (values.containsKey(n)) continue;
      SDVariable v = sd.getVariable(n);
      if (v.getVariableType() == VariableType.ARRAY) compute.add(n);
      else if (v.getArr() != null) values.put(n, v.getArr());
    }
    if (!compute.isEmpty()) values.putAll(dln.runtime.Muted.call(() -> sd.output(Map.of(), compute)));
  }

  private long[] shape(String name) {
    INDArray v = values.get(name);
    if (v == null) throw new IllegalStateException("no value for " + name);
    return v.shape();
  }

  private SDVariable v(String name) {
    return sd.getVariable(name);
  }

  // ------------------------------------------------------------------------------- the rules

  /** The gradients of op's inputs given its output's gradient {@code g}; null for none. */
  private SDVariable[] rule(SameDiffOp op, SDVariable g, List<String> ins, String out) {
    DifferentialFunction f = op.getOp();
    SDVariable x = v(ins.get(0));
    SDVariable y = v(out);
    String name = f.opName();
    return switch (name) {
      case "add", "mergeadd" -> each(ins, i -> unbroadcast(g, out, ins.get(i)));
      case "subtract", "sub" -> new SDVariable[] {unbroadcast(g, out, ins.get(0)), unbroadcast(g.neg(), out, ins.get(1))};
      case "multiply", "mul" -> new SDVariable[] {
          unbroadcast(g.mul(v(ins.get(1))), out, ins.get(0)), unbroadcast(g.mul(x), out, ins.get(1))};
      case "divide", "div" -> {
        SDVariable b = v(ins.get(1));
        yield new SDVariable[] {unbroadcast(g.div(b), out, ins.get(0)), unbroadcast(g.mul(y).div(b).neg(), out, ins.get(1))};
      }
      case "add_scalar", "sub_scalar" -> one(g);
      case "mul_scalar" -> one(g.mul(scalar(f)));
      case "div_scalar" -> one(g.div(scalar(f)));
      case "rsub_scalar" -> one(g.neg());
      case "rdiv_scalar" -> one(g.mul(y).div(x).neg());
      case "pow" -> {
        double c = ((Number) f.propertiesForFunction().get("pow")).doubleValue();
        yield one(c == 1 ? g : c == 2 ? g.mul(x).mul(2.0) : g.mul(sd.math.pow(x, c - 1)).mul(c));
      }
      case "Pow" -> {
        SDVariable p = v(ins.get(1));
        yield new SDVariable[] {unbroadcast(g.mul(p).mul(sd.math.pow(x, p.sub(1.0))), out, ins.get(0)),
            unbroadcast(g.mul(y).mul(sd.math.log(x)), out, ins.get(1))};
      }
      case "neg" -> one(g.neg());
      case "exp" -> one(g.mul(y));
      case "log" -> one(g.div(x));
      case "sqrt" -> one(g.div(y.mul(2.0)));
      case "square" -> one(g.mul(x).mul(2.0));
      case "abs" -> one(g.mul(sd.math.sign(x)));
      case "sin" -> one(g.mul(sd.math.cos(x)));
      case "cos" -> one(g.mul(sd.math.sin(x)).neg());
      case "erf" -> one(g.mul(sd.math.exp(sd.math.square(x).neg())).mul(2.0 / Math.sqrt(Math.PI)));
      case "sigmoid" -> one(g.mul(y).mul(y.rsub(1.0)));
      case "tanh" -> one(g.mul(sd.math.square(y).rsub(1.0)));
      case "softplus" -> one(g.mul(sd.nn.sigmoid(x)));
      case "swish" -> {
        SDVariable s = sd.nn.sigmoid(x);
        yield one(g.mul(s.add(x.mul(s).mul(s.rsub(1.0)))));
      }
      case "gelu" -> {
        // libnd4j's gelu is the sigmoid approximation x * sigmoid(1.702 x).
        SDVariable s = sd.nn.sigmoid(x.mul(1.702));
        yield one(g.mul(s.add(x.mul(1.702).mul(s).mul(s.rsub(1.0)))));
      }
      case "relu" -> one(g.mul(positive(x)));
      case "leakyrelu" -> {
        double alpha = ((Number) f.propertiesForFunction().get("alpha")).doubleValue();
        yield one(g.mul(positive(x).mul(1.0 - alpha).add(alpha)));
      }
      case "elu" -> {
        double alpha = ((Number) f.propertiesForFunction().get("alpha")).doubleValue();
        SDVariable s = positive(x);
        yield one(g.mul(s.add(s.rsub(1.0).mul(y.add(alpha)))));
      }
      case "selu" -> {
        // SELU's constants, as libnd4j defines them.
        double scale = 1.0507009873554804934193349852946;
        double alpha = 1.6732632423543772848170429916717;
        SDVariable s = positive(x);
        yield one(g.mul(s.mul(scale).add(s.rsub(1.0).mul(y.add(scale * alpha)))));
      }
      case "softmax" -> {
        int axis = ((Number) f.propertiesForFunction().get("dimension")).intValue();
        yield one(y.mul(g.sub(g.mul(y).sum(true, axis))));
      }
      case "matmul" -> matmul(f, g, ins);
      case "reduce_sum" -> one(spread(g, (ReduceOp) f, ins.get(0)));
      case "reduce_mean" -> {
        long[] in = shape(ins.get(0));
        long n = dln.runtime.Shapes.size(in) / Math.max(1, dln.runtime.Shapes.size(shape(out)));
        yield one(spread(g, (ReduceOp) f, ins.get(0)).div((double) n));
      }
      case "reduce_max", "reduce_min" -> {
        // The gradient goes to the extreme elements, shared equally among ties.
        SDVariable hit = x.eq(spread(y, (ReduceOp) f, ins.get(0))).castTo(DataType.FLOAT);
        SDVariable ties = spread(hit.sum(((ReduceOp) f).isKeepDims(), reduced((ReduceOp) f, shape(ins.get(0)).length)),
            (ReduceOp) f, ins.get(0));
        yield one(spread(g, (ReduceOp) f, ins.get(0)).mul(hit).div(ties));
      }
      case "transpose" -> {
        if (ins.size() > 1 || shape(ins.get(0)).length != 2) yield refuse(f, "a transpose other than of a matrix");
        yield one(sd.transpose(g));
      }
      case "reshape", "expand_dims", "squeeze" -> new SDVariable[] {g.reshape(shape(ins.get(0))), null};
      case "identity" -> one(g);
      case "cast" -> one(x.dataType().isFPType() ? g.castTo(x.dataType()) : null);
      // Piecewise constant: their derivative is zero wherever it exists.
      case "zeroslike", "ones_as", "sign", "step", "greaterthan_scalar", "lessthan_scalar", "equals", "greater", "less",
          "round", "floor", "ceil" -> new SDVariable[ins.size()];
      default -> refuse(f, null);
    };
  }

  private SDVariable[] matmul(DifferentialFunction f, SDVariable g, List<String> ins) {
    Map<String, Object> p = f.propertiesForFunction();
    if (Boolean.TRUE.equals(p.get("transposeResult")) || shape(ins.get(0)).length != 2 || shape(ins.get(1)).length != 2) {
      return refuse(f, "a matmul other than of two matrices");
    }
    boolean ta = Boolean.TRUE.equals(p.get("transposeA"));
    boolean tb = Boolean.TRUE.equals(p.get("transposeB"));
    SDVariable a = v(ins.get(0));
    SDVariable b = v(ins.get(1));
    SDVariable opA = ta ? sd.transpose(a) : a;
    SDVariable opB = tb ? sd.transpose(b) : b;
    SDVariable dOpA = g.mmul(sd.transpose(opB));
    SDVariable dOpB = sd.transpose(opA).mmul(g);
    return new SDVariable[] {ta ? sd.transpose(dOpA) : dOpA, tb ? sd.transpose(dOpB) : dOpB};
  }

  private static SDVariable[] one(SDVariable g) {
    return new SDVariable[] {g};
  }

  private static SDVariable[] each(List<String> ins, java.util.function.IntFunction<SDVariable> f) {
    SDVariable[] out = new SDVariable[ins.size()];
    for (int i = 0; i < out.length; i++) out[i] = f.apply(i);
    return out;
  }

  private static double scalar(DifferentialFunction f) {
    return ((ScalarOp) f).scalar().getDouble(0);
  }

  /** 1 where x > 0, else 0: a constant of the graph as far as derivatives go. */
  private static SDVariable positive(SDVariable x) {
    return x.gt(0.0).castTo(DataType.FLOAT);
  }

  /** A broadcast operand's share of {@code g}: summed over the axes it was broadcast along. */
  private SDVariable unbroadcast(SDVariable g, String out, String in) {
    long[] so = shape(out);
    long[] si = shape(in);
    if (java.util.Arrays.equals(so, si)) return g;
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < so.length; i++) {
      int j = i - (so.length - si.length);
      if (j < 0 || (si[j] == 1 && so[i] != 1)) axes.add(i);
    }
    SDVariable summed = axes.isEmpty() ? g : g.sum(true, axes.stream().mapToInt(Integer::intValue).toArray());
    return summed.reshape(si);
  }

  /** The axes a reduction removed (all of them for its "all axes" marker). */
  private static int[] reduced(ReduceOp f, int rank) {
    INDArray d = f.dimensions();
    if (d == null || d.length() == 0 || d.getInt(0) == Integer.MAX_VALUE) {
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) all[i] = i;
      return all;
    }
    int[] out = d.toIntVector();
    for (int i = 0; i < out.length; i++) if (out[i] < 0) out[i] += rank;
    return out;
  }

  /** A reduction's result (or its gradient) spread back over the input's shape. */
  private SDVariable spread(SDVariable g, ReduceOp f, String in) {
    long[] si = shape(in);
    long[] kept = si.clone();
    for (int a : reduced(f, si.length)) kept[a] = 1;
    return g.reshape(kept).add(sd.zerosLike(v(in)));
  }

  private static SDVariable[] refuse(DifferentialFunction f, String which) {
    String op = which != null ? which : "the operation " + f.opName();
    throw DlnRuntimeException.value("a gradient that is to be differentiated again (a tape inside another tape) cannot go through "
        + op + ": DLN has no second derivative for it",
        "second derivatives go through Dense layers, + - * / ** @, the math and activation functions and the reductions; "
            + "compute this gradient outside the outer tape if the outer tape does not need it");
  }
}

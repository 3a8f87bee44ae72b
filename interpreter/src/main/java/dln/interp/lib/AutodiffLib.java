package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Builtin;
import dln.interp.call.TypeTable;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.autodiff.Recording;
import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code grad(f, params)} and {@code Variable(t)} for the "one neuron" and "backpropagation" lessons.
 * Must be installed after the tensor library: it wraps the math and activation functions so that
 * they also accept values being traced for differentiation.
 */
public final class AutodiffLib implements Library {
  private static final List<String> UNARY = List.of("exp", "log", "sqrt", "abs", "square", "sin", "cos", "linear",
      "sigmoid", "tanh", "relu", "elu", "softmax", "leaky_relu", "softplus", "selu", "gelu", "swish");
  private static final List<String> REDUCE = List.of("sum", "mean", "max", "min", "std");

  /** A parameter grad() can differentiate by: a tensor or Variable as is, numbers and nested lists as a tensor. */
  private static Object differentiable(Object p) {
    INDArray value = p instanceof Variable v ? v.value() : p instanceof INDArray t ? t : null;
    // SameDiff refuses an empty variable with an IllegalArgumentException (found by the fuzzer).
    if (value != null && value.isEmpty()) {
      throw DlnException.value("grad() cannot differentiate by an empty tensor (shape "
          + dln.runtime.Shapes.str(value.shape()) + ")", "a dimension of the parameter is 0; check how it was made");
    }
    if (value != null) return p;
    if (Values.isNumber(p) || p instanceof List) return Values.toTensor(p);
    throw DlnException.type("grad() parameters must be tensors or Variables, got " + Values.typeName(p));
  }

  @Override
  public void install(Globals g) {
    g.def("grad", "f, params",
        "Gradients of a function returning one number, by reverse-mode autodiff: with one tensor as params, its\n"
            + "gradient; with a list or tuple of parameters, a list of their gradients, in order.\n"
            + "f receives the parameters in order (Variables may also be used directly inside f).\n"
            + "Example: gw, gb = grad(lambda w, b: mean(square(x @ w + b - y)), [w, b]); gx = grad(lambda x: sum(x * x), x)",
        a -> {
          Object given = a.get("params");
          // One tensor gives one gradient, as in JAX's grad: grad(f, w), not grad(f, [w])[0].
          boolean single = !(given instanceof List || given instanceof Tuple);
          List<Object> params = new ArrayList<>();
          for (Object p : single ? List.of(given) : a.list("params")) params.add(differentiable(p));
          Object f = a.get("f");
          List<INDArray> grads = Tape.gradients(params, traced -> {
            Object r = a.invoker().call(f, traced, Map.of());
            if (r instanceof Variable v) r = v.current();
            return r;
          });
          return single ? grads.get(0) : new ArrayList<Object>(grads);
        });
    g.def("Variable", "value",
        "A trainable tensor for hand-written models: use it like a tensor, differentiate with grad, update with an optimiser's step.\n"
            + "Example: w = Variable(randn(2, 1))",
        a -> new Variable(a.tensor("value")));
    TypeTable.define(Variable.class, "Variable")
        .attr("value", Variable::value)
        .attr("shape", v -> shape(v.value()))
        .method("numpy", "", "A copy of the current value as a tensor.\nExample: layer.w.numpy()", (Variable v, Args a) -> v.value().dup())
        .attr("dtype", v -> "float32")
        .method("assign", "value", "Replaces the value (same shape).", (Variable v, Args a) -> {
          v.assign(a.tensor("value"));
          return v;
        })
        .method("assign_add", "delta", "Adds delta to the value in place.\nExample: step.assign_add(1.0)", (Variable v, Args a) -> {
          v.assignAdd(a.tensor("delta"));
          return v;
        })
        .method("assign_sub", "delta", "Subtracts delta from the value in place (a hand-written SGD step).\n"
            + "Example: w.assign_sub(0.1 * dw)", (Variable v, Args a) -> {
          v.assignSub(a.tensor("delta"));
          return v;
        })
        .repr(v -> "Variable(" + Tensors.format(v.value()) + ")");
    TypeTable.define(Traced.class, "tensor")
        .attr("shape", AutodiffLib::tracedShape)
        .attr("T", Tape::transpose)
        .method("numpy", "", "The value now, as a tensor (of a loss recorded by a gradient tape, say).\nExample: loss.numpy()",
            (Traced t, Args a) -> Tape.value(t))
        .repr(t -> "traced " + Tensors.format(Tape.value(t)));
    for (String fn : UNARY) wrapUnary(g, fn);
    for (String fn : REDUCE) wrapReduce(g, fn);
    wrapNamespace(g);
  }

  /** A traced value's shape, with None for the batch axis of a custom layer's input. */
  private static Tuple tracedShape(Traced t) {
    return ModelLib.shapeTuple(t.shape());
  }

  private static dln.interp.value.Tuple shape(INDArray t) {
    List<Object> dims = new ArrayList<>();
    for (long d : t.shape()) dims.add(d);
    return new dln.interp.value.Tuple(dims);
  }

  /** Redefines fn so that a traced (or Variable) argument is differentiated; otherwise the original runs. */
  private static void wrapUnary(Globals g, String fn) {
    Object previous = g.get(fn);
    if (!(previous instanceof Builtin b)) return;
    g.def(fn, b.params().toString(), b.doc(), a -> {
      Object first = firstArg(a, b);
      first = Recording.resolve(first);
      if (first instanceof Traced t) return Tape.unary(fn, t);
      return delegate(a, b, first);
    });
  }

  private static void wrapReduce(Globals g, String fn) {
    Object previous = g.get(fn);
    if (!(previous instanceof Builtin b)) return;
    g.def(fn, b.params().toString(), b.doc(), a -> {
      Object first = firstArg(a, b);
      first = Recording.resolve(first);
      if (first instanceof Traced t) {
        int[] axes = a.has("axis") ? a.ints("axis", 0) : null;
        return Tape.reduce(fn, t, axes, a.bool("keepdims", false));
      }
      return delegate(a, b, first);
    });
  }

  private static void wrapNamespace(Globals g) {
    Object np = g.get("np");
    if (!(np instanceof dln.interp.value.Namespace ns)) return;
    for (String fn : List.of("exp", "log", "sqrt", "abs", "square", "tanh", "sin", "cos")) {
      Object prev = ns.get(fn);
      if (prev instanceof Builtin b) {
        ns.put(fn, new Builtin(b.name(), b.params().toString(), b.doc(), a -> {
          Object first = firstArg(a, b);
          first = Recording.resolve(first);
          if (first instanceof Traced t) return Tape.unary(fn, t);
          return delegate(a, b, first);
        }));
      }
    }
    for (String fn : List.of("sum", "mean", "max", "min")) {
      Object prev = ns.get(fn);
      if (prev instanceof Builtin b) {
        ns.put(fn, new Builtin(b.name(), b.params().toString(), b.doc(), a -> {
          Object first = firstArg(a, b);
          first = Recording.resolve(first);
          if (first instanceof Traced t) return Tape.reduce(fn, t, a.has("axis") ? a.ints("axis", 0) : null, a.bool("keepdims", false));
          return delegate(a, b, first);
        }));
      }
    }
    Object dot = ns.get("dot");
    if (dot instanceof Builtin b) {
      ns.put("dot", new Builtin(b.name(), b.params().toString(), b.doc(), a -> {
        List<Object> pos = positional(a, b);
        if (pos.size() == 2) {
          Object x = Recording.resolve(pos.get(0));
          Object y = Recording.resolve(pos.get(1));
          if (x instanceof Traced || y instanceof Traced) return Tape.binary("@", x, y);
        }
        return b.call(a.invoker(), unwrap(pos), a.restKeywords());
      }));
    }
  }

  /** The first positional argument, whatever the wrapped builtin calls it. */
  private static Object firstArg(Args a, Builtin b) {
    List<Object> pos = positional(a, b);
    return pos.isEmpty() ? null : pos.get(0);
  }

  /** Re-assembles positional arguments: named parameters in order, then *args. */
  private static List<Object> positional(Args a, Builtin b) {
    List<Object> out = new ArrayList<>();
    for (var p : b.params().params()) {
      if (p.keywordOnly()) continue;
      Object v = a.get(p.name());
      if (v == null) break;
      out.add(v);
    }
    out.addAll(a.rest());
    return out;
  }

  private static List<Object> unwrap(List<Object> xs) {
    List<Object> out = new ArrayList<>();
    for (Object x : xs) out.add(x instanceof Variable v ? v.value() : x);
    return out;
  }

  /** Calls the original builtin with the same arguments (Variables replaced by their values). */
  private static Object delegate(Args a, Builtin b, Object first) {
    List<Object> pos = unwrap(positional(a, b));
    Map<String, Object> kw = new java.util.LinkedHashMap<>();
    int positionalCount = pos.size() - a.rest().size();
    int i = 0;
    for (var p : b.params().params()) {
      Object v = a.get(p.name());
      if (v == null) continue;
      if (!p.keywordOnly() && i < positionalCount) {
        i++;
        continue;
      }
      kw.put(p.name(), v instanceof Variable var ? var.value() : v);
    }
    kw.putAll(a.restKeywords());
    return b.call(a.invoker(), pos, kw);
  }
}

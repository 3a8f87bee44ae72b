package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.Iteration;
import dln.interp.value.Namespace;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.autodiff.Variable;
import dln.runtime.train.GradientTape;
import dln.runtime.train.MetricState;
import dln.runtime.train.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pieces of a Keras custom training loop ("writing a training loop from scratch"):
 * {@code tf.GradientTape}, {@code optimizer.apply_gradients(zip(grads, vars))} and metric objects
 * with {@code update_state}/{@code result}/{@code reset_state}. The tape records through the same
 * tracing as {@code grad()} ({@link GradientTape}); a model called inside it and a loss object
 * called on what it returned are added to the tape's graph by {@link ModelTypes}.
 */
public final class GradientTapeLib implements Library {
  @Override
  public void install(Globals g) {
    Namespace tf = g.module("tensorflow");
    g.def(tf, "GradientTape", "persistent?, watch_accessed_variables?",
        "Records the computations of a with block so that tape.gradient(loss, variables) can differentiate them;\n"
            + "variables (model.trainable_variables, tf.Variable) are watched when used, tensors by tape.watch(x).\n"
            + "persistent=True allows several gradient calls; watch_accessed_variables=False watches only what tape.watch is given.\n"
            + "Example: with tf.GradientTape() as tape:\n    loss = loss_fn(y, model(x, training=True))\n"
            + "grads = tape.gradient(loss, model.trainable_variables)",
        a -> new GradientTape(a.bool("persistent", false), a.bool("watch_accessed_variables", true)));
    String fnParams = "func?, input_signature?, autograph?, jit_compile?, reduce_retracing?, experimental_relax_shapes?, "
        + "experimental_compile?, experimental_follow_type_hints?, experimental_autograph_options?, experimental_implements?, name?";
    g.def(tf, "function", fnParams,
        "TensorFlow compiles the function to a graph; DLN runs it as it is written, eagerly, with the same results\n"
            + "(no tracing: Python side effects such as print happen on every call). The arguments are accepted and have no effect.\n"
            + "Example: @tf.function\ndef train_step(x, y): ...   or   @tf.function(jit_compile=True)",
        a -> a.has("func") && a.get("func") != None.NONE ? eagerFunction(a.get("func"))
            : new dln.interp.call.Builtin("function", "func", "Returns func unchanged (DLN runs it eagerly).",
                b -> eagerFunction(b.get("func"))));
    TypeTable.define(GradientTape.class, "GradientTape")
        .method("__enter__", "", "Starts recording (with tf.GradientTape() as tape: ...).", (GradientTape t, Args a) -> {
          t.start();
          return t;
        })
        .method("__exit__", "*args", "Stops recording at the end of the with block.", (GradientTape t, Args a) -> {
          t.stop();
          return false;
        })
        .method("watch", "tensor", "Records the operations on a tensor (variables are watched without it).\n"
            + "Example: x = tf.constant(3.0); with tf.GradientTape() as tape: tape.watch(x); y = x * x",
            (GradientTape t, Args a) -> {
              Object x = a.get("tensor");
              for (Object item : x instanceof List<?> || x instanceof Tuple ? a.list("tensor") : List.of(x)) {
                if (item instanceof Variable v) t.watchVariable(v);
                else if (item instanceof INDArray arr) t.watch(arr);
                else throw DlnException.type("tape.watch() takes tensors or variables, got " + Values.typeName(item));
              }
              return None.NONE;
            })
        .method("stop_recording", "", "A with block whose operations the tape does not record: what is computed there is a\n"
            + "constant to the tape (no gradient flows through it).\n"
            + "Example: with tf.GradientTape() as tape:\n    y = x * x\n    with tape.stop_recording():\n        c = y * 2   # a constant",
            (GradientTape t, Args a) -> new StopRecording(t))
        .method("gradient", "target, sources", "The gradients of a result recorded by the tape with respect to the sources\n"
            + "(one, or a list: a list of gradients, None where the target does not depend on a source).\n"
            + "Example: grads = tape.gradient(loss, model.trainable_weights)",
            (GradientTape t, Args a) -> {
              Object given = a.get("sources");
              boolean single = !(given instanceof List || given instanceof Tuple);
              List<Object> sources = single ? List.of(given) : a.list("sources");
              List<Object> out = new ArrayList<>();
              // Inside an enclosing tape the gradients are recorded results it can differentiate again.
              for (Object grad : t.differentiate(a.get("target"), sources)) out.add(grad == null ? None.NONE : grad);
              return single ? out.get(0) : out;
            })
        .method("jacobian", "target, sources, unconnected_gradients?, parallel_iterations?, experimental_use_pfor?",
            "The Jacobian of a result recorded by the tape by each source: shape target.shape + source.shape\n"
                + "(sources one, a list or a dict: the same structure back; None where the target does not depend on a source,\n"
                + "zeros with unconnected_gradients='zero'). parallel_iterations and experimental_use_pfor are accepted and have no effect.\n"
                + "Example: with tf.GradientTape() as tape:\n    tape.watch(x); y = x ** 2\nJ = tape.jacobian(y, x)   # diag(2x)",
            (GradientTape t, Args a) -> {
              Object given = a.get("sources");
              List<Object> sources = given instanceof Map<?, ?> m ? new ArrayList<>(m.values())
                  : given instanceof List || given instanceof Tuple ? a.list("sources") : List.of(given);
              boolean zeros = unconnectedAsZeros(a);
              List<Object> out = new ArrayList<>();
              // Inside an enclosing tape the Jacobians are recorded results it can differentiate again.
              List<Object> js = t.jacobianOf(a.get("target"), sources);
              for (int i = 0; i < js.size(); i++) out.add(js.get(i) != null ? js.get(i) : zeros ? zerosOf(a.get("target"), sources.get(i)) : None.NONE);
              return restructured(given, out);
            })
        .method("batch_jacobian", "target, source, unconnected_gradients?, parallel_iterations?, experimental_use_pfor?",
            "Per-sample Jacobians: shape (batch,) + target.shape[1:] + source.shape[1:], entry i the Jacobian of target[i]\n"
                + "by source[i] (samples independent of one another, as TensorFlow assumes); zeros where the target does not\n"
                + "depend on the source. parallel_iterations and experimental_use_pfor are accepted and have no effect.\n"
                + "Example: with tf.GradientTape() as tape:\n    tape.watch(x); y = model(x)\nJ = tape.batch_jacobian(y, x)",
            (GradientTape t, Args a) -> {
              unconnectedAsZeros(a);
              return t.batchJacobian(a.get("target"), a.get("source"));
            })
        .repr(t -> "<GradientTape>");

    TypeTable.define(StopRecording.class, "StopRecording")
        .method("__enter__", "", "Stops the tape's recording.", (StopRecording r, Args a) -> {
          r.tape().stopRecording();
          return None.NONE;
        })
        .method("__exit__", "*args", "Records again.", (StopRecording r, Args a) -> {
          r.tape().resumeRecording();
          return false;
        })
        .repr(r -> "<stop_recording>");

    TypeTable.define(Optimizer.class, "Optimizer")
        .method("apply_gradients", "grads_and_vars", "One optimiser step: each variable updated in place from its gradient\n"
            + "(pairs with a None gradient are skipped).\n"
            + "Example: optimizer.apply_gradients(zip(grads, model.trainable_variables))",
            (Optimizer o, Args a) -> applyGradients(o, Iteration.toList(a.invoker(), a.get("grads_and_vars"))))
        .method("apply", "grads, trainable_variables", "Keras 3's form of apply_gradients: the gradients and the variables\n"
            + "as two lists, in the same order.\nExample: self.optimizer.apply(gradients, self.trainable_variables)",
            (Optimizer o, Args a) -> {
              List<Object> grads = Iteration.toList(a.invoker(), a.get("grads"));
              List<Object> vars = Iteration.toList(a.invoker(), a.get("trainable_variables"));
              if (grads.size() != vars.size()) {
                throw DlnException.value("optimizer.apply(): " + grads.size() + " gradients for " + vars.size() + " variables",
                    "pass the variables given to tape.gradient");
              }
              List<Object> pairs = new ArrayList<>();
              for (int i = 0; i < grads.size(); i++) pairs.add(Tuple.of(grads.get(i), vars.get(i)));
              return applyGradients(o, pairs);
            });

    metrics(g);
    TensorSlices.install(g);
  }

  /** unconnected_gradients: 'none' (TensorFlow's default, None) or 'zero' (zeros); true for zeros. */
  private static boolean unconnectedAsZeros(Args a) {
    if (!a.has("unconnected_gradients") || a.get("unconnected_gradients") == None.NONE) return false;
    String how = a.string("unconnected_gradients").toLowerCase(java.util.Locale.ROOT);
    if (how.equals("none")) return false;
    if (how.equals("zero")) return true;
    throw DlnException.value("unconnected_gradients is 'none' or 'zero', got '" + how + "'");
  }

  /** Zeros of a Jacobian's shape, target.shape + source.shape, for a source the target does not reach. */
  private static INDArray zerosOf(Object target, Object source) {
    long[] t = Values.toTensor(dln.runtime.autodiff.Recording.resolve(target) instanceof dln.runtime.autodiff.Traced tr
        ? dln.runtime.autodiff.Tape.value(tr) : target).shape();
    long[] s = (source instanceof Variable v ? v.value() : Values.toTensor(source)).shape();
    long[] shape = java.util.Arrays.copyOf(t, t.length + s.length);
    System.arraycopy(s, 0, shape, t.length, s.length);
    return Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
  }

  /** Results in the structure the sources came in (TensorFlow's nest): one, a list, a tuple, or a dict by the same keys. */
  private static Object restructured(Object given, List<Object> out) {
    if (given instanceof Map<?, ?> m) {
      Map<Object, Object> byKey = new java.util.LinkedHashMap<>();
      int i = 0;
      for (Object k : m.keySet()) byKey.put(k, out.get(i++));
      return byKey;
    }
    if (given instanceof Tuple) return Tuple.of(out.toArray());
    return given instanceof List ? out : out.get(0);
  }

  /** What {@code tape.stop_recording()} returns: a context manager pausing the tape. */
  private record StopRecording(GradientTape tape) {}

  /** tf.function's result: the function itself (DLN has no graph tracing to do). */
  private static Object eagerFunction(Object f) {
    if (TypeTable.callable(f) == null) throw DlnException.type("tf.function decorates a function, got " + Values.typeName(f));
    return f;
  }

  private static Object applyGradients(Optimizer o, List<Object> gradsAndVars) {
    List<INDArray> params = new ArrayList<>();
    List<INDArray> grads = new ArrayList<>();
    for (Object pair : gradsAndVars) {
      List<Object> gv = pair instanceof Tuple t ? t.items() : pair instanceof List<?> l ? new ArrayList<>(l) : null;
      if (gv == null || gv.size() != 2) {
        throw new DlnException("type error", "apply_gradients() takes (gradient, variable) pairs, got " + Values.typeName(pair),
            "optimizer.apply_gradients(zip(grads, model.trainable_variables))", null);
      }
      if (gv.get(0) == None.NONE) continue;
      if (!(gv.get(1) instanceof Variable v)) {
        throw new DlnException("type error", "apply_gradients() updates variables, got " + Values.typeName(gv.get(1)),
            "pair the gradients with model.trainable_variables or tf.Variable objects", null);
      }
      INDArray grad = Values.toTensor(gv.get(0)).castTo(v.value().dataType()).dup();
      if (!java.util.Arrays.equals(grad.shape(), v.value().shape())) {
        throw new DlnException("shape error", "apply_gradients(): a gradient of shape " + dln.runtime.Shapes.format(grad.shape())
            + " for a variable of shape " + dln.runtime.Shapes.format(v.value().shape()),
            "pair each gradient with the variable it was computed for: zip(grads, the same list given to tape.gradient)", null);
      }
      params.add(v.value());
      grads.add(grad);
    }
    o.applyGradients(params, grads, 0);
    return None.NONE;
  }

  /** keras.metrics classes as objects: usable in compile (by their name) and by hand in a custom loop. */
  private static void metrics(Globals g) {
    TypeTable.define(MetricState.class, "Metric")
        .attr("name", MetricState::name)
        .method("update_state", "y_true|values, y_pred?, sample_weight?", "Adds a batch of labels and predictions\n"
            + "(a Mean, keras.metrics.Mean(name='loss'), takes the values to average: tracker.update_state(loss)).\n"
            + "Example: acc.update_state(y_batch, logits)", (MetricState m, Args a) -> {
              // A compiled metric ignores sample_weight as Keras's compile metrics do; a metric of one's own weighs.
              INDArray weights = a.has("sample_weight") && a.get("sample_weight") != None.NONE && !m.isCompiled()
                  ? Values.toTensor(a.get("sample_weight")) : null;
              if (m.isMean()) {
                if (a.has("y_pred")) throw DlnException.argument(m.name() + " is a Mean: update_state(values) takes one tensor");
                m.updateMean(Values.toTensor(a.get("y_true")), weights);
                return None.NONE;
              }
              if (!a.has("y_pred")) {
                throw DlnException.argument(m.name() + ".update_state() needs y_true and y_pred", "e.g. acc.update_state(y_batch, logits)");
              }
              m.update(Values.toTensor(a.get("y_true")), Values.toTensor(a.get("y_pred")), weights);
              return None.NONE;
            })
        .method("result", "", "The metric over all batches since the last reset, a scalar tensor.\n"
            + "Example: print(float(acc.result()))", (MetricState m, Args a) -> Nd4j.scalar((float) m.result()))
        .method("reset_state", "", "Starts over (at the end of an epoch).\nExample: acc.reset_state()", (MetricState m, Args a) -> {
          m.reset();
          return None.NONE;
        })
        .method("reset_states", "", "reset_state, by its Keras 2 name.\nExample: acc.reset_states()", (MetricState m, Args a) -> {
          m.reset();
          return None.NONE;
        })
        .repr(MetricState::name);
  }
}

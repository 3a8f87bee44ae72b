package dln.runtime.train;

import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The models a {@link GradientTape} ran on the fast engine instead of recording them op by op:
 * each call is one node of the tape. Its outputs enter the tape's graph as variables holding the
 * fast forward's values, so the ops recorded around them (the loss, the user's arithmetic) are
 * differentiated by SameDiff as before, as far as those outputs; the fast engine's backward pass
 * then carries the outputs' gradients to the model's weights and, where asked, to its inputs, which
 * are constants, watched tensors, variables or the outputs of an earlier fast call (a GAN's
 * generator feeding its discriminator). Calls are undone in reverse order of recording.
 */
final class TapedModels {
  /**
   * A fast call: its inputs (a graph variable's name, or null for a constant batch) and the names
   * of the graph variables whose gradients its backward pass takes, one per output (the output's,
   * or its logits').
   */
  private record Call(TapeModelRunner.Run fast, List<String> inputs, List<String> outputs, Set<Weight> weights) {}

  private final SameDiff sd;
  private final List<Call> calls = new ArrayList<>();

  TapedModels(SameDiff sd) {
    this.sd = sd;
  }

  /**
   * Runs a model call on the fast engine and returns its outputs as the tape's graph variables,
   * or null when the call must be recorded op by op: an input computed by recorded ops (not a
   * graph variable), or a model the fast engine does not run. {@code namer} makes a fresh name;
   * the outputs' values go into {@code computed}. An output made by a softmax or sigmoid enters the
   * graph as that squashing of a variable holding its logits, recorded in {@code logitsOf}: a loss
   * object reads the logits as fit's loss does (stable where a probability underflows to 0), and
   * the gradient handed to the fast backward pass is the logits'.
   */
  List<Traced> apply(Model model, List<Object> xs, boolean training, Object owner, Function<String, String> namer,
      Map<String, INDArray> computed, GraphContext logitsOf) {
    List<INDArray> values = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    for (Object x : xs) {
      if (x instanceof Traced t) {
        // Only a graph variable has a value without running the graph, and a gradient the
        // backward pass can hand on by name; a computed input keeps the call in the graph.
        if (t.var().getSameDiff() != sd || t.var().getVariableType() != VariableType.VARIABLE) return null;
        values.add(sd.getArrForVarName(t.var().name()));
        inputs.add(t.var().name());
      } else {
        values.add((INDArray) x);
        inputs.add(null);
      }
    }
    TapeModelRunner runner = TapeModelRunner.installed();
    TapeModelRunner.Run fast = runner == null ? null : runner.forward(model, values, training, owner);
    if (fast == null) return null;
    List<Traced> result = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (int k = 0; k < fast.outputs().size(); k++) {
      INDArray o = fast.outputs().get(k);
      TapeModelRunner.Squashed squashed = fast.logits().get(k);
      SDVariable v;
      if (squashed == null) {
        v = sd.var(namer.apply(model.name() + "_output"), o);
        outputs.add(v.name());
      } else {
        SDVariable logits = sd.var(namer.apply(model.name() + "_logits"), squashed.logits());
        v = squashed.kind() == GraphContext.LogitKind.SOFTMAX ? sd.nn.softmax(namer.apply(model.name() + "_output"), logits, -1)
            : sd.nn.sigmoid(namer.apply(model.name() + "_output"), logits);
        logitsOf.recordLogits(v, logits, squashed.kind());
        outputs.add(logits.name());
      }
      computed.put(v.name(), o);
      result.add(new Traced(v, o.shape()));
    }
    calls.add(new Call(fast, inputs, outputs, fast.weights()));
    return result;
  }

  /** True when no call ran on the fast engine. */
  boolean isEmpty() {
    return calls.isEmpty();
  }

  /**
   * The output variables whose gradients SameDiff must compute for sources {@code wanted} (graph
   * variable names) and {@code wantedVariables}: those of the calls that reach a source, through
   * their weights, their inputs, or a later call's input.
   */
  List<String> outputsToDifferentiate(Set<String> wanted, Set<Variable> wantedVariables) {
    List<String> out = new ArrayList<>();
    for (Call c : calls) if (reaches(c, wanted, wantedVariables)) out.addAll(c.outputs());
    return out;
  }

  private boolean reaches(Call c, Set<String> wanted, Set<Variable> wantedVariables) {
    for (Weight w : c.weights()) if (wantedVariables.contains(w.variable())) return true;
    int at = calls.indexOf(c);
    for (String in : c.inputs()) if (needed(in, at, wanted, wantedVariables)) return true;
    return false;
  }

  /** True when the gradient of graph variable {@code in}, an input of call {@code at}, is a source's or an earlier reaching call's output's. */
  private boolean needed(String in, int at, Set<String> wanted, Set<Variable> wantedVariables) {
    if (in == null) return false;
    if (wanted.contains(in)) return true;
    for (int j = 0; j < at; j++) {
      Call earlier = calls.get(j);
      if (earlier.outputs().contains(in) && reaches(earlier, wanted, wantedVariables)) return true;
    }
    return false;
  }

  /**
   * The fast calls' backward passes, last call first: {@code grads} (by graph variable name, as
   * SameDiff computed them, outputs of the calls included) gains the gradients the calls hand to
   * their inputs; returns the gradients of the wanted model weights' variables. May run several
   * times (a Jacobian's rows) until {@link #release}.
   */
  Map<Variable, INDArray> backward(Map<String, INDArray> grads, Set<String> wanted, Set<Variable> wantedVariables) {
    Map<String, INDArray> byName = new HashMap<>(grads);
    Map<Variable, INDArray> byVariable = new IdentityHashMap<>();
    for (int i = calls.size() - 1; i >= 0; i--) {
      Call c = calls.get(i);
      List<INDArray> dOut = new ArrayList<>();
      boolean any = false;
      for (String o : c.outputs()) {
        INDArray g = byName.get(o);
        dOut.add(g);
        any |= g != null;
      }
      if (!any || !reaches(c, wanted, wantedVariables)) continue;
      Set<Weight> learn = new HashSet<>();
      for (Weight w : c.weights()) if (wantedVariables.contains(w.variable())) learn.add(w);
      boolean[] inputGrads = new boolean[c.inputs().size()];
      for (int k = 0; k < inputGrads.length; k++) inputGrads[k] = needed(c.inputs().get(k), i, wanted, wantedVariables);
      TapeModelRunner.Gradients g = c.fast().backward(dOut, learn, inputGrads);
      g.weights().forEach((w, d) -> byVariable.merge(w.variable(), d, INDArray::addi));
      for (int k = 0; k < inputGrads.length; k++) {
        INDArray d = g.inputs().get(k);
        if (d != null) byName.merge(c.inputs().get(k), d, INDArray::add);
      }
    }
    grads.clear();
    grads.putAll(byName);
    return byVariable;
  }

  /** Frees what the calls keep for their backward passes (the tape's gradients are done). */
  void release() {
    for (Call c : calls) c.fast().release();
  }
}

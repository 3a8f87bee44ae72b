package dln.runtime.train;

import dln.runtime.Muted;
import dln.runtime.autodiff.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reverse passes of one {@code tape.gradient} or {@code tape.jacobian} call: the vector–Jacobian
 * product of a recorded target, seeded with a cotangent of the target's shape, carried to each
 * source through SameDiff's autodiff of the tape's graph and the backward passes of the model calls
 * the fast engine ran ({@link TapedModels}). A gradient runs one pass (the target's elements
 * summed); a Jacobian runs one per row, the graph and the fast calls' forward passes shared by all.
 */
final class Pullback {
  /** What the sources are: per source its graph variable's name (null: not watched) and its variable (null: a tensor). */
  record Sources(List<String> names, List<Variable> variables, List<String> wanted, Set<String> wantedNames,
      Set<Variable> wantedVariables) {}

  private final SameDiff graph;
  /** The placeholder holding the cotangent, or null when the loss is the target's sum. */
  private final String seed;
  private final Sources sources;
  private final List<String> wanted;
  private final TapedModels fast;
  private final Map<String, INDArray> values;
  /** Results whose values the first pass keeps (a metric after the step needs no second forward pass). */
  private List<String> keep;

  /**
   * @param graph the graph to differentiate, its loss variable set ({@code seed} placeholder in it)
   * @param fast the model calls run on the fast engine, or null for none
   * @param keep the results whose values the first pass computes anyway, put into {@code values}
   */
  Pullback(SameDiff graph, String seed, Sources sources, TapedModels fast, List<String> keep, Map<String, INDArray> values) {
    this.graph = graph;
    this.seed = seed;
    this.sources = sources;
    this.fast = fast;
    this.keep = keep;
    this.values = values;
    List<String> w = new ArrayList<>(sources.wanted());
    // Model calls run by the fast engine: SameDiff differentiates as far as their outputs, their
    // backward passes take it from there to the model weights (and inputs).
    if (fast != null) for (String o : fast.outputsToDifferentiate(sources.wantedNames(), sources.wantedVariables())) if (!w.contains(o)) w.add(o);
    // A source the loss does not reach has no gradient variable, and asking SameDiff for it alone fails.
    if (!w.isEmpty()) {
      // (Made once: SameDiff's calculateGradients reuses the graph's gradient function.)
      if (graph.getFunction("grad") == null) Muted.run(graph::createGradFunction);
      w.removeIf(n -> graph.getGradForVariable(n) == null);
    }
    this.wanted = w;
  }

  /** The gradients of the seeded target by each source (null where it does not depend on one). */
  List<INDArray> run(INDArray cotangent) {
    Map<String, INDArray> grads = new HashMap<>();
    if (!wanted.isEmpty()) {
      Map<String, INDArray> placeholders = seed == null ? Map.of() : Map.of(seed, cotangent);
      List<String> outputs = keep;
      OutAndGrad both = Muted.call(() -> graph.calculateGradientsAndOutputs(placeholders, outputs, wanted));
      values.putAll(both.getOutputs());
      keep = List.of();
      grads.putAll(both.getGradients());
    }
    Map<Variable, INDArray> fromFast = fast != null ? fast.backward(grads, sources.wantedNames(), sources.wantedVariables()) : Map.of();
    List<INDArray> out = new ArrayList<>();
    for (int i = 0; i < sources.names().size(); i++) {
      String n = sources.names().get(i);
      INDArray g = n == null ? null : grads.get(n);
      Variable v = sources.variables().get(i);
      INDArray f = v == null ? null : fromFast.get(v);
      out.add(f == null ? g : g == null ? f : g.add(f));
    }
    return out;
  }

  /** Frees what the fast calls keep for their backward passes: no more passes follow. */
  void close() {
    if (fast != null) fast.release();
  }
}

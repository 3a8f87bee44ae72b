package dln.runtime.train.fast;

import dln.runtime.nn.Regularizer;
import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The L1/L2 regularisers of a plan's weights (Keras's L1L2): {@code l1·Σ|w| + l2·Σw²} added to the
 * loss, and {@code l1·sign(w) + 2·l2·w} to the gradient of each trainable regularised weight. As in
 * the reference graph, frozen weights still count in the loss.
 */
final class WeightPenalties {
  private final List<Weight> weights;

  WeightPenalties(FastPlan plan) {
    Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Weight> ws = new ArrayList<>();
    for (FastPlan.Op op : plan.ops) {
      for (Weight w : op.weights()) if (w.regularizer() != null && seen.add(w)) ws.add(w);
    }
    this.weights = List.copyOf(ws);
  }

  /** The total penalty (0 without regularisers). */
  double loss() {
    double total = 0;
    for (Weight w : weights) {
      Regularizer r = w.regularizer();
      float[] v = Host.read(w.value());
      double abs = 0;
      double sq = 0;
      for (float x : v) {
        abs += Math.abs(x);
        sq += (double) x * x;
      }
      total += r.l1() * abs + r.l2() * sq;
    }
    return total;
  }

  /** Adds the penalties' gradients into the gradients of the weights being updated. */
  void addGradients(Map<Weight, INDArray> gradientOf) {
    for (Weight w : weights) {
      INDArray g = gradientOf.get(w);
      if (g == null) continue;
      Regularizer r = w.regularizer();
      if (r.l1() > 0) g.addi(Transforms.sign(w.value(), true).muli(r.l1()));
      if (r.l2() > 0) g.addi(w.value().mul(2 * r.l2()));
    }
  }
}

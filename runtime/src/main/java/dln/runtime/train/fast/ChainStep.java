package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer run as several steps in a row (SeparableConv2D: depthwise, then pointwise), weights in layer order. */
final class ChainStep extends LayerStep {
  private final List<LayerStep> inner;

  ChainStep(List<LayerStep> inner) {
    this.inner = List.copyOf(inner);
  }

  @Override
  List<Weight> weights() {
    List<Weight> w = new ArrayList<>();
    for (LayerStep s : inner) w.addAll(s.weights());
    return w;
  }

  @Override
  List<INDArray> gradients() {
    List<INDArray> g = new ArrayList<>();
    for (LayerStep s : inner) g.addAll(s.gradients());
    return g;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    INDArray x = in;
    for (LayerStep s : inner) x = s.forward(x, training);
    return x;
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    INDArray d = dOut;
    for (int i = inner.size() - 1; i >= 0 && d != null; i--) d = inner.get(i).backward(d, weightGrads, i > 0 || inputGrad);
    return inputGrad ? d : null;
  }
}

package dln.runtime.train.fast;

import dln.runtime.Muted;
import dln.runtime.nn.GraphFunction;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Lambda layer on the fast engine: the user's function traced once per batch size into a small
 * SameDiff graph of its own (the autodiff differentiates it, as in the reference engine), the rest
 * of the model staying on the fast steps. The input is a variable whose array is overwritten each
 * step; the backward pass asks SameDiff for the gradient of {@code Σ f(x) · dOut} with respect to it.
 */
final class LambdaStep extends LayerStep {
  private final GraphFunction function;
  private final long[] sample;
  private final long[] outSample;
  private final PerBatch<Graph> graphs;
  private Graph last;

  /** One traced graph: the input variable, the output, and the output gradient fed as a placeholder. */
  private record Graph(SameDiff sd, SDVariable x, SDVariable y, String dOut) {}

  LambdaStep(GraphFunction function, long[] sample, long[] outSample) {
    this.function = function;
    this.sample = sample;
    this.outSample = outSample;
    this.graphs = new PerBatch<>(this::trace);
  }

  private Graph trace(long batch) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("x", Nd4j.zeros(DataType.FLOAT, withBatch(batch, sample)));
    SDVariable y = function.apply(x);
    SDVariable g = sd.placeHolder("d_out", DataType.FLOAT, withBatch(batch, outSample));
    sd.setLossVariables(y.mul(g).sum().name());
    return new Graph(sd, x, y, g.name());
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Graph g = graphs.get(in.size(0));
    g.x().getArr().assign(in);
    last = g;
    return Muted.call(() -> g.sd().output(Map.of(), g.y().name())).get(g.y().name());
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    Graph g = last;
    return Muted.call(() -> g.sd().calculateGradients(Map.of(g.dOut(), dOut), g.x().name())).get(g.x().name());
  }
}

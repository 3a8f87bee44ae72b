package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dense on (batch, features): {@code z = x·W + b} with one direct GEMM into a reused buffer, the
 * activation in place where its gradient allows (relu, linear), and the backward pass as two
 * GEMMs in transposed layouts plus one column sum: {@code dW = xᵀ·dz}, {@code dx = dz·Wᵀ},
 * {@code db = Σ dz}.
 */
final class DenseStep extends LayerStep {
  private final Weight kernel;
  private final Weight bias;
  private final Act act;
  /** The activation is applied by the loss head (fused softmax / sigmoid + cross-entropy). */
  private final boolean fusedHead;
  private final long units;
  private final long inputs;
  private final INDArray dKernel;
  private final INDArray dBias;
  private final PerBatch<Buffers> buffers;

  private INDArray lastIn;
  private Buffers last;

  private record Buffers(INDArray z, INDArray out, INDArray dIn) {}

  DenseStep(Weight kernel, Weight bias, Act act, boolean fusedHead) {
    this.kernel = kernel;
    this.bias = bias;
    this.act = act;
    this.fusedHead = fusedHead;
    this.inputs = kernel.shape()[0];
    this.units = kernel.shape()[1];
    this.dKernel = Nd4j.create(DataType.FLOAT, inputs, units);
    this.dBias = bias == null ? null : Nd4j.create(DataType.FLOAT, units);
    boolean separateOut = fusedHead || act.needsInput() || act == Act.SOFTMAX;
    this.buffers = new PerBatch<>(b -> {
      INDArray z = Nd4j.create(DataType.FLOAT, b, units);
      INDArray out = separateOut ? Nd4j.create(DataType.FLOAT, b, units) : z;
      return new Buffers(z, out, Nd4j.create(DataType.FLOAT, b, inputs));
    });
  }

  /** The pre-activation of the last forward (the logits for a fused loss head). */
  INDArray preActivation() {
    return last.z();
  }

  @Override
  List<Weight> weights() {
    List<Weight> w = new ArrayList<>();
    w.add(kernel);
    if (bias != null) w.add(bias);
    return w;
  }

  @Override
  List<INDArray> gradients() {
    List<INDArray> g = new ArrayList<>();
    g.add(dKernel);
    if (dBias != null) g.add(dBias);
    return g;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    Nd4j.gemm(in, kernel.value(), b.z(), false, false, 1.0, 0.0);
    if (bias != null) b.z().addiRowVector(bias.value());
    act.forward(b.z(), b.out());
    lastIn = in;
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    // With a fused head, dOut is already the gradient of the logits.
    if (!fusedHead) act.backward(last.z(), last.out(), dOut);
    if (weightGrads) {
      Nd4j.gemm(lastIn, dOut, dKernel, true, false, 1.0, 0.0);
      if (dBias != null) dOut.sum(dBias, 0);
    }
    if (!inputGrad) return null;
    Nd4j.gemm(dOut, kernel.value(), last.dIn(), false, true, 1.0, 0.0);
    return last.dIn();
  }
}

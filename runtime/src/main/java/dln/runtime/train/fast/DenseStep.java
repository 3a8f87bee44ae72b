package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dense on (batch, features): {@code z = x·W + b} with one direct GEMM into a reused buffer, and
 * the backward pass as two GEMMs in transposed layouts plus one column sum: {@code dW = xᵀ·dz},
 * {@code dx = dz·Wᵀ}, {@code db = Σ dz}. Around the GEMMs, bias, relu / linear and a following
 * Dropout's mask run in one Java pass each way ({@link DenseEpilogue}) for activations up to 16
 * million values; tanh / sigmoid and larger activations use ND4J ops in place, and tiny layers run
 * wholly in Java ({@link SmallDense}).
 */
final class DenseStep extends LayerStep {
  /** Largest output whose softmax / sigmoid (outside training) is computed in Java. */
  private static final long HOST_HEAD_VALUES = 1 << 17;
  private final Weight kernel;
  private final Weight bias;
  private final Act act;
  /** The activation is applied by the loss head (fused softmax / sigmoid + cross-entropy). */
  private final boolean fusedHead;
  /** True during {@link #backwardFromLogits}: the gradient given is already the pre-activation's. */
  private boolean fromLogits;
  private final long units;
  private final long inputs;
  private final INDArray dKernel;
  private final INDArray dBias;
  /** The bias and its gradient as [1, units] rows (views of the same memory) for the GEMMs below. */
  private final INDArray biasRow;
  private final INDArray dBiasRow;
  private final PerBatch<Buffers> buffers;

  private INDArray lastIn;
  private Buffers last;
  /** True when the last forward left the output activation to the fused loss head. */
  private boolean activationDeferred;
  /** A Dropout layer right after this one whose mask the epilogue applies (null when none). */
  private DropoutStep dropoutAfter;

  /**
   * ones: a [batch, 1] column of ones, for the bias GEMMs; host: Java copies for tiny layers
   * (null when the layer runs on ND4J).
   */
  private record Buffers(INDArray z, INDArray out, INDArray dIn, INDArray ones, HostBuffers host, INDArray scratch,
      DenseEpilogue epilogue) {}

  /** Java-side arrays of a tiny layer: input, pre-activation, output and gradients. */
  private record HostBuffers(float[] x, float[] z, float[] out, float[] grad, float[] dx) {}

  /** Host copies of the weights and their gradients (tiny layers only). */
  private float[] wHost;
  private float[] bHost;
  private float[] dwHost;
  private float[] dbHost;

  DenseStep(Weight kernel, Weight bias, Act act, boolean fusedHead) {
    this.kernel = kernel;
    this.bias = bias;
    this.act = act;
    this.fusedHead = fusedHead;
    this.inputs = kernel.shape()[0];
    this.units = kernel.shape()[1];
    this.dKernel = Nd4j.create(DataType.FLOAT, inputs, units);
    this.dBias = bias == null ? null : Nd4j.create(DataType.FLOAT, units);
    this.biasRow = bias == null ? null : bias.value().reshape('c', 1, units);
    this.dBiasRow = bias == null ? null : dBias.reshape('c', 1, units);
    boolean separateOut = fusedHead || act.needsInput() || act == Act.SOFTMAX;
    this.buffers = new PerBatch<>(b -> {
      INDArray z = Nd4j.create(DataType.FLOAT, b, units);
      INDArray out = separateOut ? Nd4j.create(DataType.FLOAT, b, units) : z;
      HostBuffers host = b * inputs * units <= SmallDense.maxMacs
          ? new HostBuffers(new float[(int) (b * inputs)], new float[(int) (b * units)], new float[(int) (b * units)],
              new float[(int) (b * units)], new float[(int) (b * inputs)])
          : null;
      DenseEpilogue epilogue = host == null && DenseEpilogue.applies(act, fusedHead, b * units)
          ? new DenseEpilogue((int) b, (int) units) : null;
      INDArray scratch = host == null && epilogue == null && act.needsScratch() ? Nd4j.create(DataType.FLOAT, b, units) : null;
      return new Buffers(z, out, Nd4j.create(DataType.FLOAT, b, inputs), Nd4j.ones(DataType.FLOAT, b, 1), host, scratch,
          epilogue);
    });
  }

  /**
   * Lets this layer's {@link DenseEpilogue} apply the mask of the Dropout layer that follows it
   * (relu or linear layers without a fused head); batches too large for the epilogue leave the
   * Dropout to run on its own.
   */
  void absorbDropout(DropoutStep dropout) {
    if (!fusedHead && (act == Act.RELU || act == Act.LINEAR)) dropoutAfter = dropout;
  }

  /**
   * True when the last forward left its output to be written by the fused loss head (a training
   * step on the ND4J path): the head's softmax or sigmoid of {@link #preActivation()}.
   */
  boolean activationDeferred() {
    return activationDeferred;
  }

  /** The pre-activation of the last forward (the logits for a fused loss head). */
  @Override
  INDArray preActivation() {
    return last.z();
  }

  @Override
  Act squashing() {
    return !fusedHead && (act == Act.SOFTMAX || act == Act.SIGMOID) ? act : null;
  }

  @Override
  INDArray backwardFromLogits(INDArray dLogits, boolean weightGrads, boolean inputGrad) {
    fromLogits = true;
    try {
      return backward(dLogits, weightGrads, inputGrad);
    } finally {
      fromLogits = false;
    }
  }

  @Override
  List<Weight> weights() {
    return kernelAndBias(kernel, bias);
  }

  @Override
  List<INDArray> gradients() {
    return kernelAndBias(dKernel, dBias);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    activationDeferred = false;
    if (b.host() != null) return forwardOnHost(in, b);
    if (b.epilogue() != null) return forwardWithEpilogue(in, b, training);
    // The bias as a rank-1 GEMM (ones · b): ND4J's broadcast add costs more than the GEMM itself
    // at these sizes.
    if (bias != null) Nd4j.gemm(b.ones(), biasRow, b.z(), false, false, 1.0, 0.0);
    Nd4j.gemm(in, kernel.value(), b.z(), false, false, 1.0, bias != null ? 1.0 : 0.0);
    act.forward(b.z(), b.out());
    lastIn = in;
    last = b;
    return b.out();
  }

  private INDArray forwardWithEpilogue(INDArray in, Buffers b, boolean training) {
    Nd4j.gemm(in, kernel.value(), b.z(), false, false, 1.0, 0.0);
    DenseEpilogue e = b.epilogue();
    if (fusedHead) {
      // In a training step the fused loss head computes the softmax / sigmoid anyway and writes
      // the output (FastEngine.loss); elsewhere (evaluate, predict) it is applied here, in Java for
      // outputs of up to HOST_HEAD_VALUES values (exp in Java beats an ND4J op's dispatch there).
      boolean onHost = !training && b.z().length() <= HOST_HEAD_VALUES;
      e.forwardHead(b.z(), hostBias(), onHost ? act : null, b.out());
      activationDeferred = training;
      if (!training && !onHost) act.forward(b.z(), b.out());
    } else {
      boolean dropout = dropoutAfter != null && dropoutAfter.absorb(e.dropoutMask(), training, b.out());
      e.forward(b.z(), hostBias(), act == Act.RELU, dropout ? dropoutAfter.scale() : 0f, b.out());
    }
    lastIn = in;
    last = b;
    return b.out();
  }

  /** The bias values, re-read every step (the optimiser or the user changes them natively). */
  private float[] hostBias() {
    if (bias == null) return null;
    if (bHost == null) {
      bHost = new float[(int) units];
      dbHost = new float[(int) units];
    }
    Host.read(bias.value(), bHost);
    return bHost;
  }

  private INDArray forwardOnHost(INDArray in, Buffers b) {
    HostBuffers h = b.host();
    if (wHost == null) {
      wHost = new float[(int) (inputs * units)];
      dwHost = new float[wHost.length];
      if (bias != null) {
        bHost = new float[(int) units];
        dbHost = new float[(int) units];
      }
    }
    // Weights are re-read every step: the optimiser (or the user) changes them in native memory.
    Host.read(kernel.value(), wHost);
    if (bias != null) Host.read(bias.value(), bHost);
    Host.read(in, h.x());
    int rows = (int) in.size(0);
    SmallDense.forward(h.x(), wHost, bHost, rows, (int) inputs, (int) units, act, h.z(), h.out());
    // z is read natively only where it is kept apart (a fused loss head reads the logits).
    if (b.out() != b.z()) Host.write(b.z(), h.z());
    Host.write(b.out(), h.out());
    lastIn = in;
    last = b;
    return b.out();
  }

  private INDArray backwardOnHost(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    HostBuffers h = last.host();
    int rows = (int) lastIn.size(0);
    int n = rows * (int) units;
    Host.read(dOut, h.grad());
    if (!fusedHead && !fromLogits) SmallDense.activationBackward(act, h.z(), h.out(), h.grad(), n, (int) units);
    if (weightGrads) {
      SmallDense.weightGradients(h.x(), h.grad(), rows, (int) inputs, (int) units, dwHost, dbHost);
      Host.write(dKernel, dwHost);
      if (dBias != null) Host.write(dBias, dbHost);
    }
    if (!inputGrad) return null;
    SmallDense.inputGradient(h.grad(), wHost, rows, (int) inputs, (int) units, h.dx());
    Host.write(last.dIn(), h.dx());
    return last.dIn();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (last.host() != null) return backwardOnHost(dOut, weightGrads, inputGrad);
    if (last.epilogue() != null) {
      last.epilogue().backward(dOut, weightGrads ? dBias : null, dbHost);
      if (weightGrads) Nd4j.gemm(lastIn, dOut, dKernel, true, false, 1.0, 0.0);
    } else {
      // With a fused head, dOut is already the gradient of the logits.
      if (!fusedHead && !fromLogits) act.backward(last.z(), last.out(), dOut, last.scratch());
      if (weightGrads) {
        Nd4j.gemm(lastIn, dOut, dKernel, true, false, 1.0, 0.0);
        if (dBias != null) Nd4j.gemm(last.ones(), dOut, dBiasRow, true, false, 1.0, 0.0);
      }
    }
    if (!inputGrad) return null;
    Nd4j.gemm(dOut, kernel.value(), last.dIn(), false, true, 1.0, 0.0);
    return last.dIn();
  }
}

package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conv2D on channels-last images: forward through libnd4j's {@code conv2d} (oneDNN with the avx2
 * natives), writing into reused buffers; backward through {@code conv2d_bp}, or, for a first layer
 * and for few input channels ({@link #patchBackward(long, boolean)}), as GEMMs on the patch matrix
 * ({@link Im2Col}: {@code dW = colsᵀ·dZ}, {@code dCols = dZ·Wᵀ} added back onto the input pixels,
 * no input gradient for a first layer). Kernel layout [kH, kW, inC, outC] (weights
 * format 0), the same as Keras's and the nn runtime's. A Conv1D kernel [k, inC, outC] runs as the
 * kernel [1, k, inC, outC] of a convolution of height 1 (a view of the same values).
 */
final class Conv2DStep extends LayerStep {
  /** conv2d, depthwise_conv2d or deconv2d (each with its _bp op, the same integer arguments). */
  private final String op;
  private final Weight kernel;
  private final Weight bias;
  private final Act act;
  private final long[] inSample;
  private final long[] outSample;
  private final int[] intArgs;
  private final INDArray dKernel;
  /** dKernel in the weight's own shape (a view), what the optimiser reads. */
  private final INDArray dKernelAsWeight;
  private final long[] kernel4;
  private final INDArray dBias;
  private final PerBatch<Buffers> buffers;
  /** The patch matrix of a plain convolution (null for depthwise / transposed ones, which run their libnd4j _bp op). */
  private final Im2Col im2col;
  private final PerBatch<PatchBuffers> patches;
  private INDArray lastIn;
  private Buffers last;

  private record Buffers(INDArray z, INDArray out, INDArray dIn, INDArray scratch) {}

  /**
   * The backward pass's buffers: the patch matrix (then, once the weight gradient is taken, the
   * patch gradient in the same memory), a column of ones for the bias gradient, host copies of the
   * input and its gradient.
   */
  private record PatchBuffers(INDArray cols, INDArray ones, float[] x, float[] dx) {}

  Conv2DStep(Weight kernel, Weight bias, Act act, int[] k, int[] strides, boolean same, long[] inSample, long[] outSample) {
    this("conv2d", kernel, bias, act, k, strides, same, inSample, outSample);
  }

  /**
   * A step of another libnd4j convolution with conv2d's arguments: {@code depthwise_conv2d}
   * (weights [kH, kW, iC, mC]) or {@code deconv2d} (weights [kH, kW, oC, iC]), channels-last.
   */
  Conv2DStep(String op, Weight kernel, Weight bias, Act act, int[] k, int[] strides, boolean same, long[] inSample, long[] outSample) {
    this.op = op;
    this.kernel = kernel;
    this.act = act;
    this.inSample = inSample;
    this.outSample = outSample;
    long filters = outSample[2];
    this.bias = bias;
    // kH, kW, sH, sW, pH, pW (computed for SAME), dH, dW, isSameMode, isNHWC, weights format.
    this.intArgs = new int[] {k[0], k[1], strides[0], strides[1], 0, 0, 1, 1, same ? 1 : 0, 1, 0};
    long[] ks = kernel.shape();
    this.kernel4 = ks.length == 3 ? new long[] {1, ks[0], ks[1], ks[2]} : ks;
    this.dKernel = Nd4j.create(DataType.FLOAT, kernel4);
    this.dKernelAsWeight = ks.length == 3 ? dKernel.reshape('c', ks) : dKernel;
    this.dBias = Nd4j.create(DataType.FLOAT, filters);
    boolean separateOut = act.needsInput();
    this.buffers = new PerBatch<>(b -> {
      INDArray z = Nd4j.create(DataType.FLOAT, withBatch(b, outSample));
      return new Buffers(z, separateOut ? Nd4j.create(DataType.FLOAT, withBatch(b, outSample)) : z,
          Nd4j.create(DataType.FLOAT, withBatch(b, inSample)),
          act.needsScratch() ? Nd4j.create(DataType.FLOAT, withBatch(b, outSample)) : null);
    });
    this.im2col = op.equals("conv2d") ? new Im2Col(inSample, outSample, k, strides, same) : null;
    this.patches = new PerBatch<>(b -> new PatchBuffers(Nd4j.create(DataType.FLOAT, im2col.rows(b), im2col.patch()),
        Nd4j.ones(DataType.FLOAT, im2col.rows(b), 1), new float[(int) (b * Shapes.size(inSample))], new float[(int) (b * Shapes.size(inSample))]));
  }

  /**
   * The patch matrix path for a first layer (weight gradient only: one GEMM, where conv2d_bp also
   * computes the unwanted input gradient; 3→16 channels on 32×32: ≈ 10 against ≈ 50 ms CPU per batch
   * of 128) and for inputs of at most 16 channels (16→16: ≈ 42 against ≈ 52 ms CPU; at 32 channels
   * conv2d_bp is ahead, ≈ 36 against ≈ 68), unless the batch's matrix would not fit int indices.
   */
  private boolean patchBackward(long batch, boolean inputGrad) {
    return im2col != null && (!inputGrad || inSample[2] <= 16)
        && im2col.rows(batch) * im2col.patch() < Integer.MAX_VALUE && batch * Shapes.size(inSample) < Integer.MAX_VALUE;
  }

  /** The kernel as libnd4j's conv2d reads it (a reshaped view of a Conv1D kernel). */
  private INDArray kernelValue() {
    INDArray k = kernel.value();
    return k.rank() == 4 ? k : k.reshape('c', kernel4);
  }

  @Override
  List<Weight> weights() {
    return kernelAndBias(kernel, bias);
  }

  @Override
  List<INDArray> gradients() {
    return kernelAndBias(dKernelAsWeight, bias != null ? dBias : null);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    INDArray[] inputs = bias != null ? new INDArray[] {in, kernelValue(), bias.value()} : new INDArray[] {in, kernelValue()};
    Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(b.z()).addIntegerArguments(intArgs).build());
    act.forward(b.z(), b.out());
    lastIn = in;
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    act.backward(last.z(), last.out(), dOut, last.scratch());
    if (!weightGrads && !inputGrad) return null;
    if (patchBackward(dOut.size(0), inputGrad)) return patchBackward(dOut, weightGrads, inputGrad);
    // (The builder's addInputs/addOutputs replace rather than append: pass each list at once.)
    INDArray[] inputs = bias != null ? new INDArray[] {lastIn, kernelValue(), bias.value(), dOut}
        : new INDArray[] {lastIn, kernelValue(), dOut};
    INDArray[] outputs = bias != null ? new INDArray[] {last.dIn(), dKernel, dBias} : new INDArray[] {last.dIn(), dKernel};
    Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(inputs).addOutputs(outputs).addIntegerArguments(intArgs).build());
    return inputGrad ? last.dIn() : null;
  }

  /** dW = colsᵀ·dZ, db = 1ᵀ·dZ, dCols = dZ·Wᵀ (into the patch matrix's memory), then dx from dCols. */
  private INDArray patchBackward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    int n = (int) dOut.size(0);
    PatchBuffers p = patches.get(n);
    long filters = outSample[2];
    INDArray dz = (Host.isPlain(dOut) ? dOut : dOut.dup('c')).reshape('c', im2col.rows(n), filters);
    if (weightGrads) {
      Host.read(lastIn, p.x());
      im2col.fill(p.x(), p.cols(), n);
      Nd4j.gemm(p.cols(), dz, dKernel.reshape('c', im2col.patch(), filters), true, false, 1.0, 0.0);
      if (bias != null) Nd4j.gemm(p.ones(), dz, dBias.reshape('c', 1, filters), true, false, 1.0, 0.0);
    }
    if (!inputGrad) return null;
    Nd4j.gemm(dz, kernelValue().reshape('c', im2col.patch(), filters), p.cols(), false, true, 1.0, 0.0);
    im2col.accumulate(p.cols(), p.dx(), n);
    Host.write(last.dIn(), p.dx());
    return last.dIn();
  }
}

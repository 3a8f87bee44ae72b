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
 * natives), writing into reused buffers. Backward, one of three ways ({@link #backwardPath}): the
 * weight gradient as a GEMM on the patch matrix ({@link Im2Col}: {@code dW = colsᵀ·dZ}) with the
 * input gradient, for a stride-1 convolution, as the forward convolution of dZ with the kernel
 * flipped in space and its channels swapped ({@link #transposedKernel}: oneDNN's forward kernel,
 * several times faster than {@code conv2d_bp} there), or as {@code dCols = dZ·Wᵀ} added back onto
 * the input pixels; else {@code conv2d_bp}. A first layer takes no input gradient. Kernel layout
 * [kH, kW, inC, outC] (weights
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
  /**
   * conv2d's arguments for the input gradient as a convolution of dZ (stride 1; 'same' padding
   * mirrors itself for odd kernel sides, 'valid' becomes a full padding of k − 1), or null where
   * that does not hold (strides, 'same' with an even side, depthwise / transposed convolutions).
   */
  private final int[] transposedArgs;
  /** The kernel flipped in space with in / out channels swapped, [kH, kW, outC, inC] (null without transposedArgs). */
  private final INDArray flipped;
  private final float[] kernelHost;
  private final float[] flippedHost;
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
    boolean mirrors = im2col != null && strides[0] == 1 && strides[1] == 1 && (!same || (k[0] % 2 == 1 && k[1] % 2 == 1));
    int[] k4 = {(int) kernel4[0], (int) kernel4[1]};
    this.transposedArgs = mirrors ? new int[] {k4[0], k4[1], 1, 1, same ? 0 : k4[0] - 1, same ? 0 : k4[1] - 1, 1, 1, same ? 1 : 0, 1, 0} : null;
    this.flipped = mirrors ? Nd4j.create(DataType.FLOAT, kernel4[0], kernel4[1], kernel4[3], kernel4[2]) : null;
    this.kernelHost = mirrors ? new float[(int) Shapes.size(kernel4)] : null;
    this.flippedHost = mirrors ? new float[(int) Shapes.size(kernel4)] : null;
  }

  /** How a backward pass computes its gradients. */
  enum BackwardPath {
    /** Weight gradient from the patch matrix only (a first layer). */
    PATCH_WEIGHTS,
    /** Weight gradient from the patch matrix, input gradient as a convolution with the transposed kernel. */
    PATCH_AND_TRANSPOSED,
    /** Weight gradient from the patch matrix, input gradient as dZ·Wᵀ added back onto the pixels. */
    PATCH_AND_ADJOINT,
    /** libnd4j's conv2d_bp. */
    CONV2D_BP
  }

  /**
   * The fastest path measured for this shape (CPU per batch of 128, oneDNN natives, 2 cores): a
   * first layer takes the weight-only GEMM (3→16 on 32×32: ≈ 10 against ≈ 50 ms); a stride-1
   * convolution with at most 16 input channels or more than 16×16 output pixels the transposed
   * kernel (32→32 on 28×28: ≈ 25 ms wall against 47–86 for conv2d_bp; 16→16 on 32×32: ≈ 19
   * against 31 for the adjoint and 120–150 for conv2d_bp), where at 16×16×32 and below conv2d_bp
   * is as fast or ahead; a strided 1×1 convolution the adjoint GEMM (16→32
   * at stride 2 on 32×32: ≈ 20 against ≈ 49 ms wall; 32→64 on 16×16: ≈ 10 against ≈ 20 ms CPU), where a strided 3×3 one runs conv2d_bp
   * (≈ 10 against ≈ 15 ms CPU for the adjoint's overlapping patches). Patch paths need the batch's
   * matrix to fit int indices.
   */
  BackwardPath backwardPath(long batch, boolean inputGrad) {
    boolean patchFits = im2col != null && im2col.rows(batch) * im2col.patch() < Integer.MAX_VALUE
        && batch * Shapes.size(inSample) < Integer.MAX_VALUE;
    if (!patchFits) return BackwardPath.CONV2D_BP;
    if (!inputGrad) return BackwardPath.PATCH_WEIGHTS;
    boolean few = inSample[2] <= 16;
    if (transposedArgs != null && (few || outSample[0] * outSample[1] > 256)) return BackwardPath.PATCH_AND_TRANSPOSED;
    // A 1×1 kernel's patches do not overlap (patch() == inC): the adjoint is one GEMM and a scatter, at any channel count.
    return im2col.patch() == inSample[2] ? BackwardPath.PATCH_AND_ADJOINT : BackwardPath.CONV2D_BP;
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
    BackwardPath path = backwardPath(dOut.size(0), inputGrad);
    if (path != BackwardPath.CONV2D_BP) return patchBackward(dOut, path, weightGrads);
    // (The builder's addInputs/addOutputs replace rather than append: pass each list at once.)
    INDArray[] inputs = bias != null ? new INDArray[] {lastIn, kernelValue(), bias.value(), dOut}
        : new INDArray[] {lastIn, kernelValue(), dOut};
    INDArray[] outputs = bias != null ? new INDArray[] {last.dIn(), dKernel, dBias} : new INDArray[] {last.dIn(), dKernel};
    long t0 = StepProfile.start();
    Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(inputs).addOutputs(outputs).addIntegerArguments(intArgs).build());
    StepProfile.detailSince("conv bwd " + op + "_bp", t0);
    return inputGrad ? last.dIn() : null;
  }

  /** dW = colsᵀ·dZ, db = 1ᵀ·dZ, then dx by the path's way (dCols = dZ·Wᵀ into the patch matrix's memory, then dx from dCols). */
  private INDArray patchBackward(INDArray dOut, BackwardPath path, boolean weightGrads) {
    int n = (int) dOut.size(0);
    PatchBuffers p = patches.get(n);
    long filters = outSample[2];
    INDArray dz = (Host.isPlain(dOut) ? dOut : dOut.dup('c')).reshape('c', im2col.rows(n), filters);
    long t0 = StepProfile.start();
    if (weightGrads) {
      Host.read(lastIn, p.x());
      im2col.fill(p.x(), p.cols(), n);
      t0 = StepProfile.detailSince("conv bwd patch matrix", t0);
      Nd4j.gemm(p.cols(), dz, dKernel.reshape('c', im2col.patch(), filters), true, false, 1.0, 0.0);
      if (bias != null) Nd4j.gemm(p.ones(), dz, dBias.reshape('c', 1, filters), true, false, 1.0, 0.0);
      t0 = StepProfile.detailSince("conv bwd weight GEMMs", t0);
    }
    if (path == BackwardPath.PATCH_WEIGHTS) return null;
    if (path == BackwardPath.PATCH_AND_TRANSPOSED) {
      Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(dz.reshape('c', withBatch(n, outSample)), transposedKernel())
          .addOutputs(last.dIn()).addIntegerArguments(transposedArgs).build());
      StepProfile.detailSince("conv bwd transposed-kernel conv2d", t0);
      return last.dIn();
    }
    Nd4j.gemm(dz, kernelValue().reshape('c', im2col.patch(), filters), p.cols(), false, true, 1.0, 0.0);
    im2col.accumulate(p.cols(), p.dx(), n);
    Host.write(last.dIn(), p.dx());
    StepProfile.detailSince("conv bwd adjoint GEMM + scatter", t0);
    return last.dIn();
  }

  /** The kernel [kH, kW, inC, outC] flipped in both spatial axes with its channel axes swapped: the adjoint's kernel at stride 1. */
  private INDArray transposedKernel() {
    Host.read(kernelValue(), kernelHost);
    int kh = (int) kernel4[0];
    int kw = (int) kernel4[1];
    int in = (int) kernel4[2];
    int out = (int) kernel4[3];
    for (int ky = 0; ky < kh; ky++) {
      for (int kx = 0; kx < kw; kx++) {
        int from = ((kh - 1 - ky) * kw + (kw - 1 - kx)) * in * out;
        int to = (ky * kw + kx) * out * in;
        for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) flippedHost[to + o * in + i] = kernelHost[from + i * out + o];
      }
    }
    Host.write(flipped, flippedHost);
    return flipped;
  }
}

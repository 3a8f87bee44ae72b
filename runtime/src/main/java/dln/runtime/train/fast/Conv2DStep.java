package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conv2D on channels-last images through libnd4j's {@code conv2d} / {@code conv2d_bp} (oneDNN with
 * the avx2 natives), writing into reused buffers. Kernel layout [kH, kW, inC, outC] (weights
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
  private INDArray lastIn;
  private Buffers last;

  private record Buffers(INDArray z, INDArray out, INDArray dIn, INDArray scratch) {}

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
    // (The builder's addInputs/addOutputs replace rather than append: pass each list at once.)
    INDArray[] inputs = bias != null ? new INDArray[] {lastIn, kernelValue(), bias.value(), dOut}
        : new INDArray[] {lastIn, kernelValue(), dOut};
    INDArray[] outputs = bias != null ? new INDArray[] {last.dIn(), dKernel, dBias} : new INDArray[] {last.dIn(), dKernel};
    Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(inputs).addOutputs(outputs).addIntegerArguments(intArgs).build());
    return inputGrad ? last.dIn() : null;
  }
}

package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MaxPooling2D / AveragePooling2D on channels-last images through libnd4j's {@code maxpool2d} /
 * {@code avgpool2d} and their {@code _bp} ops (averages count only the values inside the image, as
 * in Keras).
 */
final class Pool2DStep extends LayerStep {
  private final String op;
  private final int[] intArgs;
  private final PerBatch<INDArray[]> buffers;
  private INDArray lastIn;
  private INDArray[] last;

  /** @param op {@code maxpool2d} or {@code avgpool2d} */
  Pool2DStep(String op, int[] pool, int[] strides, boolean same, long[] inSample, long[] outSample) {
    this.op = op;
    // kH, kW, sH, sW, pH, pW, dH, dW, isSameMode, extraParam0 (average: 0 = exclude padding), isNHWC.
    this.intArgs = new int[] {pool[0], pool[1], strides[0], strides[1], 0, 0, 1, 1, same ? 1 : 0, 0, 1};
    this.buffers = new PerBatch<>(b -> new INDArray[] {
        Nd4j.create(DataType.FLOAT, withBatch(b, outSample)), Nd4j.create(DataType.FLOAT, withBatch(b, inSample))});
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    INDArray[] b = buffers.get(in.size(0));
    Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(b[0]).addIntegerArguments(intArgs).build());
    lastIn = in;
    last = b;
    return b[0];
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(lastIn, dOut).addOutputs(last[1])
        .addIntegerArguments(intArgs).build());
    return last[1];
  }
}

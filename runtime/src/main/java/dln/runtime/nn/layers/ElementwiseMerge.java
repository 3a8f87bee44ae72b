package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A merge of two or more tensors of the same shape, element by element (Add, Multiply, Subtract,
 * Average, Maximum): the input count, the shape rule and the left fold over the inputs they share,
 * so each merge states only its element-wise operation.
 */
abstract class ElementwiseMerge<C extends Record> extends ConfiguredLayer<C> {
  /** Masked inputs give an output kept where all of them are (Keras's Merge.compute_mask). */
  @Override
  public MaskUse maskUse() {
    return MaskUse.COMBINED;
  }

  ElementwiseMerge(C config, String name) {
    super(config, name);
  }

  /** The element-wise operation that joins the merge of the inputs so far with the next input. */
  protected abstract SDVariable combine(GraphContext ctx, SDVariable merged, SDVariable next);

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return Integer.MAX_VALUE;
  }

  /** The common shape of the inputs; a located shape error naming both shapes when they differ. */
  @Override
  protected final long[] outputShape(List<long[]> in) {
    long[] first = in.get(0);
    for (int i = 1; i < in.size(); i++) {
      if (!Shapes.sameSample(first, in.get(i))) {
        throw DlnRuntimeException.shape(
            describe() + " needs inputs of the same shape, got " + Shapes.format(first) + " and " + Shapes.format(in.get(i)),
            "make the branches end with the same number of units/filters (e.g. a Dense or 1×1 Conv2D on one of them)");
      }
    }
    return first;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable merged = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) merged = combine(ctx, merged, inputs.get(i));
    return merged;
  }
}

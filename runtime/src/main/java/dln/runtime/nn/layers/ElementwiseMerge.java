package dln.runtime.nn.layers;

import dln.runtime.nn.ConfiguredLayer;
import java.util.List;

/**
 * A merge of two or more tensors of the same shape, element by element (Multiply, Subtract,
 * Average, Maximum): the input count and shape rule they share, so each merge states only its
 * element-wise operation.
 */
abstract class ElementwiseMerge<C extends Record> extends ConfiguredLayer<C> {
  ElementwiseMerge(C config, String name) {
    super(config, name);
  }

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return Integer.MAX_VALUE;
  }

  @Override
  protected final long[] outputShape(List<long[]> in) {
    return Merging.sameShape(this, in);
  }
}

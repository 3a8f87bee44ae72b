package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Layer;
import dln.runtime.Shapes;
import java.util.List;

/** The shape rule shared by the element-wise merges (Multiply, Subtract, Average, Maximum). */
final class Merging {
  private Merging() {}

  /** The common shape of the inputs; a located shape error naming both shapes when they differ. */
  static long[] sameShape(Layer layer, List<long[]> in) {
    long[] first = in.get(0);
    for (int i = 1; i < in.size(); i++) {
      if (!Shapes.sameSample(first, in.get(i))) {
        throw DlnRuntimeException.shape(
            layer.describe() + " needs inputs of the same shape, got " + Shapes.format(first) + " and " + Shapes.format(in.get(i)),
            "make the branches end with the same number of units/filters (e.g. a Dense or 1×1 Conv2D on one of them)");
      }
    }
    return first;
  }
}

package dln.runtime.train.fast;

import dln.runtime.nn.LayerBody;
import dln.runtime.nn.ScriptedLayer;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** A custom layer (as a subclassed keras.layers.Layer is) computing 2·x: the kind of model the fast engine leaves to SameDiff. */
final class DoublingLayer implements LayerBody {
  static ScriptedLayer create() {
    return new ScriptedLayer(new DoublingLayer(), null);
  }

  @Override
  public String typeName() {
    return "Doubling";
  }

  @Override
  public void build(ScriptedLayer layer, List<long[]> inputShapes) {}

  @Override
  public SDVariable forward(ScriptedLayer layer, List<SDVariable> inputs, List<long[]> shapes, boolean training) {
    return inputs.get(0).mul(2.0);
  }

  @Override
  public Object owner() {
    return this;
  }
}

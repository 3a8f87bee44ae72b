package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Softmax over an axis (the last by default): values become probabilities summing to one. */
public final class Softmax extends ConfiguredLayer<Softmax.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Softmax.class, Config.class, Softmax::new,
      "Softmax over an axis (default the last): values become probabilities summing to 1.\n"
          + "Example: Softmax()(logits)");

  public record Config(@Param(dflt = "-1") int axis) {}

  public Softmax(Config config, String name) {
    super(config, name);
  }

  public Softmax() {
    this(new Config(-1), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    int axis = config.axis() < 0 ? s.length + config.axis() : config.axis();
    if (axis <= 0 || axis >= s.length) {
      throw shapeError("an axis between 1 and " + (s.length - 1) + " (got axis " + config.axis() + ")", s, null);
    }
    return s;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    int rank = shapes.get(0).length;
    int axis = config.axis() < 0 ? rank + config.axis() : config.axis();
    if (axis == rank - 1) return ctx.recordLogits(ctx.sd().nn.softmax(x, axis), x, GraphContext.LogitKind.SOFTMAX);
    // Another axis swapped to the end and back: libnd4j M2.1's softmax over axis 1 of a rank-4
    // tensor normalises the wrong values (axis 1 of rank 3 and axis 2 of rank 4 come out right).
    int[] swap = new int[rank];
    for (int k = 0; k < rank; k++) swap[k] = k;
    swap[axis] = rank - 1;
    swap[rank - 1] = axis;
    return ctx.sd().nn.softmax(x.permute(swap), rank - 1).permute(swap);
  }
}

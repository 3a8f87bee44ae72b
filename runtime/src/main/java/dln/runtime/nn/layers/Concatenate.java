package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Joins tensors along an axis (the last by default; Inception blocks join channels). */
public final class Concatenate extends ConfiguredLayer<Concatenate.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Concatenate.class, Config.class, Concatenate::new,
      "Joins tensors along an axis (default the last, the channels).\n"
          + "Example: Concatenate()([a, b])");

  public record Config(@Param(dflt = "-1") int axis) {
    public Config {
      if (axis == 0) throw DlnRuntimeException.value("Concatenate cannot join along the batch axis 0", "use axis=-1 (the default)");
    }
  }

  public Concatenate(Config config, String name) {
    super(config, name);
  }

  public Concatenate() {
    this(new Config(-1), null);
  }

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return Integer.MAX_VALUE;
  }

  /**
   * Joining features (the last axis, the default), masked inputs give an output kept where all of
   * them are (Keras's Concatenate.compute_mask); joining along another axis cannot honour a mask here.
   */
  @Override
  public MaskUse maskUse() {
    return config.axis() == -1 ? MaskUse.COMBINED : MaskUse.REFUSED;
  }

  private int axis(int rank) {
    return config.axis() < 0 ? rank + config.axis() : config.axis();
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] first = in.get(0);
    int axis = axis(first.length);
    if (axis <= 0 || axis >= first.length) {
      throw shapeError("inputs with an axis " + config.axis(), first, null);
    }
    long[] out = first.clone();
    for (int i = 1; i < in.size(); i++) {
      long[] s = in.get(i);
      boolean ok = s.length == first.length;
      for (int d = 1; ok && d < s.length; d++) ok = d == axis || s[d] == first[d];
      if (!ok) {
        throw DlnRuntimeException.shape(
            describe() + " joins along axis " + axis + " and needs every other axis equal, got " + Shapes.format(first)
                + " and " + Shapes.format(s),
            "resize the branches to the same height/width (same padding, same strides)");
      }
      out[axis] = out[axis] == Shapes.UNKNOWN || s[axis] == Shapes.UNKNOWN ? Shapes.UNKNOWN : out[axis] + s[axis];
    }
    return out;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return ctx.sd().concat(axis(shapes.get(0).length), inputs.toArray(new SDVariable[0]));
  }
}

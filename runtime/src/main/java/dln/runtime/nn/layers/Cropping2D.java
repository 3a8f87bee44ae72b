package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/** Keras's Cropping2D on channels-last images: removes rows and columns at the borders. */
public final class Cropping2D extends ConfiguredLayer<Cropping2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Cropping2D.class, Config.class, Cropping2D::new,
      "Removes rows and columns at the borders of each image: cropping = n, (vertical, horizontal) or (top, bottom, left, right).\n"
          + "Example: Cropping2D((2, 2)), Cropping2D((1, 0, 2, 2))");

  /** @param cropping top, bottom, left, right (one number = all four; two = (vertical, horizontal)) */
  public record Config(@Param int[] cropping) {
    public Config {
      cropping = Geometry.borders(cropping, 0, "Cropping2D", "cropping");
    }
  }

  public Cropping2D(Config config, String name) {
    super(config, name);
  }

  public Cropping2D(int top, int bottom, int left, int right) {
    this(new Config(new int[] {top, bottom, left, right}), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    int[] c = config.cropping();
    long h = Shapes.ifKnown(s[1], s[1] - c[0] - c[1]);
    long w = Shapes.ifKnown(s[2], s[2] - c[2] - c[3]);
    if ((h <= 0 && h != Shapes.UNKNOWN) || (w <= 0 && w != Shapes.UNKNOWN)) {
      throw DlnRuntimeException.shape(describe() + " crops " + (c[0] + c[1]) + " rows and " + (c[2] + c[3])
          + " columns, which leaves nothing of an input of shape " + Shapes.format(s), "crop less than the image's height and width");
    }
    return new long[] {Shapes.UNKNOWN, h, w, s[3]};
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    long[] s = shapes.get(0);
    int[] c = config.cropping();
    return inputs.get(0).get(SDIndex.all(), SDIndex.interval((long) c[0], s[1] - c[1]), SDIndex.interval((long) c[2], s[2] - c[3]),
        SDIndex.all());
  }
}

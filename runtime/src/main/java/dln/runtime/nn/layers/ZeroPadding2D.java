package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's ZeroPadding2D on channels-last images: adds rows and columns around each image. Needed
 * for asymmetric or explicit padding that 'same' does not produce (PyTorch's padding=3 on a 7×7
 * stride-2 convolution pads 3 on both sides; 'same' would pad 2 and 3). {@code value} (a DLN
 * extension, default 0) lets max pooling pad with the lowest float so borders never win.
 */
public final class ZeroPadding2D extends ConfiguredLayer<ZeroPadding2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(ZeroPadding2D.class, Config.class, ZeroPadding2D::new,
      "Adds rows and columns around each image: padding = n, (vertical, horizontal) or (top, bottom, left, right); value (default 0) is the fill.\n"
          + "Example: x = ZeroPadding2D((3, 3))(inputs)");

  /**
   * @param padding top, bottom, left, right (one number = all four; two = (vertical, horizontal))
   * @param value the fill value
   */
  public record Config(@Param int[] padding, @Param(dflt = "0") double value) {
    public Config {
      padding = Geometry.borders(padding, 1, "ZeroPadding2D", "padding");
    }
  }

  public ZeroPadding2D(Config config, String name) {
    super(config, name);
  }

  public ZeroPadding2D(int top, int bottom, int left, int right) {
    this(new Config(new int[] {top, bottom, left, right}, 0), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    int[] p = config.padding();
    return new long[] {Shapes.UNKNOWN, Shapes.ifKnown(s[1], s[1] + p[0] + p[1]), Shapes.ifKnown(s[2], s[2] + p[2] + p[3]), s[3]};
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    int[] p = config.padding();
    SDVariable pads = ctx.sd().constant(ctx.uniqueName(name() + "_pads"),
        Nd4j.createFromArray(new int[][] {{0, 0}, {p[0], p[1]}, {p[2], p[3]}, {0, 0}}));
    return ctx.sd().nn().pad(inputs.get(0), pads, PadMode.CONSTANT, config.value());
  }
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Keras's UpSampling2D on channels-last images: repeats each row and column (nearest-neighbour). */
public final class UpSampling2D extends ConfiguredLayer<UpSampling2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(UpSampling2D.class, Config.class, UpSampling2D::new,
      "Enlarges each image by repeating its rows and columns size = n or (rows, columns) times (nearest-neighbour).\n"
          + "Example: UpSampling2D(2), UpSampling2D((2, 3))");

  /**
   * @param size (rows, columns) repetition factors
   * @param interpolation only "nearest" (Keras's default)
   */
  public record Config(@Param int[] size, @Param(dflt = "nearest") String interpolation) {
    public Config {
      size = Geometry.pair(size, "size", new int[] {2, 2});
      interpolation = interpolation == null ? "nearest" : interpolation.toLowerCase(Locale.ROOT);
      if (!interpolation.equals("nearest")) {
        throw DlnRuntimeException.value("UpSampling2D supports interpolation='nearest' only, got '" + interpolation + "'",
            "leave interpolation out (nearest-neighbour), or follow with a Conv2D to smooth the result");
      }
    }
  }

  public UpSampling2D(Config config, String name) {
    super(config, name);
  }

  public UpSampling2D(int rows, int columns) {
    this(new Config(new int[] {rows, columns}, "nearest"), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    return new long[] {Shapes.UNKNOWN, Shapes.ifKnown(s[1], s[1] * config.size()[0]), Shapes.ifKnown(s[2], s[2] * config.size()[1]), s[3]};
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    // Each pixel broadcast over a (rows, columns) block of ones: SameDiff M2.1's upsampling2d op
    // computes a wrong gradient for channels-last input (checked against the sum over each block).
    long[] s = shapes.get(0);
    int sh = config.size()[0];
    int sw = config.size()[1];
    SDVariable ones = ctx.sd().constant(ctx.uniqueName(name() + "_block"), Nd4j.ones(DataType.FLOAT, 1, 1, sh, 1, sw, 1));
    return inputs.get(0).reshape(-1, s[1], 1, s[2], 1, s[3]).mul(ones).reshape(-1, s[1] * sh, s[2] * sw, s[3]);
  }
}

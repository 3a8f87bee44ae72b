package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerArgs;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.nn.Regularizer;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * 2-D convolution on channels-last images (batch, height, width, channels), Keras's kernel layout
 * (kernel_h, kernel_w, in_channels, filters).
 */
public final class Conv2D extends ConfiguredLayer<Conv2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Conv2D.class, Config.class, Conv2D::new,
      "A 2-D convolution over channels-last images (batch, height, width, channels); padding 'valid' or 'same'.\n"
          + "Example: Conv2D(32, 3, activation='relu'), Conv2D(128, 5, strides=(2, 2), padding='same'), Conv2D(128, 5, stride 2)")
      .preset(Conv2D::terseArgs);

  /**
   * @param kernelSize (height, width)
   * @param strides (height, width)
   * @param padding "valid" (no padding) or "same" (output size = ceil(input / stride))
   */
  public record Config(int filters, int[] kernelSize, @Param(aliases = "stride") int[] strides, @Param String padding,
      @Param String activation, @Param(dflt = "true") boolean useBias, @Param(dflt = "glorot_uniform") String kernelInitializer,
      @Param(dflt = "zeros") String biasInitializer, @Param Regularizer kernelRegularizer) {
    public Config {
      if (filters <= 0) throw DlnRuntimeException.value("Conv2D needs a positive number of filters, got " + filters, "e.g. Conv2D(32, 3)");
      kernelSize = Geometry.pair(kernelSize, "kernel_size", null);
      strides = Geometry.pair(strides, "strides", new int[] {1, 1});
      padding = Geometry.padding(padding);
      activation = Activations.check(activation);
      kernelInitializer = Initializers.check(kernelInitializer);
      biasInitializer = Initializers.check(biasInitializer == null ? "zeros" : biasInitializer);
    }

    public Config(int filters, int kernelSize, String activation) {
      this(filters, new int[] {kernelSize, kernelSize}, null, "valid", activation, true, "glorot_uniform", "zeros", null);
    }
  }

  public Conv2D(Config config, String name) {
    super(config, name);
  }

  public Conv2D(int filters, int kernelSize, String activation) {
    this(new Config(filters, kernelSize, activation), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return Geometry.slidingWindowOutput(this, in.get(0), config.kernelSize(), config.strides(), config.padding(), config.filters());
  }

  @Override
  protected void build(List<long[]> in) {
    long channels = in.get(0)[3];
    int[] k = config.kernelSize();
    addWeight("kernel", new long[] {k[0], k[1], channels, config.filters()}, config.kernelInitializer(), true,
        config.kernelRegularizer());
    if (config.useBias()) addWeight("bias", new long[] {config.filters()}, config.biasInitializer(), true, null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    int[] k = config.kernelSize();
    int[] st = config.strides();
    // Kernel layout [kH, kW, inC, outC] is libnd4j's default weights format, the same as Keras's.
    Conv2DConfig c = Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(st[0]).sW(st[1]).dH(1).dW(1)
        .paddingMode(config.padding().equals("same") ? PaddingMode.SAME : PaddingMode.VALID)
        .dataFormat("NHWC").build();
    SDVariable kernel = ctx.weight(weight("kernel"));
    SDVariable z = config.useBias()
        ? ctx.sd().cnn().conv2d(inputs.get(0), kernel, ctx.weight(weight("bias")), c)
        : ctx.sd().cnn().conv2d(inputs.get(0), kernel, c);
    return Activations.apply(ctx, config.activation(), z);
  }

  /**
   * Keras's positional order (filters, kernel_size, strides, padding, activation), also accepting
   * the terse forms where the third or fourth positional is an activation or a padding:
   * {@code Conv2D(32, 3, relu)}, {@code Conv2D(32, 3, 'same', relu)}.
   */
  private static void terseArgs(LayerArgs a, Map<String, Object> values) {
    String activation = a.has("activation") ? a.name("activation") : null;
    String padding = a.has("padding") && a.raw("padding") instanceof String s ? s : null;
    int[] strides = null;
    if (a.has("strides")) {
      if (a.isName("strides")) {
        String n = a.name("strides");
        if (n.equals("same") || n.equals("valid")) padding = n;
        else activation = n;
      } else {
        strides = a.ints("strides");
      }
    }
    if (a.has("padding") && a.isFunction("padding")) activation = a.name("padding");
    values.put("activation", activation);
    values.put("padding", padding);
    values.put("strides", strides);
  }
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.nn.Regularizer;
import dln.runtime.Shapes;
import java.util.List;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-D convolution over sequences (batch, steps, channels), Keras's kernel layout (kernel_size,
 * in_channels, filters). Padding 'valid', 'same' or 'causal' (left padding of kernel_size − 1, so
 * an output step sees only its own and earlier input steps). Computed as a 2-D convolution of
 * height 1, the way libnd4j's own conv1d is.
 */
public final class Conv1D extends ConfiguredLayer<Conv1D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Conv1D.class, Config.class, Conv1D::new,
      "A 1-D convolution over sequences (batch, steps, channels); padding 'valid', 'same' or 'causal'.\n"
          + "Example: Conv1D(32, 3, activation='relu'), Conv1D(64, 5, strides=2, padding='causal')");

  /**
   * @param kernelSize the window's length in steps
   * @param strides the step between windows
   * @param padding "valid", "same" (output length ceil(steps / strides)) or "causal"
   */
  public record Config(int filters, int[] kernelSize, @Param(aliases = "stride") int[] strides, @Param(dflt = "valid") String padding,
      @Param String activation, @Param(dflt = "true") boolean useBias, @Param(dflt = "glorot_uniform") String kernelInitializer,
      @Param(dflt = "zeros") String biasInitializer, @Param Regularizer kernelRegularizer) {
    public Config {
      if (filters <= 0) throw DlnRuntimeException.value("Conv1D needs a positive number of filters, got " + filters, "e.g. Conv1D(32, 3)");
      kernelSize = new int[] {Geometry.single(kernelSize, "kernel_size", 0)};
      strides = new int[] {Geometry.single(strides, "strides", 1)};
      String p = padding == null ? "valid" : padding.toLowerCase(Locale.ROOT);
      if (!p.equals("valid") && !p.equals("same") && !p.equals("causal")) {
        throw DlnRuntimeException.value("Conv1D padding must be 'valid', 'same' or 'causal', got '" + padding + "'");
      }
      padding = p;
      activation = Activations.check(activation);
      kernelInitializer = Initializers.check(kernelInitializer);
      biasInitializer = Initializers.check(biasInitializer == null ? "zeros" : biasInitializer);
    }

    public Config(int filters, int kernelSize, String activation) {
      this(filters, new int[] {kernelSize}, null, "valid", activation, true, "glorot_uniform", "zeros", null);
    }
  }

  public Conv1D(Config config, String name) {
    super(config, name);
  }

  public Conv1D(int filters, int kernelSize, String activation) {
    this(new Config(filters, kernelSize, activation), null);
  }

  /** The window length. */
  public int kernel() {
    return config.kernelSize()[0];
  }

  /** The stride. */
  public int stride() {
    return config.strides()[0];
  }

  /** Steps padded on the left before a valid convolution ('causal'), else 0. */
  public int causalPadding() {
    return config.padding().equals("causal") ? kernel() - 1 : 0;
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireSequence(this, in.get(0));
    String mode = config.padding().equals("same") ? "same" : "valid";
    long steps = Geometry.outSize(this, Shapes.ifKnown(s[1], s[1] + causalPadding()), kernel(), stride(), mode, "steps");
    return new long[] {Shapes.UNKNOWN, steps, config.filters()};
  }

  @Override
  protected void build(List<long[]> in) {
    long channels = in.get(0)[2];
    addWeight("kernel", new long[] {kernel(), channels, config.filters()}, config.kernelInitializer(), true, config.kernelRegularizer());
    if (config.useBias()) addWeight("bias", new long[] {config.filters()}, config.biasInitializer(), true, null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    long[] s = shapes.get(0);
    long[] out = outputShape(shapes);
    SDVariable x = inputs.get(0).reshape(-1, 1, s[1], s[2]);
    if (causalPadding() > 0) {
      SDVariable pads = ctx.sd().constant(ctx.uniqueName(name() + "_pads"),
          Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {causalPadding(), 0}, {0, 0}}));
      x = ctx.sd().nn().pad(x, pads, PadMode.CONSTANT, 0);
    }
    Conv2DConfig c = Conv2DConfig.builder().kH(1).kW(kernel()).sH(1).sW(stride()).dH(1).dW(1)
        .paddingMode(config.padding().equals("same") ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NHWC").build();
    SDVariable kernel = ctx.weight(weight("kernel")).reshape(1, kernel(), s[2], config.filters());
    SDVariable z = config.useBias()
        ? ctx.sd().cnn().conv2d(x, kernel, ctx.weight(weight("bias")), c)
        : ctx.sd().cnn().conv2d(x, kernel, c);
    return Activations.apply(ctx, config.activation(), z.reshape(-1, out[1], out[2]));
  }
}

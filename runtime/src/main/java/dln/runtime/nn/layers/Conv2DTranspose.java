package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;

/**
 * Keras's Conv2DTranspose (a "deconvolution", the gradient of a convolution) on channels-last
 * images: kernel (kernel_h, kernel_w, filters, in_channels), as Keras stores it and libnd4j's
 * deconv2d reads it. Output size {@code (in − 1)·stride + kernel} ('valid') or {@code in·stride}
 * ('same').
 */
public final class Conv2DTranspose extends ConfiguredLayer<Conv2DTranspose.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Conv2DTranspose.class, Config.class, Conv2DTranspose::new,
      "A transposed 2-D convolution that enlarges images (decoders, GANs): 'same' gives input size × strides.\n"
          + "Example: Conv2DTranspose(16, 3, strides=2, padding='same', activation='relu')");

  public record Config(int filters, int[] kernelSize, @Param(aliases = "stride") int[] strides, @Param(dflt = "valid") String padding,
      @Param String activation, @Param(dflt = "true") boolean useBias, @Param(dflt = "glorot_uniform") String kernelInitializer,
      @Param(dflt = "zeros") String biasInitializer) {
    public Config {
      if (filters <= 0) {
        throw DlnRuntimeException.value("Conv2DTranspose needs a positive number of filters, got " + filters, "e.g. Conv2DTranspose(16, 3)");
      }
      kernelSize = Geometry.pair(kernelSize, "kernel_size", null);
      strides = Geometry.pair(strides, "strides", new int[] {1, 1});
      padding = Geometry.padding(padding);
      activation = Activations.check(activation);
      kernelInitializer = Initializers.check(kernelInitializer == null ? "glorot_uniform" : kernelInitializer);
      biasInitializer = Initializers.check(biasInitializer == null ? "zeros" : biasInitializer);
    }
  }

  public Conv2DTranspose(Config config, String name) {
    super(config, name);
  }

  public Conv2DTranspose(int filters, int kernelSize, int stride, String padding, String activation) {
    this(new Config(filters, new int[] {kernelSize}, new int[] {stride}, padding, activation, true, null, null), null);
  }

  private long size(long in, int k, int s) {
    return Shapes.ifKnown(in, config.padding().equals("same") ? in * s : (in - 1) * s + k);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    int[] k = config.kernelSize();
    int[] st = config.strides();
    return new long[] {Shapes.UNKNOWN, size(s[1], k[0], st[0]), size(s[2], k[1], st[1]), config.filters()};
  }

  @Override
  protected void build(List<long[]> in) {
    long channels = in.get(0)[3];
    int[] k = config.kernelSize();
    addWeight("kernel", new long[] {k[0], k[1], config.filters(), channels}, config.kernelInitializer(), true, null);
    if (config.useBias()) addWeight("bias", new long[] {config.filters()}, config.biasInitializer(), true, null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    int[] k = config.kernelSize();
    int[] st = config.strides();
    DeConv2DConfig c = DeConv2DConfig.builder().kH(k[0]).kW(k[1]).sH(st[0]).sW(st[1]).dH(1).dW(1)
        .isSameMode(config.padding().equals("same")).dataFormat("NHWC").build();
    SDVariable z = ctx.sd().cnn().deconv2d(inputs.get(0), ctx.weight(weight("kernel")),
        config.useBias() ? ctx.weight(weight("bias")) : null, c);
    return Activations.apply(ctx, config.activation(), z);
  }
}

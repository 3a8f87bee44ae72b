package dln.runtime.nn.layers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dln.runtime.DlnRuntimeException;
import dln.runtime.Muted;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.GraphFunction;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's Lambda: a user's function of the input tensor as a layer without weights, built into
 * the model's graph (see {@link GraphFunction}) and so differentiated by the autodiff. Its output
 * shape is {@code output_shape} when given, else found at definition by running the function once
 * on a batch of two zero samples, which also reports an error in the function where the layer is
 * applied. A model with a Lambda layer cannot be saved: its file would have to hold code.
 */
public final class Lambda extends ConfiguredLayer<Lambda.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Lambda.class, Config.class, Lambda::new,
      "Applies a function to its input as a layer (no weights); the function is differentiated when the model trains.\n"
          + "It uses the tensor operators and math functions (+ - * / @ **, exp, tanh, relu, sum, mean, ...).\n"
          + "output_shape (without the batch axis) is optional. Models with a Lambda layer cannot be saved.\n"
          + "Example: Lambda(lambda x: x * 2)(inputs), Lambda(my_function, output_shape=(10,))");

  /**
   * @param function the user's function (not written to model files)
   * @param outputShape the output's sample shape, or null to find it by running the function
   */
  public record Config(@JsonIgnore GraphFunction function, @Param long[] outputShape) {
    public Config {
      if (function == null) {
        throw DlnRuntimeException.value("Lambda needs a function, e.g. Lambda(lambda x: x * 2)",
            "a Lambda layer read from a model file has lost its function: build it again in code");
      }
      if (outputShape != null) outputShape = Shapes.checkSample(outputShape.clone(), "output");
    }
  }

  public Lambda(Config config, String name) {
    super(config, name);
  }

  public Lambda(GraphFunction function) {
    this(new Config(function, null), null);
  }

  @Override
  public String unsaveableReason() {
    return "it holds the function " + config.function().describe() + ", and model files hold no code";
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    if (config.outputShape() != null) return Shapes.withBatch(config.outputShape());
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, in.get(0));
    SDVariable y = config.function().apply(x);
    if (y == null || y.getSameDiff() != sd) {
      throw DlnRuntimeException.value(describe() + ": the function " + config.function().describe()
          + " must compute its result from its input", "e.g. Lambda(lambda x: x * 2)");
    }
    INDArray probe = Nd4j.zeros(DataType.FLOAT, Shapes.withBatchSize(in.get(0), 2));
    Map<String, INDArray> out = Muted.call(() -> sd.output(Map.of("x", probe), y.name()));
    long[] shape = out.get(y.name()).shape();
    if (shape.length == 0 || shape[0] != 2) {
      throw DlnRuntimeException.shape(describe() + ": the function " + config.function().describe()
          + " must keep the batch axis first, but it returned shape " + Shapes.format(shape) + " for a batch of 2",
          "reduce over the sample axes only, e.g. sum(x, axis=1)");
    }
    shape[0] = -1;
    return shape;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return config.function().apply(inputs.get(0));
  }
}

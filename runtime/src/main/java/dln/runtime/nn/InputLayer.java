package dln.runtime.nn;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** The entry point of a model: holds the per-sample input shape. Created by {@code Input(shape)}. */
public final class InputLayer extends ConfiguredLayer<InputLayer.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(InputLayer.class, Config.class, InputLayer::new,
      "The entry point of a model, holding the per-sample input shape; made by Input(shape).\n"
          + "Example: Input(shape=(28, 28, 1))")
      .notCallable();

  /** @param shape per-sample shape, e.g. [28, 28, 1] or [784] */
  public record Config(long[] shape) {
    public Config {
      if (shape == null || shape.length == 0) {
        throw DlnRuntimeException.value("Input needs a shape", "e.g. Input(784) or Input(shape=(28, 28, 1))");
      }
      Shapes.checkSample(shape, "Input");
    }
  }

  public InputLayer(Config config, String name) {
    super(config, name != null ? name : LayerNames.nextFromOne("input"));
  }

  @Override
  protected int minInputs() {
    return 0;
  }

  @Override
  protected int maxInputs() {
    return 0;
  }

  @Override
  protected long[] outputShape(List<long[]> inputShapes) {
    return Shapes.withBatch(config.shape());
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    throw new IllegalStateException("input layers are fed, not executed");
  }
}

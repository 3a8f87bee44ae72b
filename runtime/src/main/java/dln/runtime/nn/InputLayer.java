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

  /** Keras's dtype names an input may declare; the first is the default. */
  public static final List<String> DTYPES = List.of("float32", "float16", "float64", "int8", "int16", "int32", "int64", "uint8", "bool");

  /**
   * @param shape per-sample shape, e.g. [28, 28, 1] or [784]; {@link Shapes#UNKNOWN} (-1) for an
   *     axis of any size (Keras's None: the steps of a sequence, the height and width of an image)
   * @param dtype the data's dtype, one of {@link #DTYPES} (null: float32): the engines compute in
   *     float32, and an integer or bool input refuses data that its dtype cannot hold
   */
  public record Config(long[] shape, String dtype) {
    public Config {
      if (shape == null || shape.length == 0) {
        throw DlnRuntimeException.value("Input needs a shape", "e.g. Input(784) or Input(shape=(28, 28, 1))");
      }
      Shapes.checkSampleOrUnknown(shape, "Input");
      dtype = checkDtype(dtype);
    }

    public Config(long[] shape) {
      this(shape, null);
    }
  }

  /** A dtype name as Keras spells it ({@code "int64"}), null for the default float32; a located error lists the names. */
  public static String checkDtype(String dtype) {
    if (dtype == null) return DTYPES.get(0);
    String name = dtype.toLowerCase(java.util.Locale.ROOT);
    if (!DTYPES.contains(name)) {
      throw DlnRuntimeException.value("Input dtype '" + dtype + "' is not one DLN knows",
          "use one of " + String.join(", ", DTYPES) + " (e.g. dtype='int32' for the word indices of an Embedding)");
    }
    return name;
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

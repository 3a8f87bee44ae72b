package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerArgs;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/** Looks up a learned vector per integer index: (batch, steps) -> (batch, steps, output_dim). */
public final class Embedding extends ConfiguredLayer<Embedding.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Embedding.class, Config.class, Embedding::new,
      "Looks up a learned vector for each integer index in 0..input_dim-1: (batch, steps) -> (batch, steps, output_dim).\n"
          + "mask_zero=true makes index 0 padding: later LSTM/GRU/SimpleRNN/Bidirectional/GlobalAveragePooling1D layers skip those steps.\n"
          + "Example: Embedding(10000, 64), Embedding(10001, 64, mask_zero=true)")
      .extraArg("input_length")
      .afterCreate(Embedding::inputLength);

  /**
   * @param inputDim size of the vocabulary (indices are 0 .. inputDim-1)
   * @param outputDim length of each vector
   * @param maskZero index 0 is padding: the output carries a mask of the steps whose index is not 0 (Keras's mask_zero)
   */
  public record Config(int inputDim, int outputDim, @Param(dflt = "random_uniform") String embeddingsInitializer,
      @Param(dflt = "false") boolean maskZero) {
    public Config {
      if (inputDim <= 0 || outputDim <= 0) {
        throw DlnRuntimeException.value("Embedding needs positive input_dim and output_dim, got " + inputDim + " and " + outputDim,
            "e.g. Embedding(10000, 64) for a 10,000-word vocabulary");
      }
      embeddingsInitializer = Initializers.check(embeddingsInitializer == null ? "random_uniform" : embeddingsInitializer);
    }

    public Config(int inputDim, int outputDim) {
      this(inputDim, outputDim, "random_uniform", false);
    }
  }

  public Embedding(Config config, String name) {
    super(config, name);
  }

  public Embedding(int inputDim, int outputDim) {
    this(new Config(inputDim, outputDim), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length != 2) throw shapeError("2-D integer indices (batch, steps)", s, null);
    return new long[] {Shapes.UNKNOWN, s[1], config.outputDim()};
  }

  @Override
  protected void build(List<long[]> in) {
    addWeight("embeddings", new long[] {config.inputDim(), config.outputDim()}, config.embeddingsInitializer(), true, null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    // A one-hot product rather than gather: SameDiff M2.1's gather gradient does not add up the
    // contributions of an index that occurs more than once in a batch (measured: wrong gradients).
    long steps = shapes.get(0)[1];
    SDVariable indices = inputs.get(0).castTo(DataType.INT32);
    SDVariable oneHot = ctx.sd().oneHot(indices, config.inputDim(), -1, 1.0, 0.0, DataType.FLOAT);
    SDVariable rows = oneHot.reshape(-1, config.inputDim()).mmul(ctx.weight(weight("embeddings")));
    return rows.reshape(-1, steps, config.outputDim());
  }

  @Override
  public boolean masksOutput(boolean inputMasked) {
    return config.maskZero();
  }

  /**
   * Keras's mask_zero: a step is kept where its index is not 0, sign(index) for indices ≥ 0. Float
   * ops only: with a comparison (a BOOL tensor) in the graph SameDiff M2.1 computes no gradients.
   */
  @Override
  protected SDVariable outputMask(GraphContext ctx, List<SDVariable> inputs, SDVariable mask) {
    return config.maskZero() ? ctx.sd().math().sign(inputs.get(0).castTo(DataType.FLOAT)) : null;
  }

  /** Keras's input_length is the input shape (steps), unless input_shape says otherwise. */
  private static void inputLength(LayerArgs a, Layer layer) {
    if (a.has("input_length") && !a.has("input_shape")) layer.withInputShape(a.intValue("input_length"));
  }
}

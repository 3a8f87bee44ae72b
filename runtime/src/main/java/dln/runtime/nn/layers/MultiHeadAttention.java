package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.NamedInputs;
import dln.runtime.nn.Param;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.Weight;
import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's MultiHeadAttention over sequences (batch, steps, features): the query, key and value
 * are projected into {@code num_heads} heads ({@code key_dim} features for query and key,
 * {@code value_dim} for the value), each head attends with {@code softmax(q·kᵀ/√key_dim)} (an
 * optional attention mask of shape (batch, query steps, value steps) hides positions where it is
 * 0, as Keras adds −10⁹ to their scores), and the heads' results are projected back to the
 * query's features (or {@code output_shape}). Its weights, in Keras's order and shapes, are
 * query/key/value kernels (features, heads, dim) with biases (heads, dim), then the output kernel
 * (heads, value_dim, features) and bias.
 *
 * <p>The node's inputs are [query, value, key] (key = value when the call leaves it out), then
 * the mask when given.
 */
public final class MultiHeadAttention extends ConfiguredLayer<MultiHeadAttention.Config> implements NamedInputs {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(MultiHeadAttention.class, Config.class, MultiHeadAttention::new,
      "Multi-head (scaled dot-product) attention over sequences (batch, steps, features), called as mha(query, value),\n"
          + "mha(query, value, key) or mha(x, x) for self-attention; attention_mask= (batch, query steps, value steps)\n"
          + "hides positions where it is 0. Output: (batch, query steps, query features or output_shape).\n"
          + "Example: y = MultiHeadAttention(num_heads=2, key_dim=16)(x, x)");

  /** Keras adds this to masked scores (its large negative for float32), so their weight is 0. */
  public static final double MASKED_SCORE = -1e9;

  /**
   * @param valueDim features per head of the value (null: key_dim)
   * @param outputShape features of the output (null: the query's)
   */
  public record Config(int numHeads, int keyDim, @Param Integer valueDim, @Param(dflt = "0.0") double dropout,
      @Param(dflt = "true") boolean useBias, @Param Integer outputShape,
      @Param(dflt = "glorot_uniform") String kernelInitializer, @Param(dflt = "zeros") String biasInitializer) {
    public Config {
      if (numHeads <= 0) {
        throw DlnRuntimeException.value("MultiHeadAttention num_heads must be positive, got " + numHeads,
            "e.g. MultiHeadAttention(num_heads=2, key_dim=16)");
      }
      if (keyDim <= 0) {
        throw DlnRuntimeException.value("MultiHeadAttention key_dim must be positive, got " + keyDim,
            "key_dim is the size of each attention head, e.g. 16");
      }
      if (valueDim != null && valueDim <= 0) {
        throw DlnRuntimeException.value("MultiHeadAttention value_dim must be positive, got " + valueDim, "leave it out to use key_dim");
      }
      if (outputShape != null && outputShape <= 0) {
        throw DlnRuntimeException.value("MultiHeadAttention output_shape must be positive, got " + outputShape,
            "leave it out to keep the query's features");
      }
      if (!(dropout >= 0 && dropout < 1)) throw DlnRuntimeException.value("MultiHeadAttention dropout must be in [0, 1), got " + dropout);
    }

    /** Features per head of the value. */
    public int headValueDim() {
      return valueDim != null ? valueDim : keyDim;
    }
  }

  public MultiHeadAttention(Config config, String name) {
    super(config, name);
  }

  public MultiHeadAttention(int numHeads, int keyDim) {
    this(new Config(numHeads, keyDim, null, 0.0, true, null, "glorot_uniform", "zeros"), null);
  }

  @Override
  public List<String> inputNames() {
    return List.of("query", "value", "key", "attention_mask");
  }

  @Override
  public int requiredInputs() {
    return 2;
  }

  @Override
  public <T> List<T> arrange(List<T> given) {
    List<T> out = new ArrayList<>(List.of(given.get(0), given.get(1), given.size() > 2 && given.get(2) != null ? given.get(2) : given.get(1)));
    if (given.size() > 3 && given.get(3) != null) out.add(given.get(3));
    return out;
  }

  /** [query, value] from Java means self-attention's key = value: the node always holds the key. */
  @Override
  public List<SymbolicTensor> apply(List<SymbolicTensor> inputs) {
    return super.apply(inputs.size() == 2 ? arrange(inputs) : inputs);
  }

  @Override
  public List<INDArray> call(List<INDArray> xs) {
    return super.call(xs.size() == 2 ? arrange(xs) : xs);
  }

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return 4;
  }

  /** The node's input shapes as [query, value, key] (key = value for two inputs). */
  private static long[] key(List<long[]> in) {
    return in.size() > 2 ? in.get(2) : in.get(1);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    String[] roles = {"query", "value", "key"};
    long[][] qvk = {in.get(0), in.get(1), key(in)};
    for (int i = 0; i < 3; i++) {
      if (qvk[i].length != 3) {
        throw DlnRuntimeException.shape(describe() + " expects its " + roles[i] + " as a sequence (batch, steps, features), but got "
            + Shapes.format(qvk[i]), qvk[i].length == 2 ? "add a steps axis first, e.g. Reshape((1, " + qvk[i][1] + "))" : null);
      }
    }
    if (qvk[1][1] != qvk[2][1]) {
      throw DlnRuntimeException.shape(describe() + " needs the key and the value to have the same number of steps, got key "
          + Shapes.format(qvk[2]) + " and value " + Shapes.format(qvk[1]), "each value step is weighted by the score of its key step");
    }
    if (in.size() > 3) {
      long[] m = in.get(3);
      if (m.length != 3 || m[1] != qvk[0][1] || m[2] != qvk[1][1]) {
        throw DlnRuntimeException.shape(describe() + " expects attention_mask of shape (None, " + qvk[0][1] + ", " + qvk[1][1]
            + ") (batch, query steps, value steps), got " + Shapes.format(m), "1 where a query step may attend to a value step, 0 where not");
      }
    }
    return new long[] {qvk[0][0], qvk[0][1], outputFeatures(in.get(0))};
  }

  private long outputFeatures(long[] query) {
    return config.outputShape() != null ? config.outputShape() : query[2];
  }

  @Override
  protected void build(List<long[]> in) {
    int h = config.numHeads();
    int k = config.keyDim();
    int v = config.headValueDim();
    projection("query", in.get(0)[2], k);
    projection("key", key(in)[2], k);
    projection("value", in.get(1)[2], v);
    long out = outputFeatures(in.get(0));
    addWeight("attention_output_kernel", new long[] {h, v, out}, config.kernelInitializer(), true, null);
    if (config.useBias()) addWeight("attention_output_bias", new long[] {out}, config.biasInitializer(), true, null);
  }

  private void projection(String role, long features, int dim) {
    addWeight(role + "_kernel", new long[] {features, config.numHeads(), dim}, config.kernelInitializer(), true, null);
    if (config.useBias()) addWeight(role + "_bias", new long[] {config.numHeads(), dim}, config.biasInitializer(), true, null);
  }

  /** A projection's kernel (features, heads, dim), or its bias (null without biases). */
  public Weight kernel(String role) {
    return weight(role + "_kernel");
  }

  public Weight bias(String role) {
    return weight(role + "_bias");
  }

  /** Reads the masks of padded steps on query, value and key (Keras's automatic attention mask). */
  @Override
  public MaskUse maskUse() {
    return MaskUse.CONSUMED;
  }

  /** As Keras: the output, one step per query step, carries the query's mask. */
  @Override
  protected boolean masksOutput(boolean[] inputsMasked) {
    super.masksOutput(inputsMasked);
    return inputsMasked[0];
  }

  /**
   * With masks of padded steps on the query, value or key (Keras's {@code _compute_attention_mask}):
   * query step i attends to value step j only where both are kept (ANDed with an attention_mask
   * given); the output carries the query's mask.
   */
  @Override
  public List<SDVariable> call(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable qMask = ctx.maskOf(inputs.get(0));
    SDVariable vMask = ctx.maskOf(inputs.get(1));
    SDVariable kMask = inputs.size() > 2 && inputs.get(2) != inputs.get(1) ? ctx.maskOf(inputs.get(2)) : null;
    if (qMask == null && vMask == null && kMask == null) return List.of(forward(ctx, inputs, shapes));
    long tq = shapes.get(0)[1];
    long tv = shapes.get(1)[1];
    SDVariable rows = qMask != null ? qMask.reshape(-1, tq, 1) : ctx.sd().constant(Nd4j.ones(DataType.FLOAT, 1, tq, 1));
    SDVariable columns = ctx.sd().constant(Nd4j.ones(DataType.FLOAT, 1, 1, tv));
    if (vMask != null) columns = vMask.reshape(-1, 1, tv).mul(columns);
    if (kMask != null) columns = kMask.reshape(-1, 1, tv).mul(columns);
    SDVariable auto = rows.mul(columns);
    List<SDVariable> withMask = new ArrayList<>(inputs.subList(0, 3));
    withMask.add(inputs.size() > 3 ? inputs.get(3).mul(auto) : auto);
    List<long[]> withShape = new ArrayList<>(shapes.subList(0, 3));
    withShape.add(new long[] {-1, tq, tv});
    SDVariable out = forward(ctx, withMask, withShape);
    ctx.setMask(out, qMask);
    return List.of(out);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    int h = config.numHeads();
    int k = config.keyDim();
    int v = config.headValueDim();
    long tq = shapes.get(0)[1];
    long tv = shapes.get(1)[1];
    SDVariable key = inputs.size() > 2 ? inputs.get(2) : inputs.get(1);
    // (batch, heads, steps, dim) per role; the query scaled by 1/√key_dim, as Keras does.
    SDVariable q = heads(ctx, "query", inputs.get(0), shapes.get(0), k).mul(1.0 / Math.sqrt(k));
    SDVariable kk = heads(ctx, "key", key, key(shapes), k);
    SDVariable vv = heads(ctx, "value", inputs.get(1), shapes.get(1), v);
    SDVariable scores = q.mmul(kk.permute(0, 1, 3, 2));
    if (inputs.size() > 3) {
      SDVariable mask = inputs.get(3).reshape(-1, 1, tq, tv);
      scores = scores.add(mask.rsub(1.0).mul(MASKED_SCORE));
    }
    SDVariable weights = ctx.sd().nn.softmax(scores, 3);
    if (ctx.training(this) && config.dropout() > 0) {
      weights = weights.mul(ctx.dropoutMask(this, new long[] {h, tq, tv}, config.dropout()));
    }
    // (batch, heads, tq, v) -> (batch·tq, heads·v), then the output projection.
    SDVariable context = weights.mmul(vv).permute(0, 2, 1, 3).reshape(-1, (long) h * v);
    long out = outputFeatures(shapes.get(0));
    SDVariable y = context.mmul(ctx.weight(weight("attention_output_kernel")).reshape((long) h * v, out));
    if (config.useBias()) y = y.add(ctx.weight(weight("attention_output_bias")));
    return y.reshape(-1, tq, out);
  }

  private SDVariable heads(GraphContext ctx, String role, SDVariable x, long[] shape, int dim) {
    int h = config.numHeads();
    SDVariable p = x.reshape(-1, shape[2]).mmul(ctx.weight(kernel(role)).reshape(shape[2], (long) h * dim));
    if (config.useBias()) p = p.add(ctx.weight(bias(role)).reshape((long) h * dim));
    return p.reshape(-1, shape[1], h, dim).permute(0, 2, 1, 3);
  }
}

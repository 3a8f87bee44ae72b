package dln.runtime.nn.layers;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.nn.Weight;
import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Keras's Bidirectional wrapper of a recurrent layer (LSTM, GRU, SimpleRNN): the given layer reads
 * the sequence forwards, a copy of it ({@code backward_<name>}, its own weights) reads it
 * backwards, and their outputs are merged ('concat' by default, or 'sum', 'mul', 'ave'). With
 * {@code return_sequences} the backward outputs are put back in time order before the merge; a mask
 * of padded steps reaches both directions. The
 * weights are the forward layer's, then the backward layer's, as in Keras.
 */
public final class Bidirectional extends ConfiguredLayer<Bidirectional.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Bidirectional.class, Config.class, Bidirectional::new,
      "Runs a recurrent layer over the sequence forwards and a copy of it backwards, merging both (merge_mode 'concat', 'sum', 'mul' or 'ave').\n"
          + "Example: Bidirectional(LSTM(32)), Bidirectional(GRU(16, return_sequences=true), merge_mode='sum')");

  /**
   * @param layer the recurrent layer run forwards (a new layer, not yet applied)
   * @param mergeMode how the two directions combine
   */
  public record Config(@JsonSerialize(using = NestedLayer.Writer.class) @JsonDeserialize(using = NestedLayer.Reader.class) Layer layer,
      @Param(dflt = "concat") String mergeMode) {
    public Config {
      if (!(layer instanceof RecurrentLayer<?>)) {
        throw DlnRuntimeException.value("Bidirectional wraps a recurrent layer (LSTM, GRU, SimpleRNN), got "
            + (layer == null ? "nothing" : layer.typeName()), "e.g. Bidirectional(LSTM(32))");
      }
      mergeMode = mergeMode == null ? "concat" : mergeMode.toLowerCase(Locale.ROOT);
      if (!List.of("concat", "sum", "mul", "ave").contains(mergeMode)) {
        throw DlnRuntimeException.value("Bidirectional merge_mode must be 'concat', 'sum', 'mul' or 'ave', got '" + mergeMode + "'");
      }
    }
  }

  private final Layer backward;

  public Bidirectional(Config config, String name) {
    super(config, name);
    this.backward = LayerRegistry.fromJson(LayerRegistry.toJson(config.layer()));
    backward.setName("backward_" + config.layer().name());
  }

  public Bidirectional(Layer layer) {
    this(new Config(layer, "concat"), null);
  }

  /** The layer reading forwards (the wrapped one). */
  public Layer forwardLayer() {
    return config.layer();
  }

  /** The copy reading backwards. */
  public Layer backwardLayer() {
    return backward;
  }

  /** Whether the wrapped layer returns every step. */
  public boolean returnSequences() {
    return ((RecurrentLayer<?>) config.layer()).returnSequences();
  }

  /** Masks as the wrapped recurrent layer does: reads the mask, hands it on with every step's output. */
  @Override
  public MaskUse maskUse() {
    return config.layer().maskUse();
  }

  @Override
  public boolean masksOutput(boolean inputMasked) {
    return config.layer().masksOutput(inputMasked);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] one = config.layer().outputShapes(in).get(0);
    long[] out = one.clone();
    if (config.mergeMode().equals("concat")) out[out.length - 1] *= 2;
    out[0] = Shapes.UNKNOWN;
    return out;
  }

  @Override
  protected void build(List<long[]> in) {
    config.layer().ensureBuilt(in);
    backward.ensureBuilt(in);
  }

  @Override
  public List<Weight> weightList() {
    List<Weight> w = new ArrayList<>(config.layer().weightList());
    w.addAll(backward.weightList());
    return w;
  }

  @Override
  public Weight weight(String weightName) {
    for (Weight w : weightList()) if (w.fullName().equals(weightName)) return w;
    return null;
  }

  @Override
  public long countParams() {
    return config.layer().countParams() + backward.countParams();
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return forward(ctx, inputs, shapes, null);
  }

  /**
   * With a mask both directions skip the padded steps (the backward one reads the mask reversed),
   * and, as Keras forces zero_output_for_mask on both, each returns zeros at them.
   */
  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes, SDVariable mask) {
    SDVariable x = inputs.get(0);
    SDVariable reversed = ctx.sd().reverse(x, 1);
    if (mask != null) ctx.setMask(reversed, ctx.sd().reverse(mask, 1));
    SDVariable f = config.layer().call(ctx, inputs, shapes).get(0);
    SDVariable b = backward.call(ctx, List.of(reversed), shapes).get(0);
    if (returnSequences()) b = ctx.sd().reverse(b, 1);
    if (returnSequences() && mask != null) {
      SDVariable kept = mask.reshape(-1, shapes.get(0)[1], 1);
      f = f.mul(kept);
      b = b.mul(kept);
    }
    return switch (config.mergeMode()) {
      case "concat" -> ctx.sd().concat(returnSequences() ? 2 : 1, f, b);
      case "sum" -> f.add(b);
      case "mul" -> f.mul(b);
      default -> f.add(b).mul(0.5);
    };
  }
}

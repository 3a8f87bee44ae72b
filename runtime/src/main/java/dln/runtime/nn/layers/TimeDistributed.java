package dln.runtime.nn.layers;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Weight;
import dln.runtime.Shapes;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Keras's TimeDistributed wrapper: applies one layer (one set of weights) to every step of a
 * sequence, (batch, steps, ...) → (batch, steps, ...the layer's output), by running it on the
 * (batch · steps, ...) batch of all steps.
 */
public final class TimeDistributed extends ConfiguredLayer<TimeDistributed.Config> implements Layer.PassesMask {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(TimeDistributed.class, Config.class, TimeDistributed::new,
      "Applies a layer to every step of a sequence (batch, steps, ...), the same weights at each step.\n"
          + "Example: TimeDistributed(Conv2D(8, 3)), TimeDistributed(Dense(10))");

  /** @param layer the layer applied at each step (a new layer, not yet applied) */
  public record Config(@JsonSerialize(using = NestedLayer.Writer.class) @JsonDeserialize(using = NestedLayer.Reader.class) Layer layer) {
    public Config {
      if (layer == null) throw DlnRuntimeException.value("TimeDistributed needs a layer", "e.g. TimeDistributed(Dense(10))");
      if (layer.typeName().equals("InputLayer")) throw DlnRuntimeException.value("TimeDistributed cannot wrap an InputLayer");
    }
  }

  public TimeDistributed(Config config, String name) {
    super(config, name);
  }

  public TimeDistributed(Layer layer) {
    this(new Config(layer), null);
  }

  /** The wrapped layer. */
  public Layer layer() {
    return config.layer();
  }

  /** The shape the wrapped layer sees: (batch · steps, ...). */
  public static long[] stepShape(long[] s) {
    long[] r = Arrays.copyOfRange(s, 1, s.length);
    r[0] = Shapes.UNKNOWN;
    return r;
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length < 3) {
      throw shapeError("sequences (batch, steps, ...) of rank 3 or more", s, "for one vector per sample use the layer itself, without TimeDistributed");
    }
    long[] inner = config.layer().outputShapes(List.of(stepShape(s))).get(0);
    long[] out = new long[inner.length + 1];
    out[0] = Shapes.UNKNOWN;
    out[1] = s[1];
    System.arraycopy(inner, 1, out, 2, inner.length - 1);
    return out;
  }

  @Override
  protected void build(List<long[]> in) {
    config.layer().ensureBuilt(List.of(stepShape(in.get(0))));
  }

  @Override
  public List<Weight> weightList() {
    return config.layer().weightList();
  }

  @Override
  public Weight weight(String weightName) {
    return config.layer().weight(weightName);
  }

  @Override
  public long countParams() {
    return config.layer().countParams();
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    long[] s = shapes.get(0);
    long[] step = stepShape(s);
    long[] out = outputShape(shapes);
    SDVariable x = inputs.get(0).reshape(step);
    SDVariable y = config.layer().call(ctx, List.of(x), List.of(step)).get(0);
    return y.reshape(out);
  }
}

package dln.runtime.nn.layers;

import dln.runtime.Shapes;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What LSTM, GRU and SimpleRNN have in common as layers: they read a mask of padded steps (Keras's
 * masking: a padded step carries the state on) and hand it on only when they return every step;
 * they read (batch, steps, features) and return (batch, units) or (batch, steps, units).
 *
 * @param <C> the layer's configuration record
 */
public abstract class RecurrentLayer<C extends Record & RecurrentLayer.Settings> extends ConfiguredLayer<C> {
  /** The settings every recurrent layer's config has. */
  public interface Settings {
    int units();

    /** True when the layer returns every step's output, (batch, steps, units). */
    boolean returnSequences();

    /** True when the layer reads the sequence last step first (Keras's go_backwards; the output stays in that order). */
    boolean goBackwards();
  }

  protected RecurrentLayer(C config, String name) {
    super(config, name);
  }

  /** True when the layer returns every step's output, (batch, steps, units). */
  public boolean returnSequences() {
    return config.returnSequences();
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireRecurrentInput(this, in.get(0));
    return returnSequences() ? new long[] {Shapes.UNKNOWN, s[1], config.units()} : new long[] {Shapes.UNKNOWN, config.units()};
  }

  @Override
  public MaskUse maskUse() {
    return MaskUse.CONSUMED;
  }

  /** As Keras: the input's mask goes on with the sequence of outputs, and no mask with the last output. */
  @Override
  public boolean masksOutput(boolean inputMasked) {
    return inputMasked && returnSequences();
  }

  @Override
  protected final SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return forward(ctx, inputs, shapes, null);
  }

  /** The recurrence; {@code mask} (batch, steps) is null when the input has none. */
  @Override
  protected abstract SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes, SDVariable mask);
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import java.util.Collections;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Repeats each sample's vector n times: (batch, features) -> (batch, n, features), as Keras's RepeatVector. */
public final class RepeatVector extends ConfiguredLayer<RepeatVector.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(RepeatVector.class, Config.class, RepeatVector::new,
      "Repeats each sample's vector n times: (batch, features) -> (batch, n, features), e.g. to feed an encoding to every step of a decoder LSTM.\n"
          + "Example: RepeatVector(10)");

  /** @param n how many times the vector is repeated (the output's steps) */
  public record Config(int n) {
    public Config {
      if (n <= 0) throw DlnRuntimeException.value("RepeatVector needs a positive n, got " + n, "e.g. RepeatVector(10)");
    }
  }

  public RepeatVector(Config config, String name) {
    super(config, name);
  }

  public RepeatVector(int n) {
    this(new Config(n), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length != 2) throw shapeError("2-D vectors (batch, features)", s, s.length > 2 ? "add Flatten() before it" : null);
    return new long[] {Shapes.UNKNOWN, config.n(), s[1]};
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    // n copies stacked on a new steps axis: its gradient is the sum over the copies.
    SDVariable[] copies = Collections.nCopies(config.n(), inputs.get(0)).toArray(new SDVariable[0]);
    return ctx.sd().stack(1, copies);
  }
}

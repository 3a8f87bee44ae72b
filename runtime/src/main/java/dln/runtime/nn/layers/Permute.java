package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Reorders the axes of each sample, as Keras's Permute: {@code dims} numbers the sample axes from 1. */
public final class Permute extends ConfiguredLayer<Permute.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Permute.class, Config.class, Permute::new,
      "Reorders the axes of each sample; dims numbers them from 1 (the batch axis stays first).\n"
          + "Example: Permute((2, 1)) turns (batch, steps, features) into (batch, features, steps)");

  /** @param dims a permutation of 1..n, n the rank of a sample */
  public record Config(int[] dims) {
    public Config {
      if (dims == null || dims.length == 0) {
        throw DlnRuntimeException.value("Permute needs dims, a permutation of the sample axes 1..n", "e.g. Permute((2, 1))");
      }
      boolean[] seen = new boolean[dims.length + 1];
      for (int d : dims) {
        if (d < 1 || d > dims.length || seen[d]) {
          throw DlnRuntimeException.value("Permute dims must be a permutation of 1.." + dims.length + ", got " + Arrays.toString(dims),
              d == 0 ? "axis 0 is the batch axis, which stays first: number the sample axes from 1" : "e.g. Permute((2, 1))");
        }
        seen[d] = true;
      }
      dims = dims.clone();
    }
  }

  public Permute(Config config, String name) {
    super(config, name);
  }

  public Permute(int... dims) {
    this(new Config(dims), null);
  }

  /** The permutation over all axes, the batch axis included. */
  public int[] fullPermutation() {
    int[] p = new int[config.dims().length + 1];
    for (int i = 0; i < config.dims().length; i++) p[i + 1] = config.dims()[i];
    return p;
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length != config.dims().length + 1) {
      throw shapeError("samples of rank " + config.dims().length + " (dims " + Arrays.toString(config.dims()) + ")", s,
          "give one number per sample axis, e.g. Permute(" + Shapes.format(identity(s.length - 1)) + ")");
    }
    long[] out = new long[s.length];
    int[] p = fullPermutation();
    for (int i = 0; i < s.length; i++) out[i] = s[p[i]];
    out[0] = Shapes.UNKNOWN;
    return out;
  }

  private static long[] identity(int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) v[i] = i + 1;
    return v;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return ctx.sd().permute(inputs.get(0), fullPermutation());
  }
}

package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Element-wise sum of two or more tensors of the same shape (residual connections). */
public final class Add extends ConfiguredLayer<Add.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Add.class, Config.class, Add::new,
      "Adds two or more tensors of the same shape (residual connections).\n"
          + "Example: Add()([x, y])");

  /** Add has no settings. */
  public record Config() {}

  public Add(Config config, String name) {
    super(config, name);
  }

  public Add() {
    this(new Config(), null);
  }

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return Integer.MAX_VALUE;
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] first = in.get(0);
    for (int i = 1; i < in.size(); i++) {
      if (!Shapes.sameSample(first, in.get(i))) {
        throw DlnRuntimeException.shape(
            describe() + " needs inputs of the same shape, got " + Shapes.format(first) + " and " + Shapes.format(in.get(i)),
            "make both branches end with the same number of units/filters (e.g. a 1×1 Conv2D or Dense on the shortcut)");
      }
    }
    return first;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable sum = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) sum = sum.add(inputs.get(i));
    return sum;
  }
}

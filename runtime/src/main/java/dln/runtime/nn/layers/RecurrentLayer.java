package dln.runtime.nn.layers;

import dln.runtime.Shapes;
import dln.runtime.nn.ConfiguredLayer;
import java.util.List;

/**
 * A recurrent layer over (batch, steps, features) in Keras's weight layout (LSTM, GRU, SimpleRNN):
 * its gates side by side in the columns of kernel (features, gates·units) and recurrent_kernel
 * (units, gates·units), with a bias of gates·units, and its output the last step's state, or every
 * step's with {@code return_sequences}. The shape rule and the weights they share live here, so
 * each layer states its gates and its step.
 *
 * @param <C> the layer's configuration record, with the settings every recurrent layer has
 */
public abstract class RecurrentLayer<C extends Record & RecurrentLayer.Settings> extends ConfiguredLayer<C> {
  /** The settings every recurrent layer's configuration has (Keras's names). */
  public interface Settings {
    /** The size of the state. */
    int units();

    /** Whether the layer has a bias. */
    boolean useBias();

    /** Whether the output is every step's state (else the last step's). */
    boolean returnSequences();

    /** The initialiser of the input kernel. */
    String kernelInitializer();

    /** The initialiser of the recurrent kernel. */
    String recurrentInitializer();
  }

  private final int gates;

  /**
   * @param config the validated settings
   * @param name the layer's name, or null for the next default name
   * @param gates how many blocks of {@code units} columns the kernels hold (LSTM 4, GRU 3, SimpleRNN 1)
   */
  RecurrentLayer(C config, String name, int gates) {
    super(config, name);
    this.gates = gates;
  }

  /** Whether the layer outputs every step (else the last step only). */
  public boolean returnSequences() {
    return config.returnSequences();
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireRecurrentInput(this, in.get(0));
    return config.returnSequences() ? new long[] {Shapes.UNKNOWN, s[1], config.units()} : new long[] {Shapes.UNKNOWN, config.units()};
  }

  @Override
  protected void build(List<long[]> in) {
    long features = in.get(0)[2];
    long columns = (long) gates * config.units();
    addWeight("kernel", new long[] {features, columns}, config.kernelInitializer(), true, null);
    addWeight("recurrent_kernel", new long[] {config.units(), columns}, config.recurrentInitializer(), true, null);
    if (config.useBias()) addWeight("bias", biasShape(columns), "zeros", true, null);
  }

  /** The bias's shape, given the kernels' column count: one row of them unless a layer keeps more. */
  protected long[] biasShape(long columns) {
    return new long[] {columns};
  }
}

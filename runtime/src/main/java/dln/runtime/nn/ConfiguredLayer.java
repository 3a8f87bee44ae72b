package dln.runtime.nn;

/**
 * The base of every concrete layer: a {@link Layer} whose settings are one validated record
 * {@code C} (the layer's {@code Config}), held here so that a layer file declares only its record,
 * its shape rule, its weights and its forward pass. The record is what model files store and what
 * the language's builtin is generated from (see {@link LayerSpec}).
 *
 * @param <C> the layer's configuration record
 */
public abstract class ConfiguredLayer<C extends Record> extends Layer {
  /** The validated settings; immutable, so subclasses read it directly. */
  protected final C config;

  /**
   * @param config the validated settings (not null)
   * @param name the layer's name, or null for the next default name
   */
  protected ConfiguredLayer(C config, String name) {
    super(name);
    if (config == null) throw new IllegalArgumentException(typeName() + " needs its Config");
    this.config = config;
  }

  @Override
  public C config() {
    return config;
  }
}

package dln.runtime.nn;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Everything about a layer type in one place, declared once on the layer class as
 * {@code public static final LayerSpec<Config> SPEC}: its Keras type name (the class's), its one-line
 * description with an example, its config record and its constructor. The constructor's
 * arguments are the record's components in order (snake_case names, {@link Param} marks the
 * optional ones and their defaults), converted by component type. From a spec the
 * {@code nn.layers.LayerRegistry} reads and writes model files and a language front end makes its layer
 * function ({@link #create(LayerArgs, String)}), its help and its keyword completion.
 *
 * <p>Layers whose call syntax is not just their config add a {@link #preset} (read some
 * arguments specially, e.g. Conv2D's terse positional activation), an {@link #afterCreate} hook
 * and {@link #extraArg extra arguments} that are not part of the config.
 *
 * <p>The fluent methods are meant for the static initialiser of the layer class only.
 *
 * @param <C> the config record
 */
public final class LayerSpec<C extends Record> {
  /** One argument of the layer call: keyword, other accepted keywords, and whether it may be left out. */
  public record Arg(String name, List<String> aliases, boolean optional) {}

  /** Reads arguments that need special handling into {@code values} (keyed by keyword) before the rest is read. */
  @FunctionalInterface
  public interface Preset {
    void read(LayerArgs args, Map<String, Object> values);
  }

  private static final Object REQUIRED = new Object();

  private final String type;
  private final Class<? extends Layer> layerClass;
  private final Class<C> configClass;
  private final BiFunction<C, String, ? extends Layer> factory;
  private final String doc;
  private final RecordComponent[] components;
  private final String[] keywords;
  private final Object[] defaults;
  private final Constructor<C> constructor;
  private final List<Arg> args = new ArrayList<>();
  private Preset preset = (a, v) -> {};
  private BiConsumer<LayerArgs, Layer> afterCreate = (a, l) -> {};
  private boolean callable = true;

  private LayerSpec(Class<? extends Layer> layerClass, Class<C> configClass,
      BiFunction<C, String, ? extends Layer> factory, String doc) {
    // The type name is the class's name, as Layer.typeName() writes it into model files.
    this.type = layerClass.getSimpleName();
    this.layerClass = layerClass;
    this.configClass = configClass;
    this.factory = factory;
    this.doc = doc;
    this.components = configClass.getRecordComponents();
    this.keywords = new String[components.length];
    this.defaults = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      keywords[i] = snake(c.getName());
      Param p = c.getAnnotation(Param.class);
      defaults[i] = p == null ? REQUIRED : parseDefault(c, p.dflt());
      args.add(new Arg(keywords[i], p == null ? List.of() : List.of(p.aliases()), p != null));
    }
    try {
      this.constructor = configClass.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(configClass + " has no canonical constructor", e);
    }
  }

  /**
   * A layer type, named as its class (Keras's class name, as in model files: "Dense").
   *
   * @param doc one line of description, then "Example: ..." lines
   */
  public static <C extends Record> LayerSpec<C> of(Class<? extends Layer> layerClass, Class<C> configClass,
      BiFunction<C, String, ? extends Layer> factory, String doc) {
    return new LayerSpec<>(layerClass, configClass, factory, doc);
  }

  /** Accepts an optional argument that is not part of the config (read by a hook), after the others. */
  public LayerSpec<C> extraArg(String name) {
    return extraArg(args.size(), name);
  }

  /** Accepts an optional argument that is not part of the config at a positional place. */
  public LayerSpec<C> extraArg(int position, String name) {
    args.add(position, new Arg(name, List.of(), true));
    return this;
  }

  public LayerSpec<C> preset(Preset reader) {
    this.preset = reader;
    return this;
  }

  /** Adjusts the new layer from the call's arguments (Embedding's input_length is an input shape). */
  public LayerSpec<C> afterCreate(BiConsumer<LayerArgs, Layer> hook) {
    this.afterCreate = hook;
    return this;
  }

  /** For layers only made by the runtime itself (InputLayer comes from Input()); no layer function. */
  public LayerSpec<C> notCallable() {
    this.callable = false;
    return this;
  }

  public String type() {
    return type;
  }

  public Class<? extends Layer> layerClass() {
    return layerClass;
  }

  public Class<C> configClass() {
    return configClass;
  }

  public String doc() {
    return doc;
  }

  /** The call's arguments in positional order (without those every layer accepts: name, input_shape, trainable). */
  public List<Arg> args() {
    return List.copyOf(args);
  }

  /** False for layers the language does not offer as a function. */
  public boolean callable() {
    return callable;
  }

  /** A new layer from its config. */
  public Layer create(C config, String name) {
    return factory.apply(config, name);
  }

  /** A new layer from the arguments of a layer call. */
  public Layer create(LayerArgs a, String name) {
    Layer layer = create(config(a), name);
    afterCreate.accept(a, layer);
    return layer;
  }

  /** The config a layer call describes: the preset's values, then each other component in order. */
  public C config(LayerArgs a) {
    Map<String, Object> values = new HashMap<>();
    preset.read(a, values);
    Object[] ctorArgs = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      String k = keywords[i];
      if (values.containsKey(k)) ctorArgs[i] = values.get(k);
      else if (defaults[i] != REQUIRED && !a.has(k)) ctorArgs[i] = defaults[i];
      else ctorArgs[i] = read(a, k, components[i].getType());
    }
    try {
      return constructor.newInstance(ctorArgs);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + configClass, e);
    }
  }

  private static Object read(LayerArgs a, String k, Class<?> t) {
    if (t == int.class || t == Integer.class) return a.intValue(k);
    if (t == int[].class) return a.ints(k);
    if (t == long[].class) return a.shape(k);
    if (t == double.class || t == Double.class) return a.number(k);
    if (t == boolean.class) return a.bool(k);
    if (t == String.class) return a.name(k);
    if (t == GraphFunction.class) return a.function(k);
    if (t == Regularizer.class) return a.raw(k) instanceof Regularizer r ? r : Regularizer.named(a.name(k), k);
    // A wrapped layer (Bidirectional, TimeDistributed), as Keras: the object given becomes the wrapper's.
    if (t == Layer.class) {
      if (a.raw(k) instanceof Layer l && !(l instanceof Model) && !l.isBuilt()) return l;
      throw dln.runtime.DlnRuntimeException.value("argument '" + k + "' must be a new layer (not yet applied), e.g. LSTM(32)");
    }
    throw new IllegalStateException("no conversion for a layer argument of type " + t.getName());
  }

  private static Object parseDefault(RecordComponent c, String text) {
    Class<?> t = c.getType();
    if (text.isEmpty()) {
      if (t.isPrimitive()) throw new IllegalStateException("optional primitive " + c + " needs a default");
      return null;
    }
    if (t == int.class || t == Integer.class) return Integer.parseInt(text);
    if (t == double.class || t == Double.class) return Double.parseDouble(text);
    if (t == boolean.class) return Boolean.parseBoolean(text);
    if (t == String.class) return text;
    throw new IllegalStateException("no default of type " + t.getName() + " for " + c);
  }

  /** Keras's keyword for a record component: kernelSize -> kernel_size. */
  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
      else sb.append(ch);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "LayerSpec[" + type + " " + Arrays.toString(keywords) + "]";
  }
}

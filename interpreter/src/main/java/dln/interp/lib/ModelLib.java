package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Builtin;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.runtime.nn.Activations;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Model;
import dln.runtime.nn.Regularizer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.ReLU;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers and models with Keras's names and argument names, plus the terse forms of the design
 * card: positional activations ({@code Dense(64, relu)}), {@code stride 2}, chains
 * ({@code Input(784) -> Dense(10)}). Activation builtins applied to symbolic tensors become
 * Activation layers. Training objects are in {@link ModelTrainingLib}, attributes and methods of
 * layers and models in {@link ModelTypes}.
 */
public final class ModelLib implements Library {
  /** Arguments every layer accepts. */
  private static final String COMMON = "name?, input_shape?, trainable?";

  @Override
  public void install(Globals g) {
    // A fresh interpreter names its layers from scratch: dense, dense_1, ... as a new Keras session.
    dln.runtime.nn.LayerNames.reset();
    g.def("Input", "shape, name?, batch_size?, dtype?",
        "A symbolic input of the given per-sample shape (no batch axis); layers applied to it build a model.\n"
            + "None is an axis of any size (the steps of text, the height and width of images); dtype is Keras's\n"
            + "('float32' by default; 'int32'/'int64' for word indices: data must then be whole numbers).\n"
            + "Example: inputs = Input(shape=(28, 28, 1)); x = Input(784); tokens = Input(shape=(None,), dtype='int64')",
        a -> Input.typed(a.string("name", null), a.has("dtype") ? a.nameLike("dtype") : null, a.sampleShape("shape")));

    // One function per layer type, made from the layer's own spec (arguments, defaults, help).
    for (LayerSpec<?> spec : LayerRegistry.specs()) if (spec.callable()) layer(g, spec);
    g.alias("DropOut", "Dropout");

    g.def("Sequential", "layers?, name?",
        "A model made of a stack of layers, each feeding the next; add more with model.add(layer).\n"
            + "Example: model = Sequential([Dense(64, relu), Dense(10, softmax)])",
        a -> {
          List<Object> items = a.has("layers") ? a.list("layers") : List.of();
          List<Object> unwrapped = new ArrayList<>();
          for (Object item : items) {
            Object o = CustomLayerLib.asLayer(item);
            if (!(o instanceof Layer) && !(o instanceof SymbolicTensor)) {
              throw DlnException.type("Sequential() takes layers, got " + dln.interp.value.Values.typeName(o));
            }
            unwrapped.add(o);
          }
          return new Sequential(unwrapped, a.string("name", null));
        });
    g.def("Model", "inputs, outputs, name?",
        "A model from its input tensors (made by Input) to its output tensors; both may be lists, or dicts by name:\n"
            + "with outputs={'digit': d, 'odd': o} predict and model(x) give a dict, and labels, losses, metrics and logs\n"
            + "are keyed by those names (digit_loss, odd_accuracy).\n"
            + "Example: model = Model(inputs=inputs, outputs=outputs)",
        a -> {
          List<String> inputKeys = keys(a, "inputs");
          List<String> outputKeys = keys(a, "outputs");
          return new Model(tensors(a, "inputs", inputKeys), tensors(a, "outputs", outputKeys), a.string("name", null), inputKeys, outputKeys);
        });

    g.def("l1", "l1?", "An L1 weight penalty l1·sum(|w|) for kernel_regularizer (default 0.01).\n"
        + "Example: Dense(64, kernel_regularizer=l1(0.001))", a -> Regularizer.l1(a.number("l1", 0.01)));
    g.def("l2", "l2?", "An L2 weight penalty l2·sum(w²) for kernel_regularizer (default 0.01).\n"
        + "Example: Dense(64, kernel_regularizer=l2(0.001))", a -> Regularizer.l2(a.number("l2", 0.01)));
    g.def("l1_l2", "l1?, l2?", "Both penalties: l1·sum(|w|) + l2·sum(w²) (defaults 0.01 each).\n"
        + "Example: Dense(64, kernel_regularizer=l1_l2(l1=0.001, l2=0.001))",
        a -> new Regularizer(a.number("l1", 0.01), a.number("l2", 0.01)));
    g.def("layer_from_json", "json", "A new layer from the JSON of layer.to_json().\nExample: layer_from_json(Dense(3).to_json())",
        a -> LayerRegistry.fromJson(a.string("json")));

    wrapActivations(g);
    new ModelTrainingLib().install(g);
    ModelTypes.install();
  }

  // ---------------------------------------------------------------- layer helpers

  /**
   * Defines the function of a layer type: its arguments in the spec's order, then those every
   * layer shares (name, input_shape, trainable), applied here once for all layers.
   */
  private static void layer(Globals g, LayerSpec<?> spec) {
    g.def(spec.type(), params(spec), spec.doc(), a -> {
      Layer l = spec.create(new LayerCallArgs(a), a.string("name", null));
      if (a.has("input_shape")) l.withInputShape(a.sampleShape("input_shape"));
      if (a.has("trainable")) l.setTrainable(a.bool("trainable", true));
      return l;
    });
    g.export("keras.layers", spec.type());
  }

  /** The parameter syntax of a layer function: "units, activation?, strides|stride?, ..., name?, input_shape?, trainable?". */
  static String params(LayerSpec<?> spec) {
    StringBuilder sb = new StringBuilder();
    for (LayerSpec.Arg arg : spec.args()) {
      sb.append(arg.name());
      for (String alias : arg.aliases()) sb.append('|').append(alias);
      if (arg.optional()) sb.append('?');
      sb.append(", ");
    }
    return sb.append(COMMON).toString();
  }

  /**
   * The keys of a dict of tensors given as {@code inputs=} or {@code outputs=}, sorted as Keras 3
   * flattens a dict (so {@code model.outputs}, a list of losses and a list of labels follow that
   * order); null when the tensors are not given as a dict.
   */
  private static List<String> keys(Args a, String param) {
    if (!(a.get(param) instanceof Map<?, ?> byName)) return null;
    List<String> keys = new ArrayList<>();
    for (Object k : byName.keySet()) {
      if (!(k instanceof String s)) {
        throw new DlnException("type error", "Model() " + param + " as a dict is keyed by names (strings), got the key "
            + dln.interp.value.Values.repr(k),
            param.equals("outputs") ? "e.g. outputs={'digit': digit, 'odd': odd}" : "e.g. inputs={'title': title, 'body': body}", null);
      }
      keys.add(s);
    }
    if (keys.isEmpty()) throw DlnException.value("Model() " + param + " is an empty dict", "give at least one tensor");
    java.util.Collections.sort(keys);
    return keys;
  }

  private static List<SymbolicTensor> tensors(Args a, String param, List<String> keys) {
    Object v = a.get(param);
    List<Object> items = new ArrayList<>();
    if (keys != null) for (String k : keys) items.add(((Map<?, ?>) v).get(k));
    else if (v instanceof SymbolicTensor) items.add(v);
    else items.addAll(a.list(param));
    List<SymbolicTensor> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof SymbolicTensor t)) {
        throw new DlnException("type error", "Model() " + param + " must be symbolic tensors (from Input(...) and layers), got "
            + dln.interp.value.Values.typeName(o),
            param.equals("inputs") ? "inputs = Input(shape=(784,))" : "outputs = Dense(10)(hidden)", null);
      }
      out.add(t);
    }
    return out;
  }

  // ---------------------------------------------------------------- activations on symbolic tensors

  /**
   * Re-defines each activation builtin so that, given a symbolic tensor, it applies an Activation
   * layer ({@code relu(Add()([x, y]))}) and, given a layer or model, composes it with one
   * ({@code Dense(64) -> relu}); everything else goes to the previous definition (eager math).
   */
  private static void wrapActivations(Globals g) {
    for (String fn : Activations.NAMES) {
      Object previous = g.get(fn);
      if (!(previous instanceof Builtin b)) continue;
      String params = b.params().toString();
      List<String> names = Globals.paramNames(params);
      g.def(fn, params, b.doc() + "\nOn a symbolic tensor it adds an Activation('" + fn + "') layer.", a -> {
        Object x = a.get(names.get(0));
        if (x instanceof SymbolicTensor t) return activationLayer(fn, a).apply(t);
        if (x instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof SymbolicTensor) {
          throw new DlnException("type error", fn + "() takes one symbolic tensor, got a list", "merge first, e.g. " + fn + "(Add()([x, y]))", null);
        }
        if (x instanceof Layer l) return ModelTypes.compose(l, activationLayer(fn, a));
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (String n : names) if (a.get(n) != null) keywords.put(n, a.get(n));
        return b.call(a.invoker(), List.of(), keywords);
      });
    }
  }

  private static Layer activationLayer(String fn, Args a) {
    if (fn.equals("leaky_relu") && a.has("alpha")) {
      return new ReLU(new ReLU.Config(null, a.number("alpha"), 0), null);
    }
    return new Activation(fn);
  }

  /** Shapes as Keras shows them: a tuple with None for the batch axis. */
  static Tuple shapeTuple(long[] shape) {
    List<Object> dims = new ArrayList<>();
    for (long d : shape) dims.add(d < 0 ? None.NONE : (Object) d);
    return new Tuple(dims);
  }
}

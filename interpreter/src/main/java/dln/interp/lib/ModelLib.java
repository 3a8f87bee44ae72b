package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Builtin;
import dln.interp.call.Callable;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.runtime.nn.Activations;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerRegistry;
import dln.runtime.nn.Model;
import dln.runtime.nn.Regularizer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.AveragePooling2D;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.GlobalMaxPooling2D;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.Softmax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
    g.def("Input", "shape, name?, batch_size?",
        "A symbolic input of the given per-sample shape (no batch axis); layers applied to it build a model.\n"
            + "Example: inputs = Input(shape=(28, 28, 1)); x = Input(784)",
        a -> Input.named(a.string("name", null), a.shape("shape")));

    layer(g, "Dense", "units, activation?, use_bias?, kernel_initializer?, bias_initializer?, kernel_regularizer?, "
            + "bias_regularizer?, input_dim?, " + COMMON,
        "A fully connected layer: activation(x @ kernel + bias). activation is a name or function (default linear).\n"
            + "Example: Dense(64, activation='relu'), Dense(10, softmax)",
        a -> new Dense(new Dense.Config(a.intValue("units"), activation(a, "activation"), a.bool("use_bias", true),
            name(a, "kernel_initializer", "glorot_uniform"), name(a, "bias_initializer", "zeros"),
            regularizer(a, "kernel_regularizer"), regularizer(a, "bias_regularizer")), a.string("name", null)));

    layer(g, "Conv2D", "filters, kernel_size, strides|stride?, padding?, activation?, use_bias?, kernel_initializer?, "
            + "bias_initializer?, kernel_regularizer?, " + COMMON,
        "A 2-D convolution over channels-last images (batch, height, width, channels); padding 'valid' or 'same'.\n"
            + "Example: Conv2D(32, 3, activation='relu'), Conv2D(128, 5, strides=(2, 2), padding='same'), Conv2D(128, 5, stride 2)",
        ModelLib::conv2d);

    layer(g, "MaxPooling2D", "pool_size?, strides|stride?, padding?, " + COMMON,
        "Keeps the largest value of each pool_size window (default (2, 2), strides default to pool_size).\n"
            + "Example: MaxPooling2D(pool_size=(2, 2))",
        a -> new MaxPooling2D(pooling(a), a.string("name", null)));
    layer(g, "AveragePooling2D", "pool_size?, strides|stride?, padding?, " + COMMON,
        "Averages each pool_size window (default (2, 2), strides default to pool_size).\nExample: AveragePooling2D(2)",
        a -> new AveragePooling2D(pooling(a), a.string("name", null)));
    layer(g, "GlobalAveragePooling2D", COMMON,
        "The mean over height and width: (batch, h, w, c) -> (batch, c).\nExample: GlobalAveragePooling2D()(x)",
        a -> new GlobalAveragePooling2D(null, a.string("name", null)));
    layer(g, "GlobalMaxPooling2D", COMMON,
        "The maximum over height and width: (batch, h, w, c) -> (batch, c).\nExample: GlobalMaxPooling2D()(x)",
        a -> new GlobalMaxPooling2D(null, a.string("name", null)));
    layer(g, "Flatten", COMMON,
        "Flattens each sample to one axis: (batch, 7, 7, 64) -> (batch, 3136).\nExample: Flatten()",
        a -> new Flatten(null, a.string("name", null)));
    layer(g, "Reshape", "target_shape, " + COMMON,
        "Reshapes each sample (the batch axis is kept); one dimension may be -1.\nExample: Reshape((28, 28, 1))",
        a -> new Reshape(new Reshape.Config(a.shape("target_shape")), a.string("name", null)));
    layer(g, "Dropout", "rate, seed?, " + COMMON,
        "Zeroes a random fraction rate of the values while training (scaling the rest); does nothing at inference.\n"
            + "Example: Dropout(0.5)",
        a -> new Dropout(new Dropout.Config(a.number("rate")), a.string("name", null)));
    g.alias("DropOut", "Dropout");
    layer(g, "BatchNormalization", "axis?, momentum?, epsilon?, center?, scale?, " + COMMON,
        "Normalises the last axis with batch statistics while training and moving statistics at inference "
            + "(momentum 0.99, epsilon 0.001).\nExample: BatchNormalization()",
        a -> {
          if (a.has("axis") && a.intValue("axis") != -1) {
            throw DlnException.value("BatchNormalization supports axis=-1 (channels last) only, got " + a.intValue("axis"));
          }
          return new BatchNormalization(new BatchNormalization.Config(a.number("momentum", 0.99), a.number("epsilon", 1e-3),
              a.bool("center", true), a.bool("scale", true)), a.string("name", null));
        });
    layer(g, "Activation", "activation, " + COMMON,
        "Applies an activation function by name.\nExample: Activation('relu'), Activation(tanh)",
        a -> new Activation(new Activation.Config(a.nameLike("activation")), a.string("name", null)));
    layer(g, "Softmax", "axis?, " + COMMON,
        "Softmax over an axis (default the last): values become probabilities summing to 1.\nExample: Softmax()(logits)",
        a -> new Softmax(new Softmax.Config(a.intValue("axis", -1)), a.string("name", null)));
    layer(g, "ReLU", "max_value?, negative_slope?, " + COMMON,
        "The ReLU activation as a layer, optionally capped at max_value and leaky below zero.\nExample: ReLU(), ReLU(max_value=6)",
        a -> new ReLU(new ReLU.Config(a.has("max_value") ? a.number("max_value") : null, a.number("negative_slope", 0)),
            a.string("name", null)));
    layer(g, "Add", COMMON,
        "Adds two or more tensors of the same shape (residual connections).\nExample: Add()([x, y])",
        a -> new Add(null, a.string("name", null)));
    layer(g, "Concatenate", "axis?, " + COMMON,
        "Joins tensors along an axis (default the last, the channels).\nExample: Concatenate()([a, b])",
        a -> new Concatenate(new Concatenate.Config(a.intValue("axis", -1)), a.string("name", null)));
    layer(g, "Embedding", "input_dim, output_dim, embeddings_initializer?, input_length?, " + COMMON,
        "Looks up a learned vector for each integer index in 0..input_dim-1: (batch, steps) -> (batch, steps, output_dim).\n"
            + "Example: Embedding(10000, 64)",
        a -> {
          Layer l = new Embedding(new Embedding.Config(a.intValue("input_dim"), a.intValue("output_dim"),
              name(a, "embeddings_initializer", "random_uniform")), a.string("name", null));
          if (a.has("input_length") && !a.has("input_shape")) l.withInputShape(a.integer("input_length"));
          return l;
        });
    layer(g, "LSTM", "units, activation?, recurrent_activation?, use_bias?, return_sequences?, kernel_initializer?, "
            + "recurrent_initializer?, unit_forget_bias?, " + COMMON,
        "A long short-term memory layer over sequences (batch, steps, features); return_sequences=true keeps every step.\n"
            + "Example: LSTM(32), LSTM(64, return_sequences=true)",
        a -> new LSTM(new LSTM.Config(a.intValue("units"), name(a, "activation", "tanh"),
            name(a, "recurrent_activation", "sigmoid"), a.bool("use_bias", true), a.bool("return_sequences", false),
            name(a, "kernel_initializer", "glorot_uniform"), name(a, "recurrent_initializer", "orthogonal"),
            a.bool("unit_forget_bias", true)), a.string("name", null)));

    g.def("Sequential", "layers?, name?",
        "A model made of a stack of layers, each feeding the next; add more with model.add(layer).\n"
            + "Example: model = Sequential([Dense(64, relu), Dense(10, softmax)])",
        a -> {
          List<Object> items = a.has("layers") ? a.list("layers") : List.of();
          List<Object> unwrapped = new ArrayList<>();
          for (Object o : items) {
            if (!(o instanceof Layer) && !(o instanceof SymbolicTensor)) {
              throw DlnException.type("Sequential() takes layers, got " + dln.interp.value.Values.typeName(o));
            }
            unwrapped.add(o);
          }
          return new Sequential(unwrapped, a.string("name", null));
        });
    g.def("Model", "inputs, outputs, name?",
        "A model from its input tensors (made by Input) to its output tensors; both may be lists.\n"
            + "Example: model = Model(inputs=inputs, outputs=outputs)",
        a -> new Model(tensors(a, "inputs"), tensors(a, "outputs"), a.string("name", null)));

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

  /** Defines a layer builtin: applies the arguments every layer shares (input_shape, trainable). */
  private static void layer(Globals g, String name, String params, String doc, Function<Args, Layer> make) {
    g.def(name, params, doc, a -> {
      Layer l = make.apply(a);
      if (a.has("input_shape")) l.withInputShape(a.shape("input_shape"));
      if (a.has("input_dim")) l.withInputShape(a.integer("input_dim"));
      if (a.has("trainable")) l.setTrainable(a.bool("trainable", true));
      return l;
    });
  }

  /** An activation given as identifier, string or function; none means linear. */
  static String activation(Args a, String param) {
    return a.has(param) ? a.nameLike(param) : null;
  }

  private static String name(Args a, String param, String dflt) {
    return a.has(param) ? a.nameLike(param) : dflt;
  }

  /** A regularizer object, or a name ('l1', 'l2') with Keras's default factor 0.01. */
  private static Regularizer regularizer(Args a, String param) {
    if (!a.has(param)) return null;
    Object v = a.get(param);
    if (v instanceof Regularizer r) return r;
    String n = a.nameLike(param).toLowerCase(java.util.Locale.ROOT);
    return switch (n) {
      case "l1" -> Regularizer.l1(0.01);
      case "l2" -> Regularizer.l2(0.01);
      case "l1_l2" -> new Regularizer(0.01, 0.01);
      default -> throw DlnException.value(param + " must be l1(...), l2(...) or l1_l2(...), got '" + n + "'");
    };
  }

  /** An int or a pair; a single int means a square window. */
  private static int[] pair(Args a, String param) {
    return a.has(param) ? a.ints(param, 0) : null;
  }

  /**
   * Conv2D with Keras's positional order (filters, kernel_size, strides, padding, activation), also
   * accepting the terse forms where the third or fourth positional is an activation or a padding.
   */
  private static Layer conv2d(Args a) {
    Object strides = a.get("strides");
    Object padding = a.get("padding");
    String activation = activation(a, "activation");
    String pad = a.has("padding") && padding instanceof String s ? s : null;
    int[] st = null;
    if (a.has("strides")) {
      if (strides instanceof String || strides instanceof Callable) {
        String n = a.nameLike("strides");
        if (n.equals("same") || n.equals("valid")) pad = n;
        else activation = n;
      } else {
        st = a.ints("strides", 0);
      }
    }
    if (a.has("padding") && padding instanceof Callable) activation = a.nameLike("padding");
    return new Conv2D(new Conv2D.Config(a.intValue("filters"), a.ints("kernel_size", 0), st, pad, activation,
        a.bool("use_bias", true), name(a, "kernel_initializer", "glorot_uniform"), name(a, "bias_initializer", "zeros"),
        regularizer(a, "kernel_regularizer")), a.string("name", null));
  }

  private static Pooling2D.Config pooling(Args a) {
    return new Pooling2D.Config(pair(a, "pool_size"), pair(a, "strides"), a.has("padding") ? a.nameLike("padding") : "valid");
  }

  private static List<SymbolicTensor> tensors(Args a, String param) {
    Object v = a.get(param);
    List<Object> items = v instanceof SymbolicTensor ? List.of(v) : a.list(param);
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
      return new ReLU(new ReLU.Config(null, a.number("alpha")), null);
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

package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Builtin;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.call.TypeTable;
import dln.interp.value.DlnClass;
import dln.interp.value.DlnObject;
import dln.interp.value.None;
import dln.runtime.nn.Model;
import dln.runtime.nn.ScriptedLayer;
import dln.runtime.nn.Sequential;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's subclassed models: {@code class MyModel(keras.Model)} creating layers in {@code __init__}
 * and using them in {@code call(self, inputs, training=False)}. Each instance is backed by a
 * runtime model holding one custom layer whose body is the user's {@code call} (as a subclassed
 * {@code keras.layers.Layer} is, {@link CustomLayerLib}), so compile, fit, evaluate, predict,
 * summary, save_weights and a gradient tape work on it as on any model; it is built for the shape
 * of the first data it sees, or by {@code model.build(input_shape)}. Calling {@code keras.Model}
 * itself still builds a functional model from inputs and outputs, and so does a subclass given
 * them ({@code CustomModel(inputs, outputs)}, as the "customizing fit()" guide does to override
 * only {@code train_step}): its instance is then backed by that functional model. Either way the
 * runtime model knows its instance ({@link #ownerOf}), so fit and evaluate find its
 * {@code train_step}/{@code test_step} ({@link UserSteps}).
 */
public final class CustomModelLib implements Library {
  private static final String DOC = "A model: Model(inputs, outputs) from symbolic tensors (the functional API), or a base class:\n"
      + "subclass it, create layers in __init__ and use them in call(self, inputs, training=False); compile, fit,\n"
      + "evaluate and predict then work as for any model (trained through the autodiff on the SameDiff engine).\n"
      + "Example: class MLP(keras.Model):\n"
      + "    def __init__(self):\n        super().__init__()\n        self.hidden = keras.layers.Dense(32, activation='relu')\n"
      + "        self.out = keras.layers.Dense(10)\n"
      + "    def call(self, inputs, training=False):\n        return self.out(self.hidden(inputs))";

  /** {@code keras.Model}. */
  static final DlnClass MODEL = new DlnClass("Model", null, members(), DOC, CustomModelLib::prepare);

  /** The functional Model(inputs, outputs, name) builtin, which a subclass given inputs and outputs calls. */
  private static Callable functional;

  /** The subclass instance a runtime model stands for (kept on the model, so it dies with it). */
  private static final class Owner {
    DlnObject self;
  }

  @Override
  public void install(Globals g) {
    // Calling keras.Model itself keeps building functional models.
    functional = (Callable) g.get("Model");
    MODEL.withFactory(functional);
    g.set("Model", MODEL, DOC);
    g.module("keras").put("Model", MODEL);
    g.module("keras.models").put("Model", MODEL);
  }

  /** The runtime model behind an instance, made before {@code __init__} runs (it may name it). */
  private static void prepare(Invoker invoker, DlnObject self) {
    ScriptedLayer body = new ScriptedLayer(new CustomLayerLib.UserLayer(invoker, self, "Model"), null).asModelBody();
    Sequential model = new Sequential(List.of(body), body.name());
    self.setPeer(model);
    model.attachment(Owner.class, m -> new Owner()).self = self;
    // model.build(input_shape) builds the runtime model, which runs the user's build if the class has one.
    self.attrs().put("build", new Builtin("build", "input_shape", "Builds the model's weights for inputs of this shape "
        + "(batch axis first, None).\nExample: model.build((None, 784))", a -> {
          model.buildFor(List.of(sampleShape(a.get("input_shape"))));
          return None.NONE;
        }));
  }

  /** Keras's build shape, (None, 784): the batch axis first, as None or a number; the rest are the sample's. */
  private static long[] sampleShape(Object shape) {
    List<?> dims = shape instanceof dln.interp.value.Tuple t ? t.items() : shape instanceof List<?> l ? l : null;
    if (dims == null || dims.size() < 2) {
      throw DlnException.type("build() takes the input shape with the batch axis first, e.g. model.build((None, 784)), got "
          + dln.interp.value.Values.repr(shape));
    }
    long[] out = new long[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      if (!(dims.get(i) instanceof Long d) || d <= 0) {
        throw DlnException.type("build(): every axis after the batch must be a positive int, got " + dln.interp.value.Values.repr(shape));
      }
      out[i - 1] = d;
    }
    return out;
  }

  private static Model modelOf(Object self) {
    return (Model) ((DlnObject) self).peer();
  }

  /** The instance of a keras.Model subclass that {@code model} backs, or null for other models. */
  static DlnObject ownerOf(Model model) {
    Owner o = model.attachment(Owner.class, m -> new Owner());
    return o.self;
  }

  private static Map<String, Object> members() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("__init__", new Builtin("__init__", "self, inputs?, outputs?, name?, trainable?, **kwargs",
        "Sets the model's name and trainable flag; given inputs and outputs, the instance is that functional model.",
        CustomModelLib::init));
    m.put("build", new DlnObject.NoOp("build"));
    m.put("__call__", new Builtin("__call__", "self, *args, **kwargs", "Applies the model: model(x), model(x, training=True).",
        a -> TypeTable.callable(modelOf(a.get("self"))).call(a.invoker(), a.rest(), a.restKeywords())));
    return m;
  }

  private static Object init(Args a) {
    DlnObject self = (DlnObject) a.get("self");
    Map<String, Object> rest = a.restKeywords();
    if (a.has("inputs") || a.has("outputs")) {
      Object call = self.cls().find("call");
      if (call != null && !(call instanceof DlnObject.NoOp)) {
        throw DlnException.argument("a subclassed Model with its own call() takes no inputs and outputs: call() computes the outputs",
            "leave inputs and outputs out, or drop call() to subclass a functional model");
      }
      if (!a.has("inputs") || !a.has("outputs")) {
        throw DlnException.argument("a functional model needs both inputs and outputs", "super().__init__(inputs, outputs)");
      }
      Map<String, Object> kw = new LinkedHashMap<>();
      kw.put("inputs", a.get("inputs"));
      kw.put("outputs", a.get("outputs"));
      if (a.has("name")) kw.put("name", a.get("name"));
      Model built = (Model) functional.call(a.invoker(), List.of(), kw);
      self.setPeer(built);
      self.attrs().remove("build");
      built.attachment(Owner.class, m -> new Owner()).self = self;
    }
    Model model = modelOf(self);
    if (!rest.isEmpty()) {
      throw DlnException.argument("Unrecognized keyword arguments passed to " + ((DlnObject) a.get("self")).cls().name() + ": "
          + dln.interp.value.Values.repr(new LinkedHashMap<Object, Object>(rest)), "the base Model takes name and trainable");
    }
    if (a.has("name") && model instanceof Sequential) {
      model.setName(a.string("name"));
      model.layers().get(0).setName(a.string("name"));
    }
    if (a.has("trainable")) model.setTrainable(a.bool("trainable", true));
    return None.NONE;
  }
}

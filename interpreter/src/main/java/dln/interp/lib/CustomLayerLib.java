package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.Operators;
import dln.interp.UserFunction;
import dln.interp.call.Args;
import dln.interp.call.Builtin;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.call.TypeTable;
import dln.interp.value.DlnClass;
import dln.interp.value.DlnObject;
import dln.interp.value.Namespace;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerBody;
import dln.runtime.nn.Regularizer;
import dln.runtime.nn.ScriptedLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's subclassed layers: {@code class MyDense(keras.layers.Layer)} with {@code __init__},
 * {@code build} (creating weights with {@code self.add_weight}) and {@code call} (written with tensor
 * operations). Each instance is backed by a runtime {@link ScriptedLayer}; its {@link LayerBody}
 * runs the user's {@code build} and {@code call}, so the layer is built, summarised, saved (its
 * weights) and trained like any builtin layer, by SameDiff's autodiff through the operations the
 * user's {@code call} made. Also the tensor operations such a {@code call} uses that have no bare
 * DLN name: {@code tf.matmul} and {@code keras.ops}.
 */
public final class CustomLayerLib implements Library {
  private static final String DOC = "The base class of custom layers: subclass it, create weights in build(self, input_shape) "
      + "with self.add_weight(...), and compute the output in call(self, inputs) with tensor operations; fit trains the "
      + "weights through the autodiff.\n"
      + "Example: class Linear(keras.layers.Layer):\n"
      + "    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n"
      + "    def build(self, input_shape):\n"
      + "        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer='random_normal')\n"
      + "    def call(self, inputs):\n        return tf.matmul(inputs, self.w)";

  /** {@code keras.layers.Layer}. */
  static final DlnClass LAYER = new DlnClass("Layer", null, members(), DOC, CustomLayerLib::prepare);

  @Override
  public void install(Globals g) {
    g.set("Layer", LAYER, DOC);
    g.module("keras.layers").put("Layer", LAYER);
    g.module("keras").put("Layer", LAYER);
    Namespace tf = g.module("tensorflow");
    g.def(tf, "matmul", "a, b", "The matrix product a @ b (also of the tensors a custom layer's call() works on).\n"
        + "Example: tf.matmul(inputs, self.w)", a -> Operators.binary("@", a.get("a"), a.get("b")));
    ops(g);
  }

  /** keras.ops: Keras 3's backend-neutral operations, the ones a custom layer's call() typically uses. */
  private static void ops(Globals g) {
    Namespace ops = g.module("keras.ops");
    String[][] binary = {{"matmul", "@"}, {"add", "+"}, {"subtract", "-"}, {"multiply", "*"}, {"divide", "/"}};
    for (String[] b : binary) {
      g.def(ops, b[0], "x1, x2", "x1 " + b[1] + " x2, on eager tensors or inside a custom layer's call().\n"
          + "Example: keras.ops." + b[0] + "(inputs, self.w)", a -> Operators.binary(b[1], a.get("x1"), a.get("x2")));
    }
    for (String fn : List.of("relu", "sigmoid", "tanh", "softmax", "exp", "log", "sqrt", "square", "abs", "sum", "mean", "max", "min")) {
      if (g.get(fn) != null) ops.put(fn, g.get(fn));
    }
  }

  // ---------------------------------------------------------------- the base class

  /** Each instance gets its runtime layer before {@code __init__} runs, so {@code self.add_weight} works there too. */
  private static void prepare(Invoker invoker, DlnObject self) {
    ScriptedLayer layer = new ScriptedLayer(new UserLayer(invoker, self, "Layer"), null);
    self.setPeer(layer);
    // layer.build(shape) called by the user builds the layer as Keras's build wrapper does: its
    // first use must not build it a second time.
    Object build = self.cls().find("build");
    if (build instanceof Callable userBuild && !(build instanceof DlnObject.NoOp)) {
      self.attrs().put("build", new Callable() {
        @Override
        public String name() {
          return "build";
        }

        @Override
        public Object call(Invoker inv, List<Object> positional, Map<String, Object> keywords) {
          Object r = ((Callable) DlnObject.bind(self, userBuild)).call(inv, positional, keywords);
          layer.markBuilt();
          return r;
        }
      });
    }
  }

  private static ScriptedLayer layerOf(Object self) {
    return (ScriptedLayer) ((DlnObject) self).peer();
  }

  private static Map<String, Object> members() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("__init__", new Builtin("__init__", "self, name?, trainable?, dtype?, input_shape?, input_dim?, **kwargs",
        "Sets the layer's name and trainable flag (and input_shape for the first layer of a Sequential).", CustomLayerLib::init));
    m.put("add_weight", new Builtin("add_weight", "self, shape?, initializer?, dtype?, trainable?, regularizer?, constraint?, name?",
        "Creates a weight of the layer and returns it as a variable for call(): initializer is a name "
            + "('glorot_uniform', 'random_normal', 'zeros', ...) or a function of the shape; trainable=False keeps it out of training.\n"
            + "Example: self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer='random_normal', trainable=True)",
        CustomLayerLib::addWeight));
    m.put("build", new DlnObject.NoOp("build"));
    m.put("__call__", new Builtin("__call__", "self, *args, **kwargs", "Applies the layer: layer(x).",
        a -> TypeTable.callable(layerOf(a.get("self"))).call(a.invoker(), a.rest(), a.restKeywords())));
    m.put("get_config", new Builtin("get_config", "self", "The base settings, for a subclass's get_config to extend.",
        a -> {
          Map<Object, Object> cfg = new LinkedHashMap<>();
          cfg.put("name", layerOf(a.get("self")).name());
          cfg.put("trainable", layerOf(a.get("self")).isTrainable());
          cfg.put("dtype", "float32");
          return cfg;
        }));
    return m;
  }

  private static Object init(Args a) {
    ScriptedLayer layer = layerOf(a.get("self"));
    if (!a.restKeywords().isEmpty()) {
      // Keras's own words for a keyword the base class does not know.
      throw DlnException.argument("Unrecognized keyword arguments passed to " + layer.typeName() + ": " + Values.repr(new LinkedHashMap<Object, Object>(a.restKeywords())),
          "the base Layer takes name, trainable, dtype and input_shape; take your own arguments in __init__ before calling super().__init__(**kwargs)");
    }
    if (a.has("name")) layer.setName(a.string("name"));
    if (a.has("trainable")) layer.setTrainable(a.bool("trainable", true));
    if (a.has("dtype") && !"float32".equals(Values.str(a.get("dtype"))) && !(a.get("dtype") instanceof None)) {
      throw DlnException.value("DLN's layers compute in float32, got dtype=" + Values.repr(a.get("dtype")), "leave dtype out");
    }
    if (a.has("input_shape")) layer.withInputShape(a.sampleShape("input_shape"));
    if (a.has("input_dim")) layer.withInputShape(a.integer("input_dim"));
    return None.NONE;
  }

  private static Object addWeight(Args a) {
    ScriptedLayer layer = layerOf(a.get("self"));
    if (!a.has("shape")) throw DlnException.argument("add_weight() needs a shape", "e.g. self.add_weight(shape=(input_shape[-1], self.units))");
    if (a.has("constraint")) throw DlnException.value("add_weight(constraint=...) is not supported in DLN", "leave the constraint out");
    long[] shape = a.shape("shape");
    Object init = a.get("initializer", "glorot_uniform");
    Regularizer reg = a.has("regularizer") ? a.object("regularizer", Regularizer.class, "a regularizer such as l2(0.01)") : null;
    boolean trainable = a.bool("trainable", true);
    String name = a.has("name") ? a.string("name") : null;
    if (init instanceof String s) return layer.addVariable(name, shape, s, trainable, reg);
    Callable fn = TypeTable.callable(init);
    if (fn == null) {
      throw DlnException.type("add_weight() initializer must be a name such as 'glorot_uniform' or a function of the shape, got "
          + Values.typeName(init));
    }
    // An initializer object or function: Keras calls it with the shape and uses the tensor it returns.
    Variable v = layer.addVariable(name, shape, "zeros", trainable, reg);
    List<Object> dims = new ArrayList<>();
    for (long d : shape) dims.add(d);
    v.assign(Values.toTensor(a.invoker().call(fn, new Tuple(dims))));
    return v;
  }

  // ---------------------------------------------------------------- the body the runtime calls

  /**
   * The user's build and call, as the runtime layer's {@link LayerBody}.
   *
   * @param base the builtin base class's name, for messages: Layer, or Model
   */
  record UserLayer(Invoker invoker, DlnObject self, String base) implements LayerBody {
    @Override
    public String typeName() {
      return self.cls().name();
    }

    @Override
    public Object owner() {
      return self;
    }

    @Override
    public void build(ScriptedLayer layer, List<long[]> inputShapes) {
      Object shape;
      if (inputShapes.size() == 1) {
        shape = ModelLib.shapeTuple(inputShapes.get(0));
      } else {
        List<Object> shapes = new ArrayList<>();
        for (long[] s : inputShapes) shapes.add(ModelLib.shapeTuple(s));
        shape = shapes;
      }
      self.callIfDefined(invoker, "build", List.of(shape));
    }

    /** The layers among the instance's attributes (directly, or in a list), in the order assigned. */
    @Override
    public List<Layer> trackedLayers() {
      List<Layer> out = new ArrayList<>();
      for (Object v : self.attrs().values()) {
        for (Object item : v instanceof List<?> l ? l : List.of(v)) {
          if (asLayer(item) instanceof Layer layer && !out.contains(layer)) out.add(layer);
        }
      }
      return out;
    }

    @Override
    public SDVariable forward(ScriptedLayer layer, List<SDVariable> inputs, List<long[]> shapes, boolean training) {
      Object call = self.cls().find("call");
      if (call == null) {
        throw new DlnException("not implemented error", base + " " + typeName() + " does not have a `call()` method implemented.",
            base.equals("Model") ? "define call(self, inputs, training=False) returning the model's output, e.g. return self.dense(inputs)"
                : "define call(self, inputs) returning the layer's output, e.g. return tf.matmul(inputs, self.w) + self.b", null);
      }
      List<Object> xs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) xs.add(new Traced(inputs.get(i), shapes.get(i)));
      Object x = xs.size() == 1 ? xs.get(0) : xs;
      Map<String, Object> keywords = call instanceof UserFunction f && f.keywordNames().contains("training")
          ? Map.of("training", training) : Map.of();
      Object out = invoker.call(DlnObject.bind(self, call), List.of(x), keywords);
      if (out instanceof Variable v) out = v.current();
      if (out instanceof Traced t) return t.var();
      throw new DlnException("type error", typeName() + ".call() must return a tensor computed from its inputs, got "
          + (out instanceof INDArray ? "a tensor that does not depend on them" : Values.typeName(out)),
          "compute the output from the inputs argument, e.g. return tf.matmul(inputs, self.w) + self.b", null);
    }
  }

  /** A custom layer instance as the runtime layer behind it; other values unchanged. */
  static Object asLayer(Object v) {
    return v instanceof DlnObject o && o.peer() instanceof Layer l ? l : v;
  }
}

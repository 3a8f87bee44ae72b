package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Invoker;
import dln.interp.call.TypeTable;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Layer;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Model;
import dln.runtime.nn.NamedInputs;
import dln.runtime.nn.Sequential;
import dln.runtime.Shapes;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.Weight;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.LearningRateSchedule;
import dln.runtime.autodiff.Recording;
import dln.runtime.autodiff.Traced;
import dln.runtime.nn.ScriptedLayer;
import dln.runtime.train.GradientTape;
import dln.runtime.train.Loss;
import dln.runtime.train.MetricState;
import dln.runtime.train.Optimizer;
import dln.runtime.train.ProgressBar;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What DLN sees of layers, models, symbolic tensors and histories: attributes, methods, how they
 * print, and calling a layer or model ({@code layer(x)}, {@code x -> layer}).
 */
final class ModelTypes {
  private ModelTypes() {}

  static void install() {
    TypeTable.define(Layer.class, "Layer")
        .attr("name", Layer::name)
        .attr("trainable", Layer::isTrainable)
        .setter("trainable", (l, v) -> l.setTrainable(Values.truthy(v)))
        // Keras's weight lists hold variables: each shares its weight's array, so assign() and
        // apply_gradients change the layer (a custom training loop updates model.trainable_variables).
        .attr("weights", l -> weights(l, null))
        .attr("variables", l -> weights(l, null))
        .attr("trainable_weights", l -> weights(l, true))
        .attr("trainable_variables", l -> weights(l, true))
        .attr("non_trainable_weights", l -> weights(l, false))
        .attr("non_trainable_variables", l -> weights(l, false))
        .attr("kernel", l -> weightVariable(l, "kernel"))
        .attr("bias", l -> weightVariable(l, "bias"))
        .attr("recurrent_kernel", l -> weightVariable(l, "recurrent_kernel"))
        .attr("gamma", l -> weightVariable(l, "gamma"))
        .attr("beta", l -> weightVariable(l, "beta"))
        .attr("moving_mean", l -> weightVariable(l, "moving_mean"))
        .attr("moving_variance", l -> weightVariable(l, "moving_variance"))
        .attr("embeddings", l -> weightVariable(l, "embeddings"))
        .attr("input", l -> symbolic(l.input()))
        .attr("output", l -> symbolic(l.output()))
        .attr("input_shape", l -> shapeOf(l.input()))
        .attr("output_shape", l -> shapeOf(l.output()))
        .method("count_params", "", "The number of weights (scalars) of the layer.\nExample: layer.count_params()",
            (Layer l, Args a) -> l.countParams())
        .method("get_weights", "", "Copies of the weight arrays (kernel, bias, ...).\nExample: w, b = layer.get_weights()",
            (Layer l, Args a) -> {
              List<Object> out = new ArrayList<>();
              for (INDArray w : l.getWeights()) out.add(w.dup());
              return out;
            })
        .method("set_weights", "weights", "Replaces the weights with arrays of the same shapes.\nExample: layer.set_weights([w, b])",
            (Layer l, Args a) -> {
              List<INDArray> ws = new ArrayList<>();
              for (Object o : a.list("weights")) ws.add(Values.toTensor(o));
              l.setWeights(ws);
              return None.NONE;
            })
        .method("get_config", "", "The layer's settings as a dict.\nExample: Dense(3).get_config()",
            (Layer l, Args a) -> unknownAxesAsNone(toDln(LayerRegistry.JSON.convertValue(l.config(), Object.class)),
                l instanceof dln.runtime.nn.InputLayer))
        .method("to_json", "", "The layer's type, name and settings as JSON text.\nExample: Dense(3).to_json()",
            (Layer l, Args a) -> LayerRegistry.toJson(l))
        .call(ModelTypes::callLayer)
        .repr(l -> "<" + l.typeName() + " '" + l.name() + "'" + (l.isBuilt() && !(l instanceof Model) ? " params=" + l.countParams() : "") + ">");

    TypeTable.define(Model.class, "Model")
        .attr("layers", m -> new ArrayList<Object>(m.layers()))
        .attr("inputs", m -> new ArrayList<Object>(m.inputs()))
        .attr("outputs", m -> new ArrayList<Object>(m.outputs()))
        .attr("input", m -> m.inputsKeyed() ? keyed(m.inputNames(), m.inputs())
            : m.inputs().size() == 1 ? m.inputs().get(0) : new ArrayList<Object>(m.inputs()))
        .attr("output", m -> keyedOutputs(m, m.outputs()))
        .attr("output_names", m -> new ArrayList<Object>(m.outputNames()))
        .attr("optimizer", m -> {
          dln.runtime.train.CompileConfig cc = TrainingSession.of(m).compileConfig();
          return cc == null ? None.NONE : cc.optimizer();
        })
        .attr("engine", m -> TrainingSession.of(m).engineReason())
        .attr("stop_training", m -> TrainingSession.of(m).stopTraining())
        .setter("stop_training", (m, v) -> TrainingSession.of(m).setStopTraining(Values.truthy(v)))
        .method("add", "layer", "Adds a layer on top of a Sequential model.\nExample: model.add(Dense(64, activation='relu'))",
            ModelTypes::add)
        .method("summary", "show_trainable?", "Prints the table of layers, output shapes and parameter counts; show_trainable=True adds\n"
            + "Keras's Trainable column (Y, N, or - for a layer without weights).\nExample: model.summary(show_trainable=True)",
            (Model m, Args a) -> {
              boolean showTrainable = a.bool("show_trainable", false);
              if (a.invoker().display() != null && !showTrainable) {
                a.invoker().display().summary(m); // a notebook's HTML table; the Trainable column is text only
                return None.NONE;
              }
              a.invoker().out().print(m.summary(showTrainable));
              a.invoker().out().flush();
              return None.NONE;
            })
        .method("get_layer", "name?, index?", "A layer by name or by position.\nExample: model.get_layer('dense_1'), model.get_layer(index=0)",
            (Model m, Args a) -> {
              Object n = a.get("name");
              if (n instanceof Long i) return m.getLayer(Math.toIntExact(i));
              if (a.has("name")) return m.getLayer(a.string("name"));
              if (a.has("index")) return m.getLayer(a.intValue("index"));
              throw DlnException.argument("get_layer() needs a name or an index");
            })
        .method("compile", "optimizer?, loss?, metrics?, loss_weights?", "Chooses the optimiser, the loss and the metrics for training.\n"
            + "A model with several outputs takes one loss for all, a list, or a dict by output name; loss_weights\n"
            + "(list or dict) weighs each output's loss in the total.\n"
            + "Example: model.compile(optimizer=Adam(lr=1e-3), loss='categorical_crossentropy', metrics=['accuracy'])",
            ModelTypes::compile)
        .method("fit", "x, y?, batch_size?, epochs?, verbose?, callbacks?, validation_split?, validation_data?, shuffle?, plot?, "
                + "initial_epoch?, seed?, sample_weight?, class_weight?, cluster?, local_steps?, checkpoint?",
            "Trains the model: mini-batches (default 32), epochs (default 1), optional validation; returns a History.\n"
                + "With cluster=spark(...) (or data read by a cluster) it trains data-parallel there: batch_size is the\n"
                + "global batch, local_steps=k averages weights every k steps, checkpoint='hdfs://...' saves each epoch.\n"
                + "Example: history = model.fit(x_train, y_train, epochs=5, batch_size=128, validation_split=0.1)",
            ModelTypes::fit)
        .method("evaluate", "x, y?, batch_size?, verbose?, return_dict?, callbacks?", "The loss (and metrics, as a list) on data, "
            + "in inference mode; return_dict=True gives a dict keyed as fit's history is ('loss', 'accuracy',\n"
            + "'<output>_loss', ...); callbacks= run their on_test_begin, on_test_batch_begin/end and on_test_end hooks.\n"
            + "Example: loss, acc = model.evaluate(x_test, y_test)",
            (Model m, Args a) -> {
              List<INDArray> x = xData(m, a.get("x"), "x");
              List<INDArray> y = a.has("y") ? yData(m, a.get("y"), "y") : List.of();
              UserSteps steps = TrainStepLib.stepsOf(a.invoker(), m);
              boolean ownTestStep = steps != null && steps.hasTestStep();
              if (y.isEmpty() && !ownTestStep) throw DlnException.argument("evaluate() needs labels y");
              int batch = a.intValue("batch_size", 32);
              List<dln.runtime.train.Callback> callbacks = a.has("callbacks")
                  ? ModelTrainingLib.callbacks(a.invoker(), a.list("callbacks")) : List.of();
              Map<String, Double> r = TrainingSession.of(m).evaluateByName(x, y, batch, steps, callbacks);
              if (a.bool("return_dict", false)) return new LinkedHashMap<Object, Object>(r);
              return r.size() == 1 ? (Object) r.values().iterator().next() : new ArrayList<Object>(r.values());
            })
        .method("predict", "x, batch_size?, verbose?, callbacks?, cluster?", "The model's outputs for x, in inference mode (dropout off).\n"
            + "callbacks= run their on_predict_begin, on_predict_batch_begin/end (logs['outputs']: the batch's outputs) and\n"
            + "on_predict_end hooks. With cluster= (or cluster data) a cluster data set with a 'prediction' column comes back.\n"
            + "Example: probabilities = model.predict(x_test[:5])",
            (Model m, Args a) -> {
              ClusterBackend cluster = cluster(a);
              if (cluster != null) {
                if (a.has("callbacks")) throw DlnException.argument("predict(callbacks=...) runs on this machine only, not with cluster=");
                return cluster.predict(m, a);
              }
              List<dln.runtime.train.Callback> callbacks = a.has("callbacks")
                  ? ModelTrainingLib.callbacks(a.invoker(), a.list("callbacks")) : List.of();
              List<INDArray> r = TrainingSession.of(m).predict(xData(m, a.get("x"), "x"), a.intValue("batch_size", 32), callbacks);
              return keyedOutputs(m, r);
            })
        .repr(m -> "<" + m.typeName() + " '" + m.name() + "'" + (m.isGraphBuilt() ? " params=" + m.countParams() : " (not built)") + ">");

    TypeTable.define(Sequential.class, "Sequential");
    // Each layer class under its own name, so type(layer) says Dense, Conv2D, ...
    for (LayerSpec<?> spec : LayerRegistry.specs()) {
      TypeTable.define(spec.layerClass(), spec.type());
    }

    TypeTable.define(SymbolicTensor.class, "SymbolicTensor")
        .attr("shape", t -> ModelLib.shapeTuple(t.shape()))
        .attr("ndim", t -> (long) t.rank())
        // An Input's declared dtype (Input(..., dtype='int32')); what layers compute is float32.
        .attr("dtype", t -> new dln.interp.value.DType(t.layer() instanceof dln.runtime.nn.InputLayer in ? in.config().dtype() : "float32"))
        .attr("name", SymbolicTensor::reference)
        .call((t, invoker, positional, keywords) -> {
          throw new DlnException("type error", "a symbolic tensor cannot be called", "call a layer on it instead: Dense(10)(x), or x -> Dense(10)", null);
        })
        .repr(t -> "<SymbolicTensor shape=" + Shapes.format(t.shape()) + " from " + t.layer().name() + ">");

    TypeTable.define(History.class, "History")
        .attr("history", h -> {
          Map<Object, Object> d = new LinkedHashMap<>();
          for (Map.Entry<String, List<Double>> e : h.history().entrySet()) d.put(e.getKey(), new ArrayList<Object>(e.getValue()));
          return d;
        })
        .attr("epochs", h -> longs(h.epochs()))
        .attr("epoch", h -> longs(h.epochs()))
        .attr("interrupted", History::interrupted)
        .repr(h -> "<History epochs=" + h.epochs().size() + " metrics=" + h.history().keySet() + ">");

    TypeTable.define(Optimizer.class, "Optimizer")
        .attr("learning_rate", Optimizer::learningRate)
        .attr("lr", Optimizer::learningRate)
        .setter("learning_rate", (o, v) -> o.setLearningRate(Values.toDouble(v)))
        .setter("lr", (o, v) -> o.setLearningRate(Values.toDouble(v)))
        .attr("iterations", o -> o.iterations())
        .repr(Optimizer::toString);
    TypeTable.define(Loss.class, "Loss").attr("name", Loss::name).attr("from_logits", Loss::fromLogits)
        .repr(l -> "<Loss " + l.name() + (l.fromLogits() ? " from_logits" : "") + ">")
        // loss_fn(y_true, y_pred) as in Keras: the batch-mean loss, a scalar tensor (.numpy() works)
        .call((l, inv, pos, kw) -> {
          Args a = Args.bind(l.name(), dln.interp.call.Params.parse("y_true, y_pred"), inv, pos, kw);
          return lossValue(l, a.get("y_true"), a.get("y_pred"));
        });
    TypeTable.define(LearningRateSchedule.class, "LearningRateSchedule")
        .call((s, invoker, positional, keywords) -> {
          if (positional.size() != 1) throw DlnException.argument("a schedule takes one argument: the step (or epoch for step_decay)");
          long n = (long) Values.toDouble(positional.get(0));
          return s.rate(n, (int) n);
        })
        .repr(Object::toString);
  }

  /**
   * A loss of labels and predictions, a scalar tensor; on a prediction a gradient tape recorded,
   * the loss is recorded too (a custom training loop, a train_step), so it is differentiable.
   */
  static Object lossValue(Loss l, Object yTrue, Object yPred) {
    return lossValue(l, yTrue, yPred, None.NONE);
  }

  /** The loss with Keras's {@code sample_weight=} (None for none): recorded on the tape that made the prediction, else now. */
  static Object lossValue(Loss l, Object yTrue, Object yPred, Object sampleWeight) {
    Object pred = Recording.resolve(yPred);
    INDArray w = sampleWeight == None.NONE || sampleWeight == null ? null : Values.toTensor(Recording.resolve(sampleWeight));
    GradientTape tape = GradientTape.recording();
    if (pred instanceof Traced t && tape != null && tape.owns(t)) return tape.loss(l, Values.toTensor(yTrue), t, w);
    return org.nd4j.linalg.factory.Nd4j.scalar(l.value(Values.toTensor(yTrue), Values.toTensor(yPred), w));
  }

  // ---------------------------------------------------------------- calling layers and models

  /**
   * {@code layer(x)}: a symbolic tensor (or a list of them) applies the layer; an eager tensor runs
   * it; a layer or model composes the two into a Sequential model ({@code Dense(64) -> Dense(10)}).
   */
  private static Object callLayer(Layer layer, Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    if (layer instanceof NamedInputs named) return callNamed(layer, named, positional, keywords);
    if (layer instanceof Model m && positional.size() == 1 && (m.outputsKeyed() || positional.get(0) instanceof Map<?, ?>)) {
      return callByName(m, positional.get(0), keywords);
    }
    for (String k : keywords.keySet()) {
      if (!k.equals("training") && !k.equals("mask")) {
        throw DlnException.argument(layer.typeName() + "() call got an unexpected keyword argument '" + k + "'");
      }
    }
    if (positional.size() != 1) {
      throw DlnException.argument("a layer is called with one argument (a tensor or a list of tensors), got " + positional.size(),
          positional.size() > 1 ? "pass several inputs as a list: " + layer.typeName() + "()([x, y])" : null);
    }
    Object x = CustomLayerLib.asLayer(positional.get(0));
    if (x instanceof SymbolicTensor t) return layer.apply(t);
    x = Recording.resolve(x);
    GradientTape tape = GradientTape.recording();
    boolean training = keywords.containsKey("training") && Values.truthy(keywords.get("training"));
    // Inside a custom layer's call(): self.dense(x) adds the layer to the graph being built.
    if (x instanceof Traced t && (ScriptedLayer.tracing() || tape == null || !tape.owns(t))) return ScriptedLayer.applyInside(layer, List.of(t));
    // Inside a gradient tape: the layer's forward pass is recorded, differentiable by its weights.
    if (tape != null && (x instanceof Traced || x instanceof INDArray)) return tape.apply(layer, List.of(x), training).get(0);
    if (x instanceof Layer other) return compose(other, layer);
    if (x instanceof Tuple tu) x = tu.items();
    if (x instanceof List<?> items && !items.isEmpty() && items.get(0) instanceof SymbolicTensor) {
      List<SymbolicTensor> ts = new ArrayList<>();
      for (Object o : items) {
        if (!(o instanceof SymbolicTensor s)) {
          throw DlnException.type("cannot mix symbolic tensors with " + Values.typeName(o) + " in a layer call");
        }
        ts.add(s);
      }
      List<SymbolicTensor> out = layer.apply(ts);
      return out.size() == 1 ? out.get(0) : new ArrayList<Object>(out);
    }
    // A model of several inputs inside a gradient tape: recorded as one call, like a single input.
    if (tape != null && x instanceof List<?> items && !items.isEmpty()
        && items.stream().map(Recording::resolve).allMatch(o -> o instanceof Traced || o instanceof INDArray)) {
      List<Object> xs = new ArrayList<>();
      for (Object o : items) xs.add(Recording.resolve(o));
      List<Traced> out = tape.apply(layer, xs, training);
      return out.size() == 1 ? out.get(0) : new ArrayList<Object>(out);
    }
    if (x instanceof List<?> items && !items.isEmpty() && items.get(0) instanceof INDArray) {
      List<INDArray> xs = new ArrayList<>();
      for (Object o : items) xs.add(Values.toTensor(o));
      List<INDArray> out = callEager(layer, xs);
      return out.size() == 1 ? out.get(0) : new ArrayList<Object>(out);
    }
    INDArray eager;
    try {
      eager = Values.toTensor(x);
    } catch (DlnException e) {
      throw DlnException.type("a layer is applied to a tensor, a symbolic tensor (from Input) or a layer, got " + Values.typeName(x));
    }
    if (tape != null) return tape.apply(layer, List.of(eager), training).get(0);
    return layer instanceof Model m ? TrainingSession.of(m).call(eager) : layer.call(eager);
  }

  /**
   * {@code mha(query, value, key=None, attention_mask=None)}: a layer taking several tensors by
   * name ({@link NamedInputs}); all symbolic (a graph node) or all eager (an inference run).
   */
  private static Object callNamed(Layer layer, NamedInputs named, List<Object> positional, Map<String, Object> keywords) {
    List<String> names = named.inputNames();
    String signature = layer.typeName() + "(" + String.join(", ", names.subList(0, named.requiredInputs())) + ", ...)";
    if (positional.size() > names.size()) {
      throw DlnException.argument(layer.typeName() + "() call takes at most " + names.size() + " tensors (" + String.join(", ", names)
          + "), got " + positional.size());
    }
    Object[] given = new Object[names.size()];
    for (int i = 0; i < positional.size(); i++) given[i] = positional.get(i);
    for (Map.Entry<String, Object> e : keywords.entrySet()) {
      int i = names.indexOf(e.getKey());
      if (i < 0) {
        if (e.getKey().equals("training")) continue;
        if (e.getKey().equals("return_attention_scores") && !Values.truthy(e.getValue())) continue;
        throw DlnException.argument(layer.typeName() + "() call got an unexpected keyword argument '" + e.getKey() + "'",
            e.getKey().equals("return_attention_scores") ? "the attention scores are not returned; the layer gives its output only"
                : "its tensors are " + String.join(", ", names));
      }
      if (given[i] != null) throw DlnException.argument(layer.typeName() + "() call got two values for '" + e.getKey() + "'");
      given[i] = e.getValue();
    }
    for (int i = 0; i < named.requiredInputs(); i++) {
      if (given[i] == null) {
        throw DlnException.argument(layer.typeName() + "() call is missing the tensor '" + names.get(i) + "'",
            "e.g. mha = " + layer.typeName() + "(...); mha(x, x) for self-attention, mha(query, value) otherwise");
      }
    }
    List<Object> values = new ArrayList<>();
    for (Object o : given) values.add(o == None.NONE ? null : o);
    if (values.get(0) instanceof SymbolicTensor) {
      List<SymbolicTensor> ts = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        Object o = values.get(i);
        if (o != null && !(o instanceof SymbolicTensor)) {
          throw DlnException.type(signature + ": '" + names.get(i) + "' must be a symbolic tensor like the query, got " + Values.typeName(o));
        }
        ts.add((SymbolicTensor) o);
      }
      return layer.apply(named.arrange(ts)).get(0);
    }
    List<INDArray> xs = new ArrayList<>();
    for (Object o : values) xs.add(o == null ? null : Values.toTensor(o));
    return layer.call(named.arrange(xs)).get(0);
  }

  /**
   * {@code model(x)} for a model whose inputs or outputs are named (Keras's dicts of tensors): x may
   * be a dict by input name; the result is a dict by output name when the outputs were given so,
   * whether x is symbolic (the model as a layer), recorded by a gradient tape, or eager.
   */
  private static Object callByName(Model m, Object arg, Map<String, Object> keywords) {
    for (String k : keywords.keySet()) {
      if (!k.equals("training")) throw DlnException.argument(m.typeName() + "() call got an unexpected keyword argument '" + k + "'");
    }
    Object x = CustomLayerLib.asLayer(arg);
    if (x instanceof Map<?, ?> byName) {
      m.requireGraph("be called on a dict by input name");
      x = byName(m.inputNames(), byName, "the model's call", "inputs", "input");
    }
    if (x instanceof Tuple tu) x = tu.items();
    List<Object> xs = x instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(x));
    if (xs.stream().allMatch(o -> o instanceof SymbolicTensor)) {
      List<SymbolicTensor> ts = new ArrayList<>();
      for (Object o : xs) ts.add((SymbolicTensor) o);
      return keyedOutputs(m, m.apply(ts));
    }
    if (xs.stream().anyMatch(o -> o instanceof SymbolicTensor)) {
      throw DlnException.type("cannot mix symbolic tensors with eager ones in a model call");
    }
    xs.replaceAll(Recording::resolve);
    GradientTape tape = GradientTape.recording();
    if (tape != null) return keyedOutputs(m, tape.apply(m, xs, keywords.containsKey("training") && Values.truthy(keywords.get("training"))));
    List<INDArray> eager = new ArrayList<>();
    for (Object o : xs) eager.add(Values.toTensor(o));
    return keyedOutputs(m, TrainingSession.of(m).call(eager));
  }

  /**
   * A model's outputs as DLN shows them: a dict by output name for a model whose outputs were given
   * as a dict ({@code predict}, {@code model(x)}), else the one output or a list of them.
   */
  static Object keyedOutputs(Model m, List<?> outs) {
    if (m.outputsKeyed()) return keyed(m.outputNames(), outs);
    return outs.size() == 1 ? outs.get(0) : new ArrayList<Object>(outs);
  }

  /** A layer runs its own small graph; a model runs on its training engine, as {@code predict} does. */
  private static List<INDArray> callEager(Layer layer, List<INDArray> xs) {
    return layer instanceof Model m ? TrainingSession.of(m).call(xs) : layer.call(xs);
  }

  /** {@code first -> second} for layers: a Sequential model of both (flattening Sequential stacks). */
  static Sequential compose(Layer first, Layer second) {
    List<Object> stack = new ArrayList<>();
    long[] inputShape = null;
    if (first instanceof Sequential s) {
      stack.addAll(s.layers());
      if (s.isGraphBuilt()) inputShape = s.inputs().get(0).sampleShape();
    } else {
      stack.add(first);
    }
    stack.add(second);
    Sequential seq = new Sequential(stack);
    if (inputShape != null) seq.buildFor(List.of(inputShape));
    return seq;
  }

  private static Object add(Model m, Args a) {
    if (!(m instanceof Sequential s)) {
      throw new DlnException("type error", "add() works on Sequential models; '" + m.name() + "' is a functional Model",
          "build functional models by calling layers on tensors", null);
    }
    Object v = CustomLayerLib.asLayer(a.get("layer"));
    if (v instanceof Layer l) s.add(l);
    else if (v instanceof SymbolicTensor t) s.add(t);
    else throw DlnException.type("add() takes a layer, got " + Values.typeName(v));
    return None.NONE;
  }

  // ---------------------------------------------------------------- compile and fit

  private static Object compile(Model m, Args a) {
    Object opt = a.get("optimizer");
    Optimizer optimizer = !a.has("optimizer") ? Optimizer.byName("rmsprop")
        : opt instanceof Optimizer o ? o : Optimizer.byName(a.nameLike("optimizer"));
    // Keras compiles without a loss; a model whose own train_step computes it needs none.
    UserSteps steps = TrainStepLib.stepsOf(a.invoker(), m);
    if (!a.has("loss") && (steps == null || !steps.hasTrainStep())) {
      throw DlnException.argument("compile() needs a loss", "e.g. loss='categorical_crossentropy' for classes or loss='mse' for numbers");
    }
    List<Loss> losses = new ArrayList<>();
    Object l = a.get("loss", None.NONE);
    if (l == None.NONE) {
      // no loss: train_step computes its own
    } else if (l instanceof Map<?, ?> byName) {
      for (Object o : byOutput(m, byName, "loss")) losses.add(loss(o));
    } else if (l instanceof List<?> || l instanceof Tuple) {
      for (Object o : a.list("loss")) losses.add(loss(o));
    } else {
      losses.add(loss(l));
    }
    List<Double> lossWeights = new ArrayList<>();
    if (a.has("loss_weights") && a.get("loss_weights") != None.NONE) {
      Object w = a.get("loss_weights");
      List<?> items = w instanceof Map<?, ?> byName ? byOutput(m, byName, "loss_weights") : a.list("loss_weights");
      for (Object o : items) {
        if (!(o instanceof Number num) || o instanceof Boolean) throw DlnException.type("loss_weights holds numbers, got " + Values.typeName(o));
        lossWeights.add(num.doubleValue());
      }
    }
    List<String> metrics = new ArrayList<>();
    List<List<String>> outputMetrics = new ArrayList<>();
    if (a.has("metrics") && a.get("metrics") != None.NONE) {
      Object mv = a.get("metrics");
      if (mv instanceof Map<?, ?> byName) {
        outputMetrics = metricsByOutput(m, byName);
      } else {
        List<Object> items = mv instanceof String || mv instanceof dln.interp.call.Callable || mv instanceof MetricState
            ? List.of(mv) : a.list("metrics");
        if (!items.isEmpty() && items.stream().allMatch(o -> o instanceof List<?> || o == None.NONE)) {
          for (Object o : items) outputMetrics.add(metricNames(o));   // Keras's list of lists: one per output
          if (m.isGraphBuilt() && outputMetrics.size() != m.outputs().size()) {
            int n = m.outputs().size();
            throw DlnException.value("metrics has " + outputMetrics.size() + " lists, but the model has " + n + " output" + (n == 1 ? "" : "s"),
                "give one list per output, e.g. metrics=[['accuracy'], ['mae']]");
          }
        } else {
          for (Object o : items) metrics.add(nameOf(o));
        }
      }
    }
    if (!lossWeights.isEmpty() && m.isGraphBuilt() && lossWeights.size() != m.outputs().size()) {
      int n = m.outputs().size();
      throw DlnException.value("loss_weights has " + lossWeights.size() + " value" + (lossWeights.size() == 1 ? "" : "s")
          + ", but the model has " + n + " output" + (n == 1 ? "" : "s"), "give one weight per output");
    }
    TrainingSession.of(m).compile(new dln.runtime.train.CompileConfig(optimizer, losses, metrics, lossWeights, outputMetrics));
    return None.NONE;
  }

  /**
   * Keras 3's per-output metrics, {@code metrics={"digit": ["accuracy"], "odd": "auc"}}, as one list per
   * output in output order; an output the dict leaves out is scored by no metric, as in Keras.
   */
  private static List<List<String>> metricsByOutput(Model m, Map<?, ?> byName) {
    m.requireGraph("compile with metrics by output name");
    List<String> names = new ArrayList<>();
    names.addAll(m.outputNames());
    for (Object k : byName.keySet()) {
      if (!(k instanceof String name) || !names.contains(name)) {
        throw DlnException.value("metrics names output " + Values.repr(k) + ", but the model's outputs are " + names,
            "key metrics by the model's output names");
      }
    }
    List<List<String>> out = new ArrayList<>();
    for (String n : names) out.add(byName.containsKey(n) ? metricNames(byName.get(n)) : List.of());
    return out;
  }

  /** One output's metrics: a name, a metric object, a list of them, or None for none. */
  private static List<String> metricNames(Object o) {
    if (o == None.NONE) return List.of();
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) for (Object e : l) out.add(nameOf(e));
    else if (o instanceof Tuple t) for (Object e : t.items()) out.add(nameOf(e));
    else out.add(nameOf(o));
    return out;
  }

  /** A dict keyed by output names (Keras's loss={'cls': ..., 'reg': ...}) as a list in output order. */
  private static List<Object> byOutput(Model m, Map<?, ?> byName, String param) {
    m.requireGraph("take " + param + " by output name");
    return byName(m.outputNames(), byName, param, "outputs", "output");
  }

  /**
   * A dict keyed by {@code names} (the model's input or output names: the keys of a dict given to
   * {@code Model()}, else the layers' names) as a list in their order: Keras's
   * {@code fit({'top': a, 'bottom': b}, ...)} for inputs named by {@code keras.Input(name=...)}.
   */
  private static List<Object> byName(List<String> names, Map<?, ?> byName, String param, String plural, String one) {
    for (Object k : byName.keySet()) {
      if (!(k instanceof String name) || !names.contains(name)) {
        throw DlnException.value(param + " names " + one + " " + Values.repr(k) + ", but the model's " + plural + " are " + names,
            "key " + param + " by the model's " + one + " names");
      }
    }
    List<Object> out = new ArrayList<>();
    for (String n : names) {
      if (!byName.containsKey(n)) {
        throw DlnException.value(param + " has no entry for " + one + " '" + n + "' (the model's " + plural + " are " + names + ")",
            "give one per " + one + ", keyed by name");
      }
      out.add(byName.get(n));
    }
    return out;
  }

  private static Loss loss(Object o) {
    if (o instanceof Loss l) return l;
    return Loss.byName(nameOf(o));
  }

  private static String nameOf(Object o) {
    if (o instanceof String s) return s;
    if (o instanceof MetricState m) {
      if (m.isMean()) throw DlnException.type("compile(metrics=...) takes named metrics; a Mean is updated by hand in train_step");
      return m.metric();
    }
    if (o instanceof dln.interp.call.Callable c) return c.name();
    throw DlnException.type("expected a name (string), got " + Values.typeName(o));
  }

  private static Object fit(Model m, Args a) {
    Invoker invoker = a.invoker();
    ClusterBackend cluster = cluster(a);
    if (cluster == null && (a.has("local_steps") || a.has("checkpoint"))) {
      throw DlnException.argument("local_steps= and checkpoint= apply to training on a cluster",
          "pass cluster=spark('local[2]'), or use callbacks=[ModelCheckpoint(...)] on one machine");
    }
    if (cluster != null) return clusterFit(m, a, cluster);
    UserSteps steps = TrainStepLib.stepsOf(invoker, m);
    boolean ownStep = steps != null && steps.hasTrainStep();
    if (!a.has("y") && !ownStep) throw DlnException.argument("fit() needs labels y", "model.fit(x_train, y_train, epochs=5)");
    FitOptions o = new FitOptions()
        .epochs(a.intValue("epochs", 1))
        .batchSize(a.intValue("batch_size", 32))
        .validationSplit(a.number("validation_split", 0))
        .shuffle(a.bool("shuffle", true))
        .initialEpoch(a.intValue("initial_epoch", 0))
        .shouldStop(invoker::cancelRequested);
    int verbose = a.intValue("verbose", 1);
    // A live chart (plot=true or a LivePlot among the callbacks) on a terminal: one renderer owns the
    // bottom of the screen, drawing the progress bar and the chart together (issue 17, point 2).
    dln.stdlib.plot.LivePlot live = null;
    if (invoker.display() != null) {
      // A notebook shows bar and chart together in one updating output instead.
      o.progress(invoker.display().training(verbose));
    } else if (invoker.interactive()) {
      if (a.bool("plot", false)) live = PictureLib.livePlot(invoker);
      else if (a.has("callbacks")) {
        for (Object c : a.list("callbacks")) if (c instanceof dln.stdlib.plot.LivePlot lp) live = lp;
      }
    }
    if (live != null) {
      o.progress(new dln.stdlib.plot.TrainingDisplay(invoker.out(), live, verbose == 1, invoker::columns));
    } else if (invoker.display() == null) {
      o.progress(new ProgressBar(invoker.out(), invoker.interactive(), a.bool("plot", false) && !a.has("verbose") ? 0 : verbose));
    }
    if (a.has("seed")) o.seed(a.integer("seed"));
    if (a.has("sample_weight") && a.get("sample_weight") != None.NONE) o.sampleWeight(a.tensor("sample_weight"));
    if (a.has("class_weight") && a.get("class_weight") != None.NONE) {
      if (!(a.get("class_weight") instanceof Map<?, ?> cw)) {
        throw DlnException.value("class_weight must be a dict from class index to weight, got " + Values.typeName(a.get("class_weight")),
            "e.g. class_weight={0: 1.0, 1: 5.0}");
      }
      Map<Integer, Double> weights = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : cw.entrySet()) {
        if (!(e.getKey() instanceof Long k) || !(e.getValue() instanceof Number v) || e.getValue() instanceof Boolean) {
          throw DlnException.value("class_weight maps class indices (int) to weights (numbers), got " + Values.repr(e.getKey()) + ": "
              + Values.repr(e.getValue()), "e.g. class_weight={0: 1.0, 1: 5.0}");
        }
        if (!(v.doubleValue() >= 0) || Double.isInfinite(v.doubleValue())) {
          throw DlnException.value("class_weight for class " + k + " must be finite and not negative, got " + Values.repr(v));
        }
        weights.put(Math.toIntExact(k), v.doubleValue());
      }
      o.classWeight(weights);
    }
    if (a.has("validation_data")) {
      List<Object> vd = a.list("validation_data");
      if (vd.size() != 2) throw DlnException.value("validation_data must be a pair (x_val, y_val), got " + vd.size() + " items");
      o.validationData(xData(m, vd.get(0), "validation_data"), yData(m, vd.get(1), "validation_data"));
    }
    List<dln.runtime.train.Callback> callbacks = new ArrayList<>();
    if (a.has("callbacks")) {
      List<Object> items = new ArrayList<>(a.list("callbacks"));
      // The display records and draws that chart itself; as a callback it would draw a second time.
      if (live != null) items.remove(live);
      callbacks.addAll(ModelTrainingLib.callbacks(invoker, items));
    }
    if (a.bool("plot", false) && live == null && invoker.display() == null) callbacks.add(ModelTrainingLib.livePlotCallback(PictureLib.livePlot(invoker)));
    // NaN/inf detection is always on: stop at the first bad batch, keep the last good weights (issue 8).
    DivergenceGuard guard = new DivergenceGuard();
    callbacks.add(guard);
    o.callbacks(callbacks);
    Object y = a.get("y", None.NONE);
    // A model's own train_step gets each batch instead of the engine (labels optional: data is then x alone).
    if (ownStep) o.customSteps(steps);
    List<INDArray> labels = y == None.NONE ? List.of() : yData(m, y, "y");
    Object history = TrainingSession.of(m).fit(xData(m, a.get("x"), "x"), labels, o);
    guard.check();
    return history;
  }

  /** The cluster of cluster=, or of cluster data given as x; null for in-memory training. */
  private static ClusterBackend cluster(Args a) {
    Object c = a.get("cluster", None.NONE);
    if (c != None.NONE) {
      if (c instanceof ClusterBackend b) return b;
      throw new DlnException("type error", "cluster= takes a cluster session, got " + Values.typeName(c),
          Libraries.PLUGINS.isEmpty()
              ? "no cluster engine is installed: build the spark module (mvn package) and run ./dln, which adds it"
              : "make one with cluster = spark('local[2]')", null);
    }
    Object x = a.get("x", None.NONE);
    return x instanceof ClusterBackend.Data d ? d.cluster() : null;
  }

  private static Object clusterFit(Model m, Args a, ClusterBackend cluster) {
    Invoker invoker = a.invoker();
    List<dln.runtime.train.Callback> callbacks = new ArrayList<>();
    if (a.has("callbacks")) callbacks.addAll(ModelTrainingLib.callbacks(invoker, a.list("callbacks")));
    DivergenceGuard guard = new DivergenceGuard();
    callbacks.add(guard);
    ClusterBackend.Fit fit = new ClusterBackend.Fit(a.intValue("epochs", 1), a.intValue("batch_size", 32),
        a.bool("shuffle", true), a.has("seed") ? a.integer("seed") : null, a.intValue("initial_epoch", 0), callbacks,
        new ProgressBar(invoker.out(), invoker.interactive(), a.intValue("verbose", 1)), invoker::cancelRequested);
    Object history = cluster.fit(m, a, fit);
    guard.check();
    return history;
  }

  /** The model's input data: a tensor, a list in input order, or a dict by input name. */
  private static List<INDArray> xData(Model m, Object x, String param) {
    if (!(x instanceof Map<?, ?> byName)) return tensorsOf(x);
    m.requireGraph("take " + param + " as a dict by input name");
    return tensorsOf(byName(m.inputNames(), byName, param, "inputs", "input"));
  }

  /** The model's labels: a tensor, a list in output order, or a dict by output name. */
  private static List<INDArray> yData(Model m, Object y, String param) {
    return y instanceof Map<?, ?> byName ? tensorsOf(byOutput(m, byName, param)) : tensorsOf(y);
  }

  private static List<INDArray> tensorsOf(Object v) {
    if (v instanceof INDArray t) return List.of(t);
    if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof INDArray) {
      List<INDArray> out = new ArrayList<>();
      for (Object o : l) out.add(Values.toTensor(o));
      return out;
    }
    if (v instanceof Tuple t && t.size() > 0 && t.get(0) instanceof INDArray) return tensorsOf(t.items());
    return List.of(Values.toTensor(v));
  }

  // ---------------------------------------------------------------- value helpers

  private static Map<Object, Object> keyed(List<String> names, List<?> values) {
    Map<Object, Object> d = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) d.put(names.get(i), values.get(i));
    return d;
  }

  private static Object symbolic(Object o) {
    return o instanceof List<?> l ? new ArrayList<Object>(l) : o;
  }

  private static Object shapeOf(Object o) {
    if (o instanceof SymbolicTensor t) return ModelLib.shapeTuple(t.shape());
    List<Object> out = new ArrayList<>();
    for (Object x : (List<?>) o) out.add(ModelLib.shapeTuple(((SymbolicTensor) x).shape()));
    return out;
  }

  /** The variables of a layer's weights: all (trainable null), or the (non-)trainable ones. */
  private static List<Object> weights(Layer l, Boolean trainable) {
    List<Object> out = new ArrayList<>();
    if (l instanceof Model m) {
      for (Model.WeightRef r : m.weightRefs()) if (trainable == null || r.trainable() == trainable) out.add(r.weight().variable());
      return out;
    }
    for (Weight w : l.weightList()) if (trainable == null || (w.isTrainable() && l.isTrainable()) == trainable) out.add(w.variable());
    return out;
  }

  /** {@code layer.kernel}: the variable of the layer's own weight of that name, or null (no such attribute). */
  private static Object weightVariable(Layer l, String name) {
    if (l instanceof Model) return null;
    for (Weight w : l.weightList()) if (w.owner() == l && w.name().equals(name)) return w.variable();
    return null;
  }

  private static List<Object> longs(List<Integer> xs) {
    List<Object> out = new ArrayList<>();
    for (Integer i : xs) out.add((long) i);
    return out;
  }

  /** JSON-ish Java values (from Jackson) to DLN values: ints to Long, lists to lists, maps to dicts. */
  /**
   * An Input's unknown axes (the runtime's -1) as None, as Keras's config shows them: in an
   * InputLayer's own config ({@code input}) and in every InputLayer entry of a model's layers.
   */
  private static Object unknownAxesAsNone(Object cfg, boolean input) {
    if (!(cfg instanceof Map<?, ?> m)) return cfg;
    @SuppressWarnings("unchecked")
    Map<Object, Object> map = (Map<Object, Object>) m;
    if (input && map.get("shape") instanceof List<?> shape) {
      List<Object> axes = new ArrayList<>();
      for (Object d : shape) axes.add(d instanceof Long n && n == dln.runtime.Shapes.UNKNOWN ? None.NONE : d);
      map.put("shape", axes);
    }
    if (map.get("layers") instanceof List<?> layers) {
      for (Object layer : layers) {
        if (layer instanceof Map<?, ?> entry && "InputLayer".equals(entry.get("type"))) unknownAxesAsNone(entry.get("config"), true);
        else if (layer instanceof Map<?, ?> entry) unknownAxesAsNone(entry.get("config"), false);
      }
    }
    return cfg;
  }

  private static Object toDln(Object v) {
    if (v == null) return None.NONE;
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Long)) return n.doubleValue();
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(toDln(o));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), toDln(e.getValue()));
      return out;
    }
    return v;
  }
}

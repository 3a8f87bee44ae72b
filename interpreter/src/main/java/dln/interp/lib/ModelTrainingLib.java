package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.call.TypeTable;
import dln.interp.value.Values;
import dln.runtime.nn.Model;
import dln.runtime.train.Adadelta;
import dln.runtime.train.Adagrad;
import dln.runtime.train.Adam;
import dln.runtime.train.AdamW;
import dln.interp.value.DlnClass;
import dln.interp.value.DlnObject;
import dln.runtime.train.Callback;
import dln.runtime.train.CosineDecay;
import dln.runtime.train.EarlyStopping;
import dln.runtime.train.EpochCallback;
import dln.runtime.train.ExponentialDecay;
import dln.runtime.train.LearningRateSchedule;
import dln.runtime.train.LearningRateScheduler;
import dln.runtime.train.Loss;
import dln.runtime.train.ModelCheckpoint;
import dln.runtime.train.Nadam;
import dln.runtime.train.Optimizer;
import dln.runtime.train.RMSprop;
import dln.runtime.train.ReduceLROnPlateau;
import dln.runtime.train.SGD;
import dln.runtime.train.StepDecay;
import dln.runtime.train.TerminateOnNaN;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Optimisers, losses, learning-rate schedules and callbacks, with Keras's names and arguments. */
final class ModelTrainingLib implements Library {
  @Override
  public void install(Globals g) {
    optimizer(g, "SGD", "learning_rate|lr?, momentum?, nesterov?",
        "Stochastic gradient descent, optionally with (Nesterov) momentum; learning_rate default 0.01.\n"
            + "Example: SGD(lr=0.01, momentum=0.9, nesterov=true)",
        (a, lr) -> new SGD(lr == null ? 0.01 : lr, a.number("momentum", 0), a.bool("nesterov", false)));
    optimizer(g, "Adam", "learning_rate|lr?, beta_1?, beta_2?, epsilon?",
        "Adam (learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7).\nExample: Adam(lr=1e-3)",
        (a, lr) -> new Adam(lr == null ? 0.001 : lr, a.number("beta_1", 0.9), a.number("beta_2", 0.999), a.number("epsilon", 1e-7)));
    optimizer(g, "AdamW", "learning_rate|lr?, weight_decay?",
        "Adam with decoupled weight decay (learning_rate 0.001, weight_decay 0.004).\nExample: AdamW(lr=1e-3, weight_decay=0.01)",
        (a, lr) -> new AdamW(lr == null ? 0.001 : lr, a.number("weight_decay", 0.004)));
    optimizer(g, "Nadam", "learning_rate|lr?",
        "Adam with Nesterov momentum (learning_rate 0.001).\nExample: Nadam()",
        (a, lr) -> new Nadam(lr == null ? 0.001 : lr));
    optimizer(g, "RMSprop", "learning_rate|lr?, rho?, momentum?",
        "RMSprop (learning_rate 0.001, rho 0.9).\nExample: RMSprop(lr=0.001)",
        (a, lr) -> new RMSprop(lr == null ? 0.001 : lr, a.number("rho", 0.9), a.number("momentum", 0)));
    optimizer(g, "Adagrad", "learning_rate|lr?",
        "Adagrad (learning_rate 0.001): per-weight rates shrinking with the squared gradients seen.\nExample: Adagrad(lr=0.01)",
        (a, lr) -> new Adagrad(lr == null ? 0.001 : lr));
    optimizer(g, "Adadelta", "learning_rate|lr?",
        "Adadelta (learning_rate 0.001, rho 0.95).\nExample: Adadelta(lr=1.0)",
        (a, lr) -> new Adadelta(lr == null ? 0.001 : lr));

    loss(g, "MeanSquaredError", "mean_squared_error", "Mean of squared differences (regression).");
    loss(g, "MeanAbsoluteError", "mean_absolute_error", "Mean of absolute differences (regression).");
    loss(g, "CategoricalCrossentropy", "categorical_crossentropy", "Cross-entropy for one-hot labels (classification).");
    loss(g, "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy",
        "Cross-entropy for integer class labels (classification).");
    loss(g, "BinaryCrossentropy", "binary_crossentropy", "Cross-entropy for 0/1 labels (one sigmoid output).");
    g.def("Huber", "delta?", "The Huber loss: quadratic for errors below delta (default 1), linear above.\nExample: loss=Huber(2.0)",
        a -> new Loss("huber", a.number("delta", 1.0)));

    g.def("step_decay", "initial_learning_rate|lr, drop?, epochs_drop?",
        "A learning rate halved (drop, default 0.5) every epochs_drop epochs (default 10): pass it as learning_rate.\n"
            + "Example: SGD(learning_rate=step_decay(0.1, drop=0.5, epochs_drop=10))",
        a -> new StepDecay(a.number("initial_learning_rate"), a.number("drop", 0.5), a.intValue("epochs_drop", 10)));
    g.def("exponential_decay", "initial_learning_rate|lr, decay_steps, decay_rate, staircase?",
        "initial · decay_rate^(step / decay_steps), per optimiser step; staircase rounds the exponent down.\n"
            + "Example: Adam(learning_rate=exponential_decay(1e-3, decay_steps=1000, decay_rate=0.9))",
        a -> new ExponentialDecay(a.number("initial_learning_rate"), a.integer("decay_steps"), a.number("decay_rate"),
            a.bool("staircase", false)));
    g.alias("ExponentialDecay", "exponential_decay");
    g.def("cosine_decay", "initial_learning_rate|lr, decay_steps, alpha?, warmup_steps?, warmup_target?",
        "Half a cosine from the peak rate down to alpha·peak over decay_steps steps, after an optional linear "
            + "warm-up from initial_learning_rate to warmup_target over warmup_steps.\n"
            + "Example: Adam(learning_rate=cosine_decay(0.0, 5000, warmup_steps=500, warmup_target=1e-3))",
        a -> new CosineDecay(a.number("initial_learning_rate"), a.integer("decay_steps"), a.number("alpha", 0),
            a.integer("warmup_steps", 0), a.has("warmup_target") ? a.number("warmup_target") : null));
    g.alias("CosineDecay", "cosine_decay");

    g.def("EarlyStopping", "monitor?, min_delta?, patience?, mode?, baseline?, restore_best_weights?, start_from_epoch?",
        "Stops fit when monitor (default 'val_loss') has not improved by more than min_delta for patience epochs, "
            + "as Keras 3 does: every epoch counts against patience at once; with baseline, only improvements that also "
            + "beat it reset the count; epochs before start_from_epoch are not watched; restore_best_weights puts back "
            + "the best epoch's weights when fit ends (stopped early or not).\n"
            + "Example: EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=true)",
        a -> new EarlyStopping(a.string("monitor", "val_loss"), a.number("min_delta", 0), a.intValue("patience", 0),
            a.string("mode", "auto"), a.has("baseline") && a.get("baseline") != dln.interp.value.None.NONE ? a.number("baseline") : null,
            a.bool("restore_best_weights", false), a.intValue("start_from_epoch", 0)));
    g.def("ModelCheckpoint", "filepath, monitor?, save_best_only?, save_weights_only?, mode?",
        "Saves the model after each epoch (or only epochs that improve monitor, with save_best_only; only the weights, "
            + "with save_weights_only); filepath may hold {epoch:02d} (counting from 1) and {val_loss:.2f}.\n"
            + "Example: ModelCheckpoint('best.dlnm', save_best_only=true)",
        a -> {
          Invoker invoker = a.invoker();
          boolean weightsOnly = a.bool("save_weights_only", false);
          return new ModelCheckpoint(a.string("filepath"), a.string("monitor", "val_loss"), a.bool("save_best_only", false),
              a.string("mode", "auto"), (model, path) -> save(invoker, model, path, weightsOnly));
        });
    g.def("TerminateOnNaN", "", "Stops fit as soon as the loss becomes NaN or infinite.\nExample: callbacks=[TerminateOnNaN()]",
        a -> new TerminateOnNaN());
    g.def("ReduceLROnPlateau", "monitor?, factor?, patience?, min_delta?, cooldown?, min_lr?, mode?",
        "Multiplies the learning rate by factor (default 0.1) when monitor has not improved for patience epochs (default 10).\n"
            + "Example: ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=2)",
        a -> new ReduceLROnPlateau(a.string("monitor", "val_loss"), a.number("factor", 0.1), a.intValue("patience", 10),
            a.number("min_delta", 1e-4), a.intValue("cooldown", 0), a.number("min_lr", 0), a.string("mode", "auto")));
    g.def("LearningRateScheduler", "schedule",
        "Sets the learning rate at each epoch's start: schedule is a function (epoch, lr) -> new lr, or a schedule "
            + "such as step_decay(...).\nExample: LearningRateScheduler(lambda epoch, lr: lr * 0.9)",
        a -> {
          Object s = a.get("schedule");
          if (s instanceof LearningRateSchedule sched) return LearningRateScheduler.of(sched);
          Invoker invoker = a.invoker();
          return new LearningRateScheduler((epoch, lr) -> Values.toDouble(invoker.call(s, (long) epoch, lr)));
        });
    g.set("Callback", CALLBACK, "The base class of custom callbacks: subclass it and define on_epoch_end(self, epoch, logs), "
        + "on_epoch_begin, on_train_begin, on_train_end(logs: the last epoch's), on_train_batch_begin/end (or "
        + "on_batch_begin/end), for evaluate(callbacks=...) and fit's validation pass on_test_begin, on_test_batch_begin/end, "
        + "on_test_end, and for predict(callbacks=...) on_predict_begin, on_predict_batch_begin/end (logs['outputs']), "
        + "on_predict_end; "
        + "self.model is the model being trained; self.model.stop_training = True ends fit after the current epoch "
        + "(or batch, set in a batch hook).\n"
        + "Example: class Show(Callback):\n    def on_epoch_end(self, epoch, logs):\n        print(epoch, logs['loss'])");
    g.def("LambdaCallback", "on_epoch_end",
        "A callback calling on_epoch_end(epoch, logs) after each epoch.\nExample: LambdaCallback(lambda e, logs: print(e, logs['loss']))",
        a -> userCallback(a.invoker(), a.get("on_epoch_end")));
  }

  private static void optimizer(Globals g, String name, String params, String doc, BiFunction<Args, Double, Optimizer> make) {
    g.def(name, params, doc, a -> {
      Object lr = a.get("learning_rate");
      LearningRateSchedule schedule = lr instanceof LearningRateSchedule s ? s : null;
      Double fixed = !a.has("learning_rate") || schedule != null ? null : a.number("learning_rate");
      Optimizer opt = make.apply(a, fixed);
      if (schedule != null) {
        opt.setLearningRate(schedule.rate(0, 0) > 0 ? schedule.rate(0, 0) : opt.learningRate());
        opt.setSchedule(schedule);
      }
      return opt;
    });
    g.export("keras.optimizers", name);
  }

  private static void loss(Globals g, String className, String lossName, String doc) {
    // The cross-entropies take from_logits=True (the model ends without softmax/sigmoid), as in Keras.
    boolean crossEntropy = lossName.endsWith("crossentropy");
    g.def(className, crossEntropy ? "from_logits?" : "", doc + "\nExample: model.compile(optimizer='adam', loss="
            + className + (crossEntropy ? "(from_logits=True))" : "())"),
        a -> Loss.byName(lossName).withFromLogits(crossEntropy && a.bool("from_logits", false)));
    g.export("keras.losses", className);
  }

  /** Saves through the model's {@code save} method, which model files (a later library) define. */
  private static void save(Invoker invoker, Model model, String path, boolean weightsOnly) {
    Object save = TypeTable.getAttr(model, weightsOnly ? "save_weights" : "save");
    if (save == null) {
      throw DlnException.value("ModelCheckpoint needs model." + (weightsOnly ? "save_weights" : "save") + ", which is not available in this build", null);
    }
    invoker.call(save, path);
  }

  /** Keras's Callback hooks; on_batch_begin/end are the older names of on_train_batch_begin/end. */
  private static final List<String> HOOKS = List.of("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
      "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end", "on_test_begin", "on_test_end",
      "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end", "on_predict_batch_begin",
      "on_predict_batch_end");

  /** The builtin base class {@code Callback}: its hooks do nothing until a subclass overrides them. */
  static final DlnClass CALLBACK = new DlnClass("Callback", null, hooks(), null);

  private static Map<String, Object> hooks() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String h : HOOKS) m.put(h, new DlnObject.NoOp(h));
    return m;
  }

  /** A {@code class C(Callback)} instance as a runtime callback: each hook calls the method C defines. */
  static Callback objectCallback(Invoker invoker, DlnObject obj) {
    return new Callback() {
      @Override
      public void onTrainBegin(dln.runtime.train.TrainingContext context) {
        obj.attrs().put("model", context.model());
        obj.callIfDefined(invoker, "on_train_begin", List.of(new LinkedHashMap<>()));
      }

      @Override
      public void onEpochBegin(int epoch, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_epoch_begin", List.of((long) epoch, new LinkedHashMap<>()));
      }

      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_epoch_end", List.of((long) epoch, logsDict(logs)));
      }

      @Override
      public void onBatchBegin(int batch, dln.runtime.train.TrainingContext context) {
        batchHook("on_train_batch_begin", "on_batch_begin", batch, Map.of());
      }

      @Override
      public void onBatchEnd(int batch, Map<String, Double> logs, dln.runtime.train.TrainingContext context) {
        batchHook("on_train_batch_end", "on_batch_end", batch, logs);
      }

      @Override
      public void onTrainEnd(dln.runtime.train.TrainingContext context) {
        onTrainEnd(Map.of(), context);
      }

      @Override
      public void onTrainEnd(Map<String, Double> logs, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_train_end", List.of(logsDict(logs)));
      }

      @Override
      public void onTestBegin(dln.runtime.train.TrainingContext context) {
        obj.attrs().put("model", context.model());
        obj.callIfDefined(invoker, "on_test_begin", List.of(new LinkedHashMap<>()));
      }

      @Override
      public void onTestBatchBegin(int batch, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_test_batch_begin", List.of((long) batch, new LinkedHashMap<>()));
      }

      @Override
      public void onTestBatchEnd(int batch, Map<String, Double> logs, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_test_batch_end", List.of((long) batch, logsDict(logs)));
      }

      @Override
      public void onTestEnd(Map<String, Double> logs, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_test_end", List.of(logsDict(logs)));
      }

      @Override
      public void onPredictBegin(dln.runtime.train.TrainingContext context) {
        obj.attrs().put("model", context.model());
        obj.callIfDefined(invoker, "on_predict_begin", List.of(new LinkedHashMap<>()));
      }

      @Override
      public void onPredictBatchBegin(int batch, dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_predict_batch_begin", List.of((long) batch, new LinkedHashMap<>()));
      }

      /**
       * Keras's logs are {'outputs': the batch's outputs}: one array, a list for a model with several
       * outputs, a dict by output name for one whose outputs were given as a dict.
       */
      @Override
      public void onPredictBatchEnd(int batch, List<INDArray> outputs, dln.runtime.train.TrainingContext context) {
        Map<Object, Object> logs = new LinkedHashMap<>();
        logs.put("outputs", ModelTypes.keyedOutputs(context.model(), outputs));
        obj.callIfDefined(invoker, "on_predict_batch_end", List.of((long) batch, logs));
      }

      @Override
      public void onPredictEnd(dln.runtime.train.TrainingContext context) {
        obj.callIfDefined(invoker, "on_predict_end", List.of(new LinkedHashMap<>()));
      }

      /** Keras's on_train_batch_* hooks call on_batch_* unless a subclass overrides them: the first defined runs. */
      private void batchHook(String hook, String olderName, int batch, Map<String, Double> logs) {
        String name = obj.cls().find(hook) instanceof DlnObject.NoOp ? olderName : hook;
        obj.callIfDefined(invoker, name, List.of((long) batch, logsDict(logs)));
      }
    };
  }

  private static Map<Object, Object> logsDict(Map<String, Double> logs) {
    return new LinkedHashMap<>(logs);
  }

  /** A DLN function called after each epoch with (epoch, logs dict), Keras-style. */
  static Callback userCallback(Invoker invoker, Object fn) {
    if (TypeTable.callable(fn) == null) {
      throw DlnException.type("a callback must be a callback object or a function (epoch, logs), got " + Values.typeName(fn));
    }
    return (EpochCallback) (epoch, logs) -> {
      Map<Object, Object> dict = new LinkedHashMap<>();
      for (Map.Entry<String, Double> e : logs.entrySet()) dict.put(e.getKey(), e.getValue());
      invoker.call(fn, (long) epoch, dict);
    };
  }

  /** Redraws a live loss/accuracy chart after every epoch; prints the final one when training ends. */
  static Callback livePlotCallback(dln.stdlib.plot.LivePlot plot) {
    return livePlotCallback(null, plot);
  }

  /** Like {@link #livePlotCallback(dln.stdlib.plot.LivePlot)}; with an invoker, a notebook gets the final chart as a picture. */
  static Callback livePlotCallback(Invoker invoker, dln.stdlib.plot.LivePlot plot) {
    return new Callback() {
      @Override
      public void onEpochEnd(int epoch, java.util.Map<String, Double> logs, dln.runtime.train.TrainingContext context) {
        plot.update(logs);
      }

      @Override
      public void onTrainEnd(dln.runtime.train.TrainingContext context) {
        if (invoker != null) PictureLib.finishLivePlot(invoker, plot);
        else plot.finish();
      }
    };
  }

  /** Callbacks from a DLN list: runtime callback objects, LivePlot charts and functions. */
  static List<Callback> callbacks(Invoker invoker, List<Object> items) {
    List<Callback> out = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof Callback c) out.add(c);
      else if (o instanceof DlnObject obj && obj.cls().isSubclassOf(CALLBACK)) out.add(objectCallback(invoker, obj));
      else if (o instanceof dln.stdlib.plot.LivePlot lp) out.add(livePlotCallback(invoker, lp));
      else if (o instanceof Callable || TypeTable.callable(o) != null) out.add(userCallback(invoker, o));
      else throw DlnException.type("callbacks must be callback objects or functions, got " + Values.typeName(o));
    }
    return out;
  }
}

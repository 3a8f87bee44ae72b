package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.Operators;
import dln.interp.call.Args;
import dln.interp.call.Invoker;
import dln.interp.call.Params;
import dln.interp.call.TypeTable;
import dln.interp.value.DlnObject;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Model;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.MetricState;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a {@code train_step}/{@code test_step} override reaches on {@code self} (the keras.io guide
 * "Customizing what happens in fit()"): {@code self.compute_loss(y=, y_pred=)} (Keras 3) and
 * {@code self.compiled_loss(y, y_pred)} (Keras 2, which also updates the loss tracker),
 * {@code self.compiled_metrics.update_state(y, y_pred)}, and {@code self.metrics}: the session's
 * running metrics ({@link TrainingSession#metrics}), reset by fit at every epoch.
 */
public final class TrainStepLib implements Library {
  /** {@code self.compiled_loss}: the compiled loss, callable as {@code (y_true, y_pred)}, updating the "loss" tracker. */
  record CompiledLoss(Model model) {}

  /** {@code self.compiled_metrics}: the compiled metrics' trackers, updated together. */
  record CompiledMetrics(Model model) {}

  @Override
  public void install(Globals g) {
    TypeTable.define(Model.class, "Model")
        .attr("metrics", m -> new ArrayList<Object>(TrainingSession.of(m).metrics()))
        .attr("metrics_names", m -> {
          List<Object> names = new ArrayList<>();
          for (MetricState s : TrainingSession.of(m).metrics()) names.add(s.name());
          return names;
        })
        .attr("losses", m -> new ArrayList<Object>())
        .attr("compiled_loss", CompiledLoss::new)
        .attr("compiled_metrics", CompiledMetrics::new)
        .method("compute_loss", "x?, y?, y_pred?, sample_weight?, training?",
            "The compiled loss of predictions (inside train_step, with a gradient tape: differentiable).\n"
                + "Example: loss = self.compute_loss(y=y, y_pred=y_pred)",
            (Model m, Args a) -> {
              if (!a.has("y") || !a.has("y_pred")) {
                throw DlnException.argument("compute_loss() needs y and y_pred", "loss = self.compute_loss(y=y, y_pred=y_pred)");
              }
              return totalLoss(m, "compute_loss", a.get("y"), a.get("y_pred"), a.get("sample_weight", None.NONE));
            })
        .method("reset_metrics", "", "Resets the model's metrics (fit does so at every epoch).\nExample: model.reset_metrics()",
            (Model m, Args a) -> {
              for (MetricState s : TrainingSession.of(m).metrics()) s.reset();
              return None.NONE;
            });
    TypeTable.define(CompiledLoss.class, "LossesContainer")
        .call((c, inv, pos, kw) -> {
          Args a = Args.bind("compiled_loss", Params.parse("y_true, y_pred, sample_weight?, regularization_losses?"), inv, pos, kw);
          Object loss = totalLoss(c.model(), "compiled_loss", a.get("y_true"), a.get("y_pred"), a.get("sample_weight", None.NONE));
          TrainingSession.of(c.model()).metrics().get(0).updateMean(Values.toTensor(loss));
          return loss;
        })
        .repr(c -> "<compiled_loss>");
    TypeTable.define(CompiledMetrics.class, "MetricsContainer")
        .attr("metrics", c -> new ArrayList<Object>(compiledMetrics(c.model())))
        .method("update_state", "y_true, y_pred, sample_weight?", "Updates every compiled metric with a batch.\n"
            + "Example: self.compiled_metrics.update_state(y, y_pred)", (CompiledMetrics c, Args a) -> {
              // Keras's compiled metrics= ignore sample_weight (only weighted_metrics= use it).
              for (MetricState s : compiledMetrics(c.model())) s.update(a.tensor("y_true"), a.tensor("y_pred"));
              return None.NONE;
            })
        .repr(c -> "<compiled_metrics>");
  }

  /**
   * The compiled loss of a batch as fit computes it: for several outputs, the sum over outputs of
   * {@code loss_weights[i] · loss_i(y_i, y_pred_i)}, with {@code y}, {@code y_pred} and a per-output
   * {@code sample_weight} given as lists in the model's output order or dicts keyed by output name
   * (one sample_weight tensor weighs every output). Recorded on the tape that made the predictions.
   */
  private static Object totalLoss(Model m, String what, Object y, Object yPred, Object sampleWeight) {
    CompileConfig cfg = compileConfig(m, what);
    int n = m.outputs().size();
    if (n == 1) return ModelTypes.lossValue(cfg.loss(0, 1), single(m, what, "y", y), single(m, what, "y_pred", yPred), single(m, what, "sample_weight", sampleWeight));
    List<Object> ys = perOutput(m, what, "y", y);
    List<Object> preds = perOutput(m, what, "y_pred", yPred);
    boolean shared = sampleWeight == None.NONE || sampleWeight == null || dln.runtime.tensor.TensorOps.isTensor(sampleWeight);
    List<Object> weights = shared ? null : perOutput(m, what, "sample_weight", sampleWeight);
    Object total = null;
    for (int i = 0; i < n; i++) {
      Object loss = ModelTypes.lossValue(cfg.loss(i, n), ys.get(i), preds.get(i), shared ? sampleWeight : weights.get(i));
      double factor = cfg.lossWeight(i, n);
      if (factor != 1.0) loss = Operators.binary("*", loss, factor);
      total = total == null ? loss : Operators.binary("+", total, loss);
    }
    return total;
  }

  /** A one-output model's value, given bare or (as Keras accepts) as a one-item list or a dict keyed by its name. */
  private static Object single(Model m, String what, String arg, Object v) {
    if (v instanceof List<?> l && l.size() == 1) return l.get(0);
    if (v instanceof Tuple t && t.size() == 1) return t.get(0);
    if (v instanceof Map<?, ?> d) return perOutput(m, what, arg, d).get(0);
    return v;
  }

  /** One value per output, in the model's output order, from a list/tuple (by position) or a dict (by output name). */
  private static List<Object> perOutput(Model m, String what, String arg, Object v) {
    List<String> names = m.outputNames();
    if (v instanceof Map<?, ?> d) {
      List<Object> out = new ArrayList<>();
      for (String name : names) {
        if (!d.containsKey(name)) {
          throw DlnException.value(what + "(): " + arg + " has no entry for the output '" + name + "'",
              "the model's outputs are " + Values.repr(new ArrayList<Object>(names)));
        }
        out.add(d.get(name));
      }
      for (Object k : d.keySet()) {
        if (!names.contains(k)) {
          throw DlnException.value(what + "(): " + arg + " names " + Values.repr(k) + ", which is not an output of the model",
              "the model's outputs are " + Values.repr(new ArrayList<Object>(names)));
        }
      }
      return out;
    }
    List<?> items = v instanceof List<?> l ? l : v instanceof Tuple t ? t.items() : null;
    if (items == null || items.size() != names.size()) {
      throw DlnException.value(what + "(): the model has " + names.size() + " outputs, so " + arg + " must be a list of "
          + names.size() + " or a dict keyed by output name, got " + (items == null ? "a " + Values.typeName(v) : "a list of " + items.size()),
          "the model's outputs are " + Values.repr(new ArrayList<Object>(names)));
    }
    return new ArrayList<>(items);
  }

  /** The compile configuration with a loss; a located error before compile or without a loss. */
  private static CompileConfig compileConfig(Model m, String what) {
    CompileConfig cfg = TrainingSession.of(m).compileConfig();
    if (cfg == null) {
      throw DlnException.value(what + "(): the model is not compiled, so it has no loss",
          "call model.compile(optimizer='adam', loss='mse') before fit");
    }
    if (cfg.losses().isEmpty()) {
      throw DlnException.value(what + "(): the model was compiled without a loss", "compile with one, e.g. model.compile(optimizer='adam', loss='mse')");
    }
    return cfg;
  }

  private static List<MetricState> compiledMetrics(Model m) {
    List<MetricState> all = TrainingSession.of(m).metrics();
    return all.isEmpty() ? all : all.subList(1, all.size());
  }

  // ---------------------------------------------------------------- fit's hook

  /**
   * The train_step/test_step of the keras.Model subclass instance behind {@code m}, for fit and
   * evaluate; null when {@code m} is no such instance or its class overrides neither.
   */
  static UserSteps stepsOf(Invoker invoker, Model m) {
    DlnObject self = CustomModelLib.ownerOf(m);
    if (self == null || !(overrides(self, "train_step") || overrides(self, "test_step"))) return null;
    return new UserSteps(invoker, self, m);
  }

  static boolean overrides(DlnObject self, String method) {
    Object f = self.cls().find(method);
    return f != null && !(f instanceof DlnObject.NoOp);
  }
}

package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Invoker;
import dln.interp.value.DlnObject;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Model;
import dln.runtime.train.CustomSteps;
import dln.runtime.train.MetricState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A keras.Model subclass's {@code train_step(self, data)} and {@code test_step(self, data)} as the
 * runtime's {@link CustomSteps}: each batch goes to the user's method as Keras passes it
 * ({@code data} is {@code (x, y)}, {@code (x, y, sample_weight)} when fit weighs samples, or {@code x}
 * when fit had no labels) and the dict it returns
 * becomes the logs. A class overriding only one keeps Keras's default for the other: training
 * through fit's engine (the compiled loss and metrics), evaluation likewise.
 */
final class UserSteps implements CustomSteps {
  private final Invoker invoker;
  private final DlnObject self;
  private final Model model;

  UserSteps(Invoker invoker, DlnObject self, Model model) {
    this.invoker = invoker;
    this.self = self;
    this.model = model;
  }

  @Override
  public Map<String, Double> trainStep(List<INDArray> x, List<INDArray> y, INDArray sampleWeight) {
    Object data = data(x, y);
    if (sampleWeight != null) {
      // Keras's (x, y, sample_weight), y None when fit had no labels.
      data = data instanceof Tuple t ? Tuple.of(t.get(0), t.get(1), sampleWeight) : Tuple.of(data, dln.interp.value.None.NONE, sampleWeight);
    }
    return logs("train_step", invoker.call(self.get("train_step"), data));
  }

  /** True when train_step is the user's (a class overriding only test_step trains as usual). */
  boolean hasTrainStep() {
    return TrainStepLib.overrides(self, "train_step");
  }

  /** A class without call() (Keras's GAN, whose train_step drives its sub-models) has no graph of its own to build. */
  @Override
  public boolean buildsModel() {
    return self.cls().find("call") != null;
  }

  @Override
  public boolean hasTestStep() {
    return TrainStepLib.overrides(self, "test_step");
  }

  @Override
  public Map<String, Double> testStep(List<INDArray> x, List<INDArray> y) {
    return logs("test_step", invoker.call(self.get("test_step"), data(x, y)));
  }

  /** Keras resets {@code self.metrics}: the user's own list when the class defines the property, else the compiled ones. */
  @Override
  public void resetMetrics() {
    Object metrics = self.get("metrics");
    if (!(metrics instanceof List<?> items)) {
      throw new DlnException("type error", self.cls().name() + ".metrics must be a list of metric objects, got "
          + Values.typeName(metrics), "define it as a property returning a list: return [self.loss_tracker, self.mae_metric]", null);
    }
    for (Object m : items) if (m instanceof MetricState s) s.reset();
  }

  /** The batch as Keras hands it over: one tensor, a list in the model's order, or a dict when the model names them. */
  private Object data(List<INDArray> x, List<INDArray> y) {
    Object xs = structured(x, model.inputsKeyed() ? model.inputNames() : null);
    if (y.isEmpty()) return xs;
    return Tuple.of(xs, structured(y, model.outputsKeyed() ? model.outputNames() : null));
  }

  private static Object structured(List<INDArray> values, List<String> keys) {
    if (keys != null && keys.size() == values.size()) {
      Map<Object, Object> byKey = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) byKey.put(keys.get(i), values.get(i));
      return byKey;
    }
    return values.size() == 1 ? values.get(0) : new java.util.ArrayList<Object>(values);
  }

  /** The step's dict as logs: each value a number (a metric's result(), a scalar tensor, a float). */
  private Map<String, Double> logs(String method, Object result) {
    if (!(result instanceof Map<?, ?> dict)) {
      throw new DlnException("type error", self.cls().name() + "." + method + "() must return a dict of metric names to values, got "
          + Values.typeName(result), "return {m.name: m.result() for m in self.metrics}", null);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    flatten(method, "", dict, out);
    return out;
  }

  private void flatten(String method, String prefix, Map<?, ?> dict, Map<String, Double> out) {
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw DlnException.type(self.cls().name() + "." + method + "() returned a dict with the key " + Values.repr(e.getKey())
            + "; the keys are metric names (strings)");
      }
      Object v = e.getValue();
      if (v instanceof Map<?, ?> inner) {
        // Keras 3 returns the compiled metrics' results as one nested dict; the logs hold them flat.
        flatten(method, prefix, inner, out);
        continue;
      }
      double d;
      try {
        INDArray t = Values.toTensor(v);
        if (t.length() != 1) throw DlnException.type("a tensor of shape " + dln.runtime.Shapes.format(t.shape()));
        d = t.getDouble(0);
      } catch (DlnException notNumber) {
        throw DlnException.type(self.cls().name() + "." + method + "() returned " + Values.typeName(v) + " for '" + key
            + "'; each value must be a number, e.g. m.result()");
      }
      out.put(prefix + key, d);
    }
  }
}

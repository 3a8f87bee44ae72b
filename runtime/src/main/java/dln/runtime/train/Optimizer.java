package dln.runtime.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Names;
import dln.runtime.nn.Weight;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimiser with Keras's name and defaults. Holds its per-parameter state (created on first
 * update, kept across {@code fit} calls and re-compiles with the same object, as in Keras) and the
 * step counter. The learning rate is fixed, or given by a {@link LearningRateSchedule}.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "class_name")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SGD.class, name = "SGD"),
    @JsonSubTypes.Type(value = Adam.class, name = "Adam"),
    @JsonSubTypes.Type(value = AdamW.class, name = "AdamW"),
    @JsonSubTypes.Type(value = Nadam.class, name = "Nadam"),
    @JsonSubTypes.Type(value = RMSprop.class, name = "RMSprop"),
    @JsonSubTypes.Type(value = Adagrad.class, name = "Adagrad"),
    @JsonSubTypes.Type(value = Adadelta.class, name = "Adadelta")})
public abstract class Optimizer {
  /** Names accepted by {@link #byName}. */
  public static final List<String> NAMES = List.of("sgd", "adam", "adamw", "nadam", "rmsprop", "adagrad", "adadelta");

  protected double learningRate;
  private LearningRateSchedule schedule;
  /**
   * Per-parameter state, keyed by the parameter's array: a weight and the variable that shares its
   * array ({@code layer.kernel}) are one parameter, whether fit or apply_gradients updates it.
   */
  @JsonIgnore private final Map<INDArray, ParamUpdater> state = new IdentityHashMap<>();
  @JsonIgnore private long iterations;

  protected Optimizer(double learningRate) {
    setLearningRate(learningRate);
  }

  /** An optimiser with Keras's defaults by (case-insensitive) name. */
  public static Optimizer byName(String name) {
    String n = name == null ? "rmsprop" : name.toLowerCase(java.util.Locale.ROOT);
    return switch (n) {
      case "sgd" -> new SGD(0.01, 0, false);
      case "adam" -> new Adam(0.001);
      case "adamw" -> new AdamW(0.001, 0.004);
      case "nadam" -> new Nadam(0.001);
      case "rmsprop" -> new RMSprop(0.001);
      case "adagrad" -> new Adagrad(0.001);
      case "adadelta" -> new Adadelta(0.001);
      default -> throw DlnRuntimeException.value("unknown optimizer '" + name + "'", Names.hint(name, NAMES));
    };
  }

  /** Keras's class name ("Adam", "SGD", ...). */
  public String name() {
    return getClass().getSimpleName();
  }

  /** The fixed learning rate (the base rate when a schedule is set). */
  public double learningRate() {
    return learningRate;
  }

  public void setLearningRate(double lr) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw DlnRuntimeException.value("learning rate must be positive, got " + lr, "typical values: 0.001 (Adam), 0.01 (SGD)");
    }
    this.learningRate = lr;
  }

  public LearningRateSchedule schedule() {
    return schedule;
  }

  /** Makes the learning rate follow a schedule (null for the fixed rate). */
  public void setSchedule(LearningRateSchedule schedule) {
    this.schedule = schedule;
  }

  /** The rate the next step will use. */
  public double currentLearningRate(int epoch) {
    return schedule != null ? schedule.rate(iterations, epoch) : learningRate;
  }

  /** Steps taken so far (Keras's {@code optimizer.iterations}). */
  public long iterations() {
    return iterations;
  }

  /** Applies one step to each weight with its gradient (gradients may be overwritten). */
  public void step(List<Weight> weights, List<INDArray> gradients, int epoch) {
    List<INDArray> params = new java.util.ArrayList<>();
    for (Weight w : weights) params.add(w.value());
    applyGradients(params, gradients, epoch);
  }

  /**
   * Keras's {@code apply_gradients}: one step for each parameter array (updated in place) with its
   * gradient (gradients may be overwritten).
   */
  public void applyGradients(List<INDArray> params, List<INDArray> gradients, int epoch) {
    double lr = currentLearningRate(epoch);
    int it = (int) Math.min(Integer.MAX_VALUE, iterations);
    for (int i = 0; i < params.size(); i++) {
      INDArray p = params.get(i);
      ParamUpdater u = state.computeIfAbsent(p, this::newUpdater);
      u.apply(p, gradients.get(i), lr, it, epoch);
    }
    iterations++;
  }

  /**
   * The state arrays of one weight (live, in the updater's fixed order), or an empty list when
   * the weight has not been updated yet.
   */
  public List<INDArray> state(Weight weight) {
    ParamUpdater u = state.get(weight.value());
    return u == null ? List.of() : u.state();
  }

  /**
   * Restores one weight's state from saved arrays (a loaded model continues training where it
   * stopped). Creates the updater and copies the values in; shapes must match.
   */
  public void restoreState(Weight weight, List<INDArray> saved) {
    ParamUpdater u = newUpdater(weight.value());
    List<INDArray> live = u.state();
    if (live.size() != saved.size()) {
      throw DlnRuntimeException.value("optimizer state for '" + weight.fullName() + "' has " + saved.size()
          + " arrays, but " + name() + " keeps " + live.size(), null);
    }
    for (int i = 0; i < live.size(); i++) {
      if (live.get(i).length() != saved.get(i).length()) {
        throw DlnRuntimeException.value("optimizer state " + i + " for '" + weight.fullName() + "' has "
            + saved.get(i).length() + " values, expected " + live.get(i).length(), null);
      }
      live.get(i).assign(saved.get(i).reshape(live.get(i).shape()).castTo(live.get(i).dataType()));
    }
    state.put(weight.value(), u);
  }

  /** Sets the step counter (restored from a model file: Adam's bias correction depends on it). */
  public void setIterations(long iterations) {
    this.iterations = iterations;
  }

  /** Forgets all per-parameter state and the step count. */
  public void reset() {
    state.clear();
    iterations = 0;
  }

  /** A fresh updater (with zero state) for one parameter array. */
  protected abstract ParamUpdater newUpdater(INDArray param);

  @Override
  public String toString() {
    return name() + "(learning_rate=" + learningRate + ")";
  }
}

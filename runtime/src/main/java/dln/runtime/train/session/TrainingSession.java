package dln.runtime.train.session;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Model;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.Loss;
import dln.runtime.train.MetricState;
import dln.runtime.train.CustomSteps;
import dln.runtime.train.Optimizer;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.StopSignal;
import dln.runtime.train.Trainer;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.fast.EngineChooser;
import dln.runtime.train.fast.FastEngine;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's training state: its compile settings (optimiser with its state, losses, metrics), the
 * engine that runs it, the stop signal of a running {@code fit}, and the last {@link History}.
 * The model itself ({@link Model}) is only the graph and its weights; this is what Keras's
 * {@code compile}, {@code fit}, {@code evaluate} and {@code predict} act on.
 *
 * <p>Each model has one session, found with {@link #of}: the session is kept on the model (as its
 * {@link Model#attachment}) so that code holding only the model (the language's model value, a
 * model file, a callback) reaches the same optimiser and history, and so that both are collected
 * together. Training runs through a {@link TrainingEngine}: by default the one {@link EngineChooser}
 * picks ({@link FastEngine} on the CPU where it applies, else {@link SameDiffEngine}, the reference);
 * {@link #setEngineFactory} swaps in another executor without changing anything else.
 *
 * <p>This class sits above {@code train} and {@code train.fast} because it picks the default
 * engine; the fit loops themselves are {@link Trainer}.
 */
public final class TrainingSession {
  private final Model model;
  private final StopSignal stop = new StopSignal();
  private CompileConfig compileConfig;
  /** Null: {@link EngineChooser} picks the engine. */
  private TrainingEngine.Factory engineFactory;
  private TrainingEngine engine;
  private String engineReason;
  private History history;
  private List<MetricState> metrics = List.of();

  private TrainingSession(Model model) {
    this.model = model;
  }

  /** The model's session, created (uncompiled, no history) on first use. */
  public static TrainingSession of(Model model) {
    return model.attachment(TrainingSession.class, TrainingSession::new);
  }

  /** The model this session trains. */
  public Model model() {
    return model;
  }

  // ---------------------------------------------------------------- compile

  /** Keras's {@code compile}: one loss for every output. */
  public void compile(Optimizer optimizer, Loss loss, List<String> metrics) {
    compile(new CompileConfig(optimizer, List.of(loss), metrics));
  }

  /** Compile with names: {@code compile("adam", "categorical_crossentropy", "accuracy")}. */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(Optimizer.byName(optimizer), Loss.byName(loss), List.of(metrics));
  }

  public void compile(CompileConfig config) {
    this.compileConfig = config;
    this.engine = null;
    List<MetricState> trackers = new ArrayList<>();
    trackers.add(MetricState.mean("loss"));
    for (String m : config.allMetrics()) trackers.add(MetricState.compiled(m));
    this.metrics = List.copyOf(trackers);
  }

  /**
   * Keras's {@code model.metrics} as a custom {@code train_step} uses them: a Mean named "loss",
   * then one running metric per compiled metric; empty before compile. The same objects for the
   * session's life, so a step's updates add up until they are reset.
   */
  public List<MetricState> metrics() {
    return metrics;
  }

  /** The compile settings, or null before {@code compile}. */
  public CompileConfig compileConfig() {
    return compileConfig;
  }

  // ---------------------------------------------------------------- engine

  /** Replaces the executor used by fit/evaluate/predict (for faster engines). */
  public void setEngineFactory(TrainingEngine.Factory factory) {
    this.engineFactory = factory;
    this.engine = null;
  }

  /** The engine for the current graph and compile settings (built on first use, rebuilt when the graph changes). */
  public TrainingEngine engine() {
    if (engine == null || engine.version() != model.version()) {
      if (engineFactory == null) {
        EngineChooser.Choice choice = EngineChooser.choose(model, compileConfig);
        engine = choice.engine();
        engineReason = choice.name() + ": " + choice.reason();
      } else {
        engine = engineFactory.create(model, compileConfig);
        String name = engine instanceof FastEngine || engine instanceof dln.runtime.train.PerShapeEngine ? "fast" : engine instanceof SameDiffEngine ? "samediff" : engine.getClass().getSimpleName();
        engineReason = name + ": set by setEngineFactory";
      }
    }
    return engine;
  }

  /**
   * Which engine runs this model and why, e.g. {@code "fast: the CPU backend: ..."} or
   * {@code "samediff: the fast engine does not cover ..."} (the language's {@code model.engine}).
   */
  public String engineReason() {
    engine();
    return engineReason;
  }

  // ---------------------------------------------------------------- fit / evaluate / predict

  /** Set by callbacks (EarlyStopping, TerminateOnNaN) or user code to end {@code fit} after this batch. */
  public void setStopTraining(boolean stop) {
    this.stop.set(stop);
  }

  public boolean stopTraining() {
    return stop.isSet();
  }

  public History fit(INDArray x, INDArray y, FitOptions options) {
    return fit(List.of(x), List.of(y), options);
  }

  public History fit(List<INDArray> x, List<INDArray> y, FitOptions options) {
    History h = trainer().fit(x, y, options);
    this.history = h;
    return h;
  }

  /** The History of the last {@code fit} (Keras's {@code model.history}), or null. */
  public History history() {
    return history;
  }

  /** Sets the history (a model loaded from a file gets the one it was saved with). */
  public void setHistory(History history) {
    this.history = history;
  }

  /** {@code [loss, metric...]} on the data in inference mode. */
  public List<Double> evaluate(INDArray x, INDArray y) {
    return evaluate(List.of(x), List.of(y), 128);
  }

  public List<Double> evaluate(List<INDArray> x, List<INDArray> y, int batchSize) {
    return trainer().evaluate(x, y, batchSize);
  }

  /** {@link #evaluate(List, List, int)} through the model's own test step, if {@code steps} has one (null: none). */
  public List<Double> evaluate(List<INDArray> x, List<INDArray> y, int batchSize, CustomSteps steps) {
    return trainer().evaluate(x, y, batchSize, steps);
  }

  /** {@link #evaluateByName(List, List, int)} through the model's own test step, if {@code steps} has one (null: none). */
  public java.util.Map<String, Double> evaluateByName(List<INDArray> x, List<INDArray> y, int batchSize, CustomSteps steps) {
    return trainer().evaluateByName(x, y, batchSize, steps);
  }

  /** {@link #evaluate}'s values keyed as the history's are (Keras's {@code return_dict=True}). */
  public java.util.Map<String, Double> evaluateByName(List<INDArray> x, List<INDArray> y, int batchSize) {
    return trainer().evaluateByName(x, y, batchSize);
  }

  /** {@link #evaluateByName(List, List, int)} calling the callbacks' test hooks (on_test_begin, ...). */
  public java.util.Map<String, Double> evaluateByName(List<INDArray> x, List<INDArray> y, int batchSize,
      List<dln.runtime.train.Callback> callbacks) {
    return trainer().evaluateByName(x, y, batchSize, callbacks, history);
  }

  /** {@link #evaluateByName(List, List, int, CustomSteps)} calling the callbacks' test hooks. */
  public java.util.Map<String, Double> evaluateByName(List<INDArray> x, List<INDArray> y, int batchSize, CustomSteps steps,
      List<dln.runtime.train.Callback> callbacks) {
    return trainer().evaluateByName(x, y, batchSize, steps, callbacks, history);
  }

  /** Outputs for the data in inference mode (dropout off, moving statistics). */
  public INDArray predict(INDArray x) {
    return predict(List.of(x), 128).get(0);
  }

  public INDArray predict(INDArray x, int batchSize) {
    return predict(List.of(x), batchSize).get(0);
  }

  public List<INDArray> predict(List<INDArray> x, int batchSize) {
    return trainer().predict(x, batchSize);
  }

  /** {@link #predict(List, int)} calling the callbacks' predict hooks (on_predict_begin, ...). */
  public List<INDArray> predict(List<INDArray> x, int batchSize, List<dln.runtime.train.Callback> callbacks) {
    return trainer().predict(x, batchSize, callbacks, history);
  }

  /**
   * The model applied to eager batches, all in one batch (the language's {@code model(x)}): like
   * {@link #predict}, after checking each input is a batch and building a Sequential from it.
   */
  public List<INDArray> call(List<INDArray> xs) {
    model.checkBatched(xs);
    model.buildFor(Model.sampleShapes(xs));
    return predict(xs, Math.max(1, (int) xs.get(0).size(0)));
  }

  /** {@link #call(List)} for a model with one input and one output. */
  public INDArray call(INDArray x) {
    List<INDArray> out = call(List.of(x));
    if (out.size() != 1) throw DlnRuntimeException.value(model.describe() + " has " + out.size() + " outputs");
    return out.get(0);
  }

  private Trainer trainer() {
    return new Trainer(model, compileConfig, this::engine, stop);
  }
}

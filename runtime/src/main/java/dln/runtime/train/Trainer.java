package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import dln.runtime.Rng;
import dln.runtime.nn.Model;
import dln.runtime.Shapes;
import dln.runtime.nn.SymbolicTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fit / evaluate / predict loops: checks the data against the model, splits validation data,
 * shuffles, cuts mini-batches, hands each to the {@link TrainingEngine}, accumulates loss and
 * metrics, and drives callbacks, progress and cancellation. It keeps no state between calls: the
 * model's training session owns the compile settings, the engine and the stop signal.
 */
public final class Trainer {
  private final Model model;
  private final CompileConfig config;
  private final Supplier<TrainingEngine> engines;
  private final StopSignal stop;

  /**
   * @param config the compile settings, null when the model is not compiled (predict only)
   * @param engines the engine for the model's current graph, asked for once the graph is built
   */
  public Trainer(Model model, CompileConfig config, Supplier<TrainingEngine> engines, StopSignal stop) {
    this.model = model;
    this.config = config;
    this.engines = engines;
    this.stop = stop;
  }

  // ---------------------------------------------------------------- fit

  public History fit(List<INDArray> xIn, List<INDArray> yIn, FitOptions o) {
    CompileConfig cfg = requireCompiled();
    if (o.customSteps != null) return new CustomFitLoop(this, model, cfg, stop).fit(floats(xIn), yIn, o);
    List<INDArray> x = floats(xIn);
    model.buildFor(sampleShapes(x));
    DataCheck.check(model, cfg, x, yIn, "x", "y");
    List<INDArray> valX = null;
    List<INDArray> valY = null;
    List<INDArray> y = yIn;
    INDArray weights = sampleWeights(o, x.get(0).size(0), yIn);
    if (o.validationX != null) {
      valX = floats(o.validationX);
      valY = o.validationY;
      DataCheck.check(model, cfg, valX, valY, "validation x", "validation y");
    } else if (o.validationSplit > 0) {
      long n = x.get(0).size(0);
      long nVal = (long) Math.floor(n * o.validationSplit);
      if (nVal == 0 || nVal == n) {
        throw DlnRuntimeException.value("validation_split=" + o.validationSplit + " of " + n + " samples leaves "
            + (nVal == 0 ? "no validation samples" : "no training samples"), null);
      }
      long nTrain = n - nVal;
      valX = rows(x, nTrain, n);
      valY = rows(y, nTrain, n);
      x = rows(x, 0, nTrain);
      y = rows(y, 0, nTrain);
      if (weights != null) weights = rows(List.of(weights), 0, nTrain).get(0);
    }
    List<INDArray> labels = prepare(cfg, x, y);
    List<INDArray> valLabels = valY == null ? null : prepare(cfg, valX, valY);
    List<Scored> metrics = metrics(cfg);

    if (o.seed != null) Rng.seed(o.seed);
    Random random = new Random(Rng.nextSeed());
    TrainingEngine engine = engines.get();
    long n = x.get(0).size(0);
    BatchBuffers xBatches = new BatchBuffers(x);
    BatchBuffers yBatches = new BatchBuffers(labels);
    BatchBuffers wBatches = weights == null ? null : new BatchBuffers(List.of(weights));
    List<INDArray> finalValX = valX;
    return epochs(model, cfg, stop, o, n, random, new EpochWork() {
      private Accumulator acc;

      @Override
      public void beginEpoch() {
        acc = new Accumulator(metrics, outputLossKeys());
      }

      @Override
      public Map<String, Double> batch(int[] order, int from, int to, int epoch) {
        List<INDArray> xb = xBatches.batch(order, from, to);
        List<INDArray> yb = yBatches.batch(order, from, to);
        TrainingEngine.StepResult r = wBatches == null ? engine.trainStep(xb, yb, epoch)
            : engine.trainStep(xb, yb, wBatches.batch(order, from, to).get(0).reshape(to - from), epoch);
        acc.add(r, yb, to - from);
        return acc.logs("");
      }

      @Override
      public Map<String, Double> endEpoch(TrainingContext context) {
        Map<String, Double> logs = acc.logs("");
        if (finalValX != null) {
          logs.putAll(evaluateLogs(engine, metrics, finalValX, valLabels, o.batchSize, "val_", new TestHooks(o.callbacks, context)));
        }
        return logs;
      }
    });
  }

  /** What one kind of fit does per epoch and per batch; {@link #epochs} does the rest. */
  interface EpochWork {
    /** Called before an epoch's first batch. */
    void beginEpoch();

    /** Trains on the rows {@code order[from..to)}; returns the logs to show so far. */
    Map<String, Double> batch(int[] order, int from, int to, int epoch);

    /**
     * The epoch's logs after its last batch, validation included; the validation pass calls the
     * callbacks' test hooks with {@code context}, as Keras's fit does.
     */
    Map<String, Double> endEpoch(TrainingContext context);
  }

  /**
   * The epoch loop every fit shares: the sample order of each epoch, mini-batches of
   * {@code o.batchSize}, callbacks, progress, the stop signal and cancellation, the history.
   */
  static History epochs(Model model, CompileConfig cfg, StopSignal stop, FitOptions o, long n, Random random, EpochWork work) {
    History history = new History();
    TrainingContext context = new TrainingContext(model, cfg.optimizer(), history, o.epochs, stop);
    int batches = (int) ((n + o.batchSize - 1) / o.batchSize);
    stop.set(false);
    boolean interrupted = false;
    Map<String, Double> lastLogs = Map.of();
    o.progress.onTrainBegin(o.epochs, batches, n);
    for (var c : o.callbacks) c.onTrainBegin(context);
    for (int epoch = o.initialEpoch; epoch < o.epochs && !stop.isSet() && !interrupted; epoch++) {
      for (var c : o.callbacks) c.onEpochBegin(epoch, context);
      o.progress.onEpochBegin(epoch, o.epochs);
      long start = System.nanoTime();
      int[] order = order(n, o.shuffle, random);
      work.beginEpoch();
      int done = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * o.batchSize;
        int to = (int) Math.min(n, from + (long) o.batchSize);
        NativeMemory.poll();
        for (var c : o.callbacks) c.onBatchBegin(b, context);
        Map<String, Double> running = work.batch(order, from, to, epoch);
        done++;
        o.progress.onBatch(new ProgressListener.BatchProgress(epoch, o.epochs, done, batches, System.nanoTime() - start, running));
        for (var c : o.callbacks) c.onBatchEnd(b, running, context);
        if (o.shouldStop.getAsBoolean()) {
          interrupted = true;
          break;
        }
        if (stop.isSet()) break;
      }
      if (interrupted) break;
      Map<String, Double> logs = work.endEpoch(context);
      for (var c : o.callbacks) c.onEpochEnd(epoch, logs, context);
      history.append(epoch, logs);
      lastLogs = logs;
      o.progress.onEpochEnd(new ProgressListener.EpochProgress(epoch, o.epochs, done, System.nanoTime() - start, logs));
    }
    history.setInterrupted(interrupted);
    for (var c : o.callbacks) c.onTrainEnd(lastLogs, context);
    o.progress.onTrainEnd(history, interrupted);
    return history;
  }

  /**
   * The per-sample loss weights of fit's sample_weight and class_weight (their product when both
   * are given), as an [n, 1] float column, or null when neither is.
   */
  INDArray sampleWeights(FitOptions o, long n, List<INDArray> y) {
    if (o.sampleWeight == null && o.classWeight == null) return null;
    float[] w = new float[(int) n];
    java.util.Arrays.fill(w, 1f);
    if (o.sampleWeight != null) {
      INDArray sw = o.sampleWeight;
      if (sw.length() != n || (sw.rank() > 1 && sw.length() != sw.size(0))) {
        throw DlnRuntimeException.shape("sample_weight needs one weight per sample, shape (" + n + ",), but it has shape "
            + Shapes.format(sw.shape()), "give a 1-D array as long as x");
      }
      float[] v = sw.castTo(DataType.FLOAT).reshape(n).toFloatVector();
      for (int i = 0; i < n; i++) {
        if (!(v[i] >= 0) || Float.isInfinite(v[i])) {
          throw DlnRuntimeException.value("sample_weight must be finite and not negative, but sample " + i + " has " + v[i], null);
        }
        w[i] = v[i];
      }
    }
    if (o.classWeight != null) {
      if (model.outputs().size() != 1) {
        throw DlnRuntimeException.value("class_weight applies to a model with one output; this one has " + model.outputs().size(),
            "give sample_weight instead");
      }
      INDArray labels = y.get(0);
      long units = labels.rank() == 1 ? 1 : labels.size(labels.rank() - 1);
      if (labels.rank() > 2) throw DlnRuntimeException.value("class_weight needs one label per sample, but y has shape " + Shapes.format(labels.shape()), null);
      float[] l = labels.castTo(DataType.FLOAT).reshape(n, units).data().asFloat();
      for (int i = 0; i < n; i++) {
        int cls = 0;
        if (units == 1) {
          cls = Math.round(l[i]);
        } else {
          for (int k = 1; k < units; k++) if (l[i * (int) units + k] > l[i * (int) units + cls]) cls = k;
        }
        Double cw = o.classWeight.get(cls);
        if (cw == null) {
          throw DlnRuntimeException.value("class_weight has no weight for class " + cls + " (sample " + i + ")",
              "give a weight for every class, e.g. class_weight={0: 1.0, 1: 5.0}");
        }
        w[i] *= cw.floatValue();
      }
    }
    return Nd4j.create(w, new long[] {n, 1}, DataType.FLOAT);
  }

  // ---------------------------------------------------------------- evaluate / predict

  /** {@code [loss, metrics...]}, means over all samples, in inference mode. */
  public List<Double> evaluate(List<INDArray> xIn, List<INDArray> y, int batchSize) {
    return new ArrayList<>(evaluateLogs(xIn, y, batchSize, "").values());
  }

  /**
   * The same means keyed as fit's history is ({@code loss}, {@code <output>_loss}, {@code accuracy} or
   * {@code <output>_accuracy}), in {@link #evaluate}'s order: Keras's {@code evaluate(return_dict=True)}.
   */
  public Map<String, Double> evaluateByName(List<INDArray> xIn, List<INDArray> y, int batchSize) {
    return evaluateLogs(xIn, y, batchSize, "");
  }

  /**
   * {@link #evaluateByName(List, List, int)} calling the test hooks of {@code callbacks} (Keras's
   * {@code evaluate(callbacks=...)}); {@code history} is the session's, handed to them in the context.
   */
  public Map<String, Double> evaluateByName(List<INDArray> xIn, List<INDArray> y, int batchSize, List<Callback> callbacks,
      History history) {
    return evaluateLogs(xIn, y, batchSize, "", callbacks, history);
  }

  /**
   * {@link #evaluate} through the model's own test step when it has one ({@code steps} may be
   * null: the engine's evaluation).
   */
  public List<Double> evaluate(List<INDArray> xIn, List<INDArray> y, int batchSize, CustomSteps steps) {
    return new ArrayList<>(evaluateByName(xIn, y, batchSize, steps).values());
  }

  /** {@link #evaluateByName(List, List, int)} through the model's own test step when it has one ({@code steps} may be null). */
  public Map<String, Double> evaluateByName(List<INDArray> xIn, List<INDArray> y, int batchSize, CustomSteps steps) {
    return evaluateByName(xIn, y, batchSize, steps, List.of(), null);
  }

  /** {@link #evaluateByName(List, List, int, CustomSteps)} calling the test hooks of {@code callbacks} around it. */
  public Map<String, Double> evaluateByName(List<INDArray> xIn, List<INDArray> y, int batchSize, CustomSteps steps,
      List<Callback> callbacks, History history) {
    if (steps == null || !steps.hasTestStep()) return evaluateLogs(xIn, y, batchSize, "", callbacks, history);
    CompileConfig cfg = requireCompiled();
    TestHooks hooks = new TestHooks(callbacks, new TrainingContext(model, cfg.optimizer(), history, 0, stop));
    return CustomFitLoop.test(steps, floats(xIn), y, batchSize, "", hooks);
  }

  /** The evaluation's logs by name (loss, metrics), each key prefixed (val_ for fit's validation). */
  Map<String, Double> evaluateLogs(List<INDArray> xIn, List<INDArray> y, int batchSize, String prefix) {
    return evaluateLogs(xIn, y, batchSize, prefix, List.of(), null);
  }

  /** {@link #evaluateLogs(List, List, int, String)} calling the callbacks' test hooks when there are any. */
  private Map<String, Double> evaluateLogs(List<INDArray> xIn, List<INDArray> y, int batchSize, String prefix,
      List<Callback> callbacks, History history) {
    CompileConfig cfg = requireCompiled();
    return evaluateLogs(xIn, y, batchSize, prefix, new TestHooks(callbacks, new TrainingContext(model, cfg.optimizer(), history, 0, stop)));
  }

  /** The checked evaluation every evaluate goes through, fit's validation of a custom train_step included. */
  Map<String, Double> evaluateLogs(List<INDArray> xIn, List<INDArray> y, int batchSize, String prefix, TestHooks hooks) {
    CompileConfig cfg = requireCompiled();
    List<INDArray> x = floats(xIn);
    model.buildFor(sampleShapes(x));
    DataCheck.check(model, cfg, x, y, "x", "y");
    return evaluateLogs(engines.get(), metrics(cfg), x, prepare(cfg, x, y), batchSize, prefix, hooks);
  }

  /** {@code <output>_loss} per output for a model with several outputs, none otherwise. */
  private List<String> outputLossKeys() {
    List<String> keys = new ArrayList<>();
    if (model.outputs().size() > 1) for (String n : outputNames()) keys.add(n + "_loss");
    return keys;
  }

  private Map<String, Double> evaluateLogs(TrainingEngine engine, List<Scored> metrics, List<INDArray> x,
      List<INDArray> labels, int batchSize, String prefix, TestHooks hooks) {
    int n = (int) x.get(0).size(0);
    int[] order = order(n, false, null);
    BatchBuffers xBatches = BatchBuffers.forInference(x);
    BatchBuffers yBatches = BatchBuffers.forInference(labels);
    Accumulator acc = new Accumulator(metrics, outputLossKeys());
    hooks.begin();
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      List<INDArray> yb = yBatches.batch(order, from, to);
      hooks.batchBegin(from / batchSize);
      acc.add(engine.evaluate(xBatches.batch(order, from, to), yb), yb, to - from);
      hooks.batchEnd(from / batchSize, () -> acc.logs(""));
    }
    Map<String, Double> logs = acc.logs("");
    hooks.end(logs);
    return prefixed(logs, prefix);
  }

  /** The logs with each key prefixed (val_ for fit's validation), in their order. */
  static Map<String, Double> prefixed(Map<String, Double> logs, String prefix) {
    if (prefix.isEmpty()) return logs;
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : logs.entrySet()) out.put(prefix + e.getKey(), e.getValue());
    return out;
  }

  /** Outputs of every input sample, batch by batch, in inference mode. */
  public List<INDArray> predict(List<INDArray> xIn, int batchSize) {
    return predict(xIn, batchSize, List.of(), null);
  }

  /**
   * {@link #predict(List, int)} calling the predict hooks of {@code callbacks} (Keras's
   * {@code predict(callbacks=...)}); {@code history} is the session's, handed to them in the context.
   */
  public List<INDArray> predict(List<INDArray> xIn, int batchSize, List<Callback> callbacks, History history) {
    if (batchSize <= 0) throw DlnRuntimeException.value("batch_size must be positive, got " + batchSize);
    List<INDArray> x = floats(xIn);
    model.buildFor(sampleShapes(x));
    DataCheck.checkInputs(model, x, "x");
    TrainingEngine engine = engines.get();
    int n = (int) x.get(0).size(0);
    int[] order = order(n, false, null);
    BatchBuffers xBatches = BatchBuffers.forInference(x);
    PredictHooks hooks = new PredictHooks(callbacks,
        new TrainingContext(model, config == null ? null : config.optimizer(), history, 0, stop));
    hooks.begin();
    List<INDArray> out = null;
    if (n <= batchSize) {
      hooks.batchBegin(0);
      out = engine.predict(xBatches.batch(order, 0, n));
      hooks.batchEnd(0, out);
    } else {
      // Each batch's outputs are copied straight into the result (no per-batch arrays to concatenate).
      for (int from = 0; from < n; from += batchSize) {
        hooks.batchBegin(from / batchSize);
        List<INDArray> batch = engine.predictTransient(xBatches.batch(order, from, Math.min(n, from + batchSize)));
        if (out == null) out = results(batch, n);
        for (int i = 0; i < batch.size(); i++) NativeRows.copyRows(batch.get(i), out.get(i), from);
        hooks.batchEnd(from / batchSize, batch);
      }
    }
    hooks.end();
    return out;
  }

  /** The result arrays for {@code n} samples, shaped like one batch's outputs. */
  private static List<INDArray> results(List<INDArray> batch, long n) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray b : batch) {
      long[] shape = b.shape().clone();
      shape[0] = n;
      out.add(Nd4j.create(b.dataType(), shape, 'c'));
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private CompileConfig requireCompiled() {
    CompileConfig cfg = config;
    if (cfg == null) {
      throw DlnRuntimeException.value("model '" + model.name() + "' must be compiled before training or evaluation",
          "call model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])");
    }
    return cfg;
  }

  private List<INDArray> prepare(CompileConfig cfg, List<INDArray> x, List<INDArray> y) {
    List<INDArray> out = new ArrayList<>();
    int outputs = model.outputs().size();
    // The outputs' shapes for this data: a None axis of the inputs (a sequence's length) has its size here.
    List<long[]> shapes = model.outputShapesForSamples(sampleShapes(x));
    for (int i = 0; i < y.size(); i++) {
      out.add(cfg.loss(i, outputs).prepareLabels(y.get(i), shapes.get(i)));
    }
    return out;
  }

  /**
   * The metrics to score: each output's metrics ({@link CompileConfig#metricsFor}). With several outputs the history keys are
   * Keras's: {@code <output>_<metric>} (and {@code <output>_loss} for the losses).
   */
  private List<Scored> metrics(CompileConfig cfg) {
    List<Scored> out = new ArrayList<>();
    List<SymbolicTensor> outs = model.outputs();
    List<String> names = outputNames();
    for (int i = 0; i < outs.size(); i++) {
      for (String m : cfg.metricsFor(i, outs.size())) {
        long[] s = outs.get(i).shape();
        Metric metric = Metric.resolve(m, cfg.loss(i, outs.size()), s[s.length - 1]);
        out.add(new Scored(i, metric, outs.size() == 1 ? metric.name() : names.get(i) + "_" + metric.name()));
      }
    }
    return out;
  }

  /** The name of each output in history keys ({@link Model#outputNames}). */
  private List<String> outputNames() {
    return model.outputNames();
  }

  /** One metric on one output, and its key in the logs. */
  private record Scored(int output, Metric metric, String key) {}

  static List<INDArray> floats(List<INDArray> xs) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray a : xs) out.add(a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
    return out;
  }

  static List<long[]> sampleShapes(List<INDArray> xs) {
    List<long[]> out = new ArrayList<>();
    for (INDArray a : xs) out.add(a.rank() == 0 ? new long[0] : Shapes.sample(a.shape()));
    return out;
  }

  /** The epoch's sample order: shuffled from {@code random}, or 0..n-1. */
  static int[] order(long n, boolean shuffle, Random random) {
    if (shuffle) return Rng.permutation((int) n, random);
    int[] order = new int[(int) n];
    for (int i = 0; i < order.length; i++) order[i] = i;
    return order;
  }

  /** Rows [from, to) of each array (contiguous copies). */
  static List<INDArray> rows(List<INDArray> arrays, long from, long to) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray a : arrays) out.add(a.get(NDArrayIndex.interval(from, to)).dup('c'));
    return out;
  }

  /** Sample-weighted sums of the loss and metrics over an epoch (or an evaluation). */
  private static final class Accumulator {
    private final List<Scored> metrics;
    private final List<String> outputLossKeys;
    private double lossSum;
    private final double[] outputLossSums;
    private long samples;
    private final double[] sums;
    private final double[] counts;

    Accumulator(List<Scored> metrics, List<String> outputLossKeys) {
      this.metrics = metrics;
      this.outputLossKeys = outputLossKeys;
      this.outputLossSums = new double[outputLossKeys.size()];
      this.sums = new double[metrics.size()];
      this.counts = new double[metrics.size()];
    }

    void add(TrainingEngine.StepResult r, List<INDArray> labels, long batch) {
      lossSum += r.loss() * batch;
      for (int i = 0; i < outputLossSums.length && i < r.outputLosses().size(); i++) outputLossSums[i] += r.outputLosses().get(i) * batch;
      samples += batch;
      for (int i = 0; i < metrics.size(); i++) {
        Scored s = metrics.get(i);
        double[] sc = s.metric().batch(r.outputs().get(s.output()), labels.get(s.output()), r.outputMask(s.output()));
        sums[i] += sc[0];
        counts[i] += sc[1];
      }
    }

    Map<String, Double> logs(String prefix) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(prefix + "loss", samples == 0 ? Double.NaN : lossSum / samples);
      for (int i = 0; i < outputLossSums.length; i++) {
        m.put(prefix + outputLossKeys.get(i), samples == 0 ? Double.NaN : outputLossSums[i] / samples);
      }
      for (int i = 0; i < metrics.size(); i++) {
        m.put(prefix + metrics.get(i).key(), counts[i] == 0 ? Double.NaN : sums[i] / counts[i]);
      }
      return m;
    }
  }
}

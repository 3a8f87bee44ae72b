package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import dln.runtime.Rng;
import dln.runtime.nn.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code fit} for a model with its own {@code train_step} ({@link CustomSteps}): the same batching,
 * shuffling, validation split, callbacks, progress and history as {@link Trainer#fit}, but each batch
 * goes to the model's step and the logs are the ones it returns (Keras shows the last step's values,
 * which are running means when the step returns its metrics' results). No data check against the
 * compiled loss: a custom step decides what the labels mean.
 */
final class CustomFitLoop {
  private final Trainer trainer;
  private final Model model;
  private final CompileConfig config;
  private final StopSignal stop;

  CustomFitLoop(Trainer trainer, Model model, CompileConfig config, StopSignal stop) {
    this.trainer = trainer;
    this.model = model;
    this.config = config;
    this.stop = stop;
  }

  History fit(List<INDArray> xIn, List<INDArray> yIn, FitOptions o) {
    CustomSteps steps = o.customSteps;
    if (o.sampleWeight != null || o.classWeight != null) {
      throw DlnRuntimeException.value("fit(sample_weight=..., class_weight=...) with a custom train_step is not supported in DLN",
          "weigh the loss inside train_step");
    }
    model.buildFor(Trainer.sampleShapes(xIn));
    List<INDArray> x = xIn;
    List<INDArray> y = yIn;
    List<INDArray> valX = o.validationX == null ? null : Trainer.floats(o.validationX);
    List<INDArray> valY = o.validationY;
    long n = x.get(0).size(0);
    for (INDArray a : y) {
      if (a.rank() == 0 || a.size(0) != n) {
        throw DlnRuntimeException.shape("fit(): x has " + n + " samples but y has " + (a.rank() == 0 ? "none (a scalar)" : a.size(0) + ""),
            "give one label per sample");
      }
    }
    if (valX == null && o.validationSplit > 0) {
      long nVal = (long) Math.floor(n * o.validationSplit);
      if (nVal == 0 || nVal == n) {
        throw DlnRuntimeException.value("validation_split=" + o.validationSplit + " of " + n + " samples leaves "
            + (nVal == 0 ? "no validation samples" : "no training samples"), null);
      }
      valX = Trainer.rows(x, n - nVal, n);
      valY = Trainer.rows(y, n - nVal, n);
      x = Trainer.rows(x, 0, n - nVal);
      y = Trainer.rows(y, 0, n - nVal);
      n -= nVal;
    }
    if (o.seed != null) Rng.seed(o.seed);
    Random random = new Random(Rng.nextSeed());
    History history = new History();
    TrainingContext context = new TrainingContext(model, config.optimizer(), history, o.epochs, stop);
    int batches = (int) ((n + o.batchSize - 1) / o.batchSize);
    BatchBuffers xBatches = new BatchBuffers(x);
    BatchBuffers yBatches = new BatchBuffers(y);
    stop.set(false);
    boolean interrupted = false;
    o.progress.onTrainBegin(o.epochs, batches, n);
    for (var c : o.callbacks) c.onTrainBegin(context);
    for (int epoch = o.initialEpoch; epoch < o.epochs && !stop.isSet() && !interrupted; epoch++) {
      for (var c : o.callbacks) c.onEpochBegin(epoch, context);
      o.progress.onEpochBegin(epoch, o.epochs);
      steps.resetMetrics();
      long start = System.nanoTime();
      int[] order = Trainer.order(n, o.shuffle, random);
      Map<String, Double> logs = new LinkedHashMap<>();
      int done = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * o.batchSize;
        int to = (int) Math.min(n, from + (long) o.batchSize);
        NativeMemory.poll();
        // Fresh arrays per batch: the user's step may keep what it is given.
        logs = new LinkedHashMap<>(steps.trainStep(batch(xBatches, order, from, to), batch(yBatches, order, from, to)));
        done++;
        o.progress.onBatch(new ProgressListener.BatchProgress(epoch, o.epochs, done, batches, System.nanoTime() - start, logs));
        for (var c : o.callbacks) c.onBatchEnd(b, logs, context);
        if (o.shouldStop.getAsBoolean()) {
          interrupted = true;
          break;
        }
        if (stop.isSet()) break;
      }
      if (interrupted) break;
      if (valX != null) {
        logs.putAll(steps.hasTestStep() ? test(steps, valX, valY, o.batchSize, "val_")
            : trainer.evaluateLogs(valX, valY, o.batchSize, "val_"));
      }
      for (var c : o.callbacks) c.onEpochEnd(epoch, logs, context);
      history.append(epoch, logs);
      o.progress.onEpochEnd(new ProgressListener.EpochProgress(epoch, o.epochs, done, System.nanoTime() - start, logs));
    }
    history.setInterrupted(interrupted);
    for (var c : o.callbacks) c.onTrainEnd(context);
    o.progress.onTrainEnd(history, interrupted);
    return history;
  }

  /** Evaluation through the model's test_step: metrics reset, then the last step's logs, keys prefixed. */
  static Map<String, Double> test(CustomSteps steps, List<INDArray> x, List<INDArray> y, int batchSize, String prefix) {
    if (batchSize <= 0) throw DlnRuntimeException.value("batch_size must be positive, got " + batchSize);
    steps.resetMetrics();
    long n = x.get(0).size(0);
    int[] order = Trainer.order(n, false, null);
    BatchBuffers xBatches = new BatchBuffers(x);
    BatchBuffers yBatches = new BatchBuffers(y == null ? List.of() : y);
    Map<String, Double> last = Map.of();
    for (int from = 0; from < n; from += batchSize) {
      int to = (int) Math.min(n, from + (long) batchSize);
      last = steps.testStep(batch(xBatches, order, from, to), batch(yBatches, order, from, to));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : last.entrySet()) out.put(prefix + e.getKey(), e.getValue());
    return out;
  }

  /** Rows order[from..to) of each array, in arrays of their own. */
  private static List<INDArray> batch(BatchBuffers buffers, int[] order, int from, int to) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray a : buffers.batch(order, from, to)) out.add(a.dup());
    return out;
  }
}

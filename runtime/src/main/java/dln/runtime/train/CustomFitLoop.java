package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
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
    if (steps.buildsModel()) model.buildFor(Trainer.sampleShapes(xIn));
    List<INDArray> x = xIn;
    List<INDArray> y = yIn;
    // Keras hands the step (x, y, sample_weight), class_weight already turned into per-sample weights.
    INDArray w = trainer.sampleWeights(o, x.get(0).size(0), yIn);
    if (w != null && (o.sampleWeight == null || o.sampleWeight.rank() < 2)) w = w.reshape(w.length());
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
      if (w != null) w = Trainer.rows(List.of(w), 0, n - nVal).get(0);
      n -= nVal;
    }
    if (o.seed != null) Rng.seed(o.seed);
    Random random = new Random(Rng.nextSeed());
    BatchBuffers xBatches = new BatchBuffers(x);
    BatchBuffers yBatches = new BatchBuffers(y);
    BatchBuffers wBatches = w == null ? null : new BatchBuffers(List.of(w));
    List<INDArray> vx = valX;
    List<INDArray> vy = valY;
    return Trainer.epochs(model, config, stop, o, n, random, new Trainer.EpochWork() {
      private Map<String, Double> last = new LinkedHashMap<>();

      @Override
      public void beginEpoch() {
        steps.resetMetrics();
      }

      @Override
      public Map<String, Double> batch(int[] order, int from, int to, int epoch) {
        // Fresh arrays per batch: the user's step may keep what it is given.
        INDArray sw = wBatches == null ? null : rowsOf(wBatches, order, from, to).get(0);
        last = new LinkedHashMap<>(steps.trainStep(rowsOf(xBatches, order, from, to), rowsOf(yBatches, order, from, to), sw));
        return last;
      }

      @Override
      public Map<String, Double> endEpoch(TrainingContext context) {
        Map<String, Double> logs = new LinkedHashMap<>(last);
        if (vx != null) {
          TestHooks hooks = new TestHooks(o.callbacks, context);
          logs.putAll(steps.hasTestStep() ? test(steps, vx, vy, o.batchSize, "val_", hooks)
              : trainer.evaluateLogs(vx, vy, o.batchSize, "val_", hooks));
        }
        return logs;
      }
    });
  }

  /** Evaluation through the model's test_step: metrics reset, then the last step's logs, keys prefixed. */
  static Map<String, Double> test(CustomSteps steps, List<INDArray> x, List<INDArray> y, int batchSize, String prefix) {
    return test(steps, x, y, batchSize, prefix, TestHooks.NONE);
  }

  /** {@link #test(CustomSteps, List, List, int, String)} calling the test hooks around it and each step. */
  static Map<String, Double> test(CustomSteps steps, List<INDArray> x, List<INDArray> y, int batchSize, String prefix,
      TestHooks hooks) {
    if (batchSize <= 0) throw DlnRuntimeException.value("batch_size must be positive, got " + batchSize);
    steps.resetMetrics();
    long n = x.get(0).size(0);
    int[] order = Trainer.order(n, false, null);
    BatchBuffers xBatches = new BatchBuffers(x);
    BatchBuffers yBatches = new BatchBuffers(y == null ? List.of() : y);
    Map<String, Double> last = Map.of();
    hooks.begin();
    for (int from = 0; from < n; from += batchSize) {
      int to = (int) Math.min(n, from + (long) batchSize);
      hooks.batchBegin((int) (from / batchSize));
      Map<String, Double> logs = steps.testStep(rowsOf(xBatches, order, from, to), rowsOf(yBatches, order, from, to));
      last = logs;
      hooks.batchEnd((int) (from / batchSize), () -> logs);
    }
    hooks.end(last);
    return Trainer.prefixed(new LinkedHashMap<>(last), prefix);
  }

  /** Rows order[from..to) of each array, in arrays of their own. */
  private static List<INDArray> rowsOf(BatchBuffers buffers, int[] order, int from, int to) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray a : buffers.batch(order, from, to)) out.add(a.dup());
    return out;
  }
}

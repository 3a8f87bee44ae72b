package dln.runtime.train;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The callbacks' test hooks around one evaluation: {@code evaluate(callbacks=...)} and, as in Keras,
 * fit's validation pass at each epoch end (which hands the hooks the logs without fit's
 * {@code val_} prefix). {@link #NONE} when there are no callbacks.
 */
record TestHooks(List<Callback> callbacks, TrainingContext context) {
  static final TestHooks NONE = new TestHooks(List.of(), null);

  void begin() {
    for (var c : callbacks) c.onTestBegin(context);
  }

  void batchBegin(int batch) {
    for (var c : callbacks) c.onTestBatchBegin(batch, context);
  }

  /** {@code running} is asked for only when there are hooks: the running means cost a pass over the metrics. */
  void batchEnd(int batch, Supplier<Map<String, Double>> running) {
    if (callbacks.isEmpty()) return;
    Map<String, Double> logs = running.get();
    for (var c : callbacks) c.onTestBatchEnd(batch, logs, context);
  }

  void end(Map<String, Double> logs) {
    for (var c : callbacks) c.onTestEnd(logs, context);
  }
}

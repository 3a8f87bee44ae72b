package dln.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The callbacks' predict hooks around {@code predict(callbacks=...)}, as Keras calls them. */
record PredictHooks(List<Callback> callbacks, TrainingContext context) {
  void begin() {
    for (var c : callbacks) c.onPredictBegin(context);
  }

  void batchBegin(int batch) {
    for (var c : callbacks) c.onPredictBatchBegin(batch, context);
  }

  /**
   * Hands each callback copies of the batch's outputs: the engine reuses its batch buffers, and a
   * callback may keep (or change) what it is given without touching predict's result.
   */
  void batchEnd(int batch, List<INDArray> outputs) {
    if (callbacks.isEmpty()) return;
    List<INDArray> copies = new ArrayList<>();
    for (INDArray o : outputs) copies.add(o.dup());
    List<INDArray> view = List.copyOf(copies);
    for (var c : callbacks) c.onPredictBatchEnd(batch, view, context);
  }

  void end() {
    for (var c : callbacks) c.onPredictEnd(context);
  }
}

package dln.runtime.train;

import java.util.Map;

/** A function called after every epoch with (epoch, logs): the simplest custom callback. */
@FunctionalInterface
public interface EpochCallback extends Callback {
  void call(int epoch, Map<String, Double> logs);

  @Override
  default void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    call(epoch, logs);
  }
}

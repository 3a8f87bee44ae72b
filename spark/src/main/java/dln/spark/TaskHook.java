package dln.spark;

import java.io.Serializable;

/**
 * Runs in each training task before its work (on the executor): for fault-injection tests and
 * chaos drills, e.g. a hook that throws on a task's first attempt to check that Spark's retry
 * gives the same round result.
 */
@FunctionalInterface
public interface TaskHook extends Serializable {
  /**
   * @param attempt Spark's attempt number of this task (0 for the first)
   */
  void beforeTask(int epoch, int round, int partition, int attempt);
}

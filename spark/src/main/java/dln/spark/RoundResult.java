package dln.spark;

import java.io.Serializable;

/**
 * A partition's contribution to a round, and the sum of several ({@link #plus}, the combine of
 * {@code treeAggregate}). Every vector is weighted by the partition's rows, so the sum divided by
 * {@link #rows} is the mean over the round's global batch.
 *
 * <p>With one step per round {@link #values} holds the trainable weights' gradients followed by
 * the non-trainable weights (moving statistics) after the step; with local steps it holds every
 * weight after the steps, then the optimiser state. Sums are in double: with one partition the
 * mean is the partition's float value again, exactly.
 */
final class RoundResult implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  double lossSum;
  double[] values;
  /** Per trainable weight: how many partitions gave it a gradient (a weight no loss reaches gets no step). */
  int[] gradientCounts;
  double[] metricSums;
  double[] metricCounts;
  /** Local steps: optimiser steps taken (the most of any partition) and state arrays per weight. */
  int steps;
  int stateArrays = -1;
  /** The slowest partition's compute time: the round's wall time less this is communication. */
  long maxComputeNanos;

  static RoundResult empty() {
    return new RoundResult();
  }

  RoundResult plus(RoundResult o) {
    if (o.rows == 0 && o.values == null) {
      maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
      return this;
    }
    if (rows == 0 && values == null) {
      o.maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
      return o;
    }
    rows += o.rows;
    lossSum += o.lossSum;
    add(values, o.values);
    add(metricSums, o.metricSums);
    add(metricCounts, o.metricCounts);
    if (gradientCounts != null) for (int i = 0; i < gradientCounts.length; i++) gradientCounts[i] += o.gradientCounts[i];
    steps = Math.max(steps, o.steps);
    stateArrays = Math.max(stateArrays, o.stateArrays);
    maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
    return this;
  }

  private static void add(double[] into, double[] from) {
    if (into == null || from == null) return;
    for (int i = 0; i < into.length; i++) into[i] += from[i];
  }
}

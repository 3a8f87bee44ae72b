package dln.spark;

import java.io.Serializable;

/**
 * What one training round broadcasts: the weights every partition starts from (all of them, in
 * {@code Model.weightRefs()} order, flattened), which slice of its shard each partition takes,
 * and for local steps the optimiser state and step count. Everything a task does follows from
 * this and its partition index, so a retried task computes the same result.
 */
final class RoundSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  final int epoch;
  /** The round within the epoch. */
  final int round;
  /** Rows each partition takes per step. */
  final int localBatch;
  /** Steps per round: 1 averages gradients every step, more averages weights every k local steps. */
  final int localSteps;
  final boolean shuffle;
  final long seed;
  final float[] weights;
  /** Local steps only: the optimiser's state arrays per trainable weight, flattened (null: none yet). */
  final float[] optimizerState;
  final long iterations;

  RoundSpec(int epoch, int round, int localBatch, int localSteps, boolean shuffle, long seed, float[] weights,
      float[] optimizerState, long iterations) {
    this.epoch = epoch;
    this.round = round;
    this.localBatch = localBatch;
    this.localSteps = localSteps;
    this.shuffle = shuffle;
    this.seed = seed;
    this.weights = weights;
    this.optimizerState = optimizerState;
    this.iterations = iterations;
  }
}

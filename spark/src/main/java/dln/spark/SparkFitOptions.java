package dln.spark;

import dln.runtime.DlnRuntimeException;
import dln.runtime.train.Callback;
import dln.runtime.train.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The arguments of a cluster {@code fit}: Keras's (epochs, batch size, shuffle, callbacks,
 * progress, seed) plus how the work is spread. {@link #batchSize} is the global batch of one
 * optimiser step, split over the partitions; {@link #localSteps} k &gt; 1 lets each partition take
 * k steps of its own before weights are averaged (fewer rounds, less communication, not the
 * single-machine result: see docs/distributed.md). Validation ({@link #validationData},
 * {@link #validationSplit}) is scored on the cluster after every epoch, as {@code val_*} logs.
 */
public final class SparkFitOptions {
  int epochs = 1;
  int initialEpoch;
  int batchSize = 32;
  boolean shuffle = true;
  Long seed;
  int localSteps = 1;
  int partitions;
  final List<Callback> callbacks = new ArrayList<>();
  ProgressListener progress = ProgressListener.SILENT;
  String checkpoint;
  ClusterData validationData;
  double validationSplit;
  TaskHook taskHook;
  BooleanSupplier shouldStop = () -> false;

  public SparkFitOptions epochs(int epochs) {
    if (epochs < 0) throw DlnRuntimeException.value("epochs must not be negative, got " + epochs);
    this.epochs = epochs;
    return this;
  }

  /** The epoch to start at (resuming from a checkpoint): epochs counts up to, not in addition. */
  public SparkFitOptions initialEpoch(int initialEpoch) {
    this.initialEpoch = Math.max(0, initialEpoch);
    return this;
  }

  /** The global batch: samples per optimiser step over all partitions. */
  public SparkFitOptions batchSize(int batchSize) {
    if (batchSize <= 0) throw DlnRuntimeException.value("batch_size must be positive, got " + batchSize, "e.g. batch_size=128");
    this.batchSize = batchSize;
    return this;
  }

  public SparkFitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** Seeds each partition's shuffle and dropout (with epoch, round and partition), so runs and retries repeat. */
  public SparkFitOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Optimiser steps each partition takes per round: 1 (default) averages gradients every step. */
  public SparkFitOptions localSteps(int k) {
    if (k < 1) throw DlnRuntimeException.value("local_steps must be at least 1, got " + k);
    this.localSteps = k;
    return this;
  }

  /** Repartitions the data into this many shards first (0: keep the data's partitions). */
  public SparkFitOptions partitions(int n) {
    if (n < 0) throw DlnRuntimeException.value("partitions must not be negative, got " + n);
    this.partitions = n;
    return this;
  }

  /**
   * Data scored after every epoch (Keras's validation_data): val_loss and val_* metrics in the
   * logs and history. Its shards are evaluated where they live, on the executors.
   */
  public SparkFitOptions validationData(ClusterData data) {
    this.validationData = data;
    return this;
  }

  /**
   * Keras's validation_split for data on a cluster: the last {@code floor(rows * fraction)} rows of
   * each partition are not trained on but scored after every epoch (a Spark data set has no global
   * order to take "the last rows" of without a shuffle). Ignored when {@link #validationData} is set.
   */
  public SparkFitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw DlnRuntimeException.value("validation_split must be in [0, 1), got " + fraction, "e.g. validation_split=0.1");
    }
    this.validationSplit = fraction;
    return this;
  }

  /** The validation split given (0: none). */
  public double validationSplit() {
    return validationSplit;
  }

  public SparkFitOptions callback(Callback c) {
    callbacks.add(c);
    return this;
  }

  public SparkFitOptions callbacks(List<? extends Callback> cs) {
    callbacks.addAll(cs);
    return this;
  }

  public SparkFitOptions progress(ProgressListener listener) {
    this.progress = listener == null ? ProgressListener.SILENT : listener;
    return this;
  }

  /**
   * Saves the whole model (with optimiser state and history) after every epoch to this
   * Hadoop-compatible path (local, {@code file://}, {@code hdfs://}, {@code s3a://}); Keras's
   * fields such as {@code {epoch:02d}} are filled in.
   */
  public SparkFitOptions checkpoint(String path) {
    this.checkpoint = path;
    return this;
  }

  /** Polled on the driver after every round; true stops training, keeping weights and history (Ctrl-C). */
  public SparkFitOptions shouldStop(BooleanSupplier shouldStop) {
    this.shouldStop = shouldStop == null ? () -> false : shouldStop;
    return this;
  }

  /** A hook run in every training task (fault injection). */
  public SparkFitOptions taskHook(TaskHook hook) {
    this.taskHook = hook;
    return this;
  }
}

package dln.spark;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.Shapes;
import dln.runtime.train.Callback;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.History;
import dln.runtime.train.Loss;
import dln.runtime.train.ModelCheckpoint;
import dln.runtime.train.Optimizer;
import dln.runtime.train.ProgressListener;
import dln.runtime.train.StopSignal;
import dln.runtime.train.TrainingContext;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous data-parallel training of a DLN model on Spark.
 *
 * <p>Each round the driver broadcasts the weights; every partition runs DLN's engine (the fast
 * engine where it applies) on its slice of the global batch; the partitions' results are summed
 * with {@code treeAggregate} and the driver updates the model:
 *
 * <ul>
 *   <li>one step per round (default): workers return gradients (their engine's step with an
 *       optimiser that only records them, {@link GradientCapture}); the driver applies the
 *       sample-weighted mean with the model's own optimiser. The optimiser state (Adam's moments,
 *       the step count) lives only on the driver, so with one partition this is exactly
 *       single-machine {@code fit} on the same batches;
 *   <li>k local steps per round: each partition takes k steps with its own copy of the optimiser
 *       (started from the driver's state), then weights and optimiser state are averaged. k times
 *       fewer rounds, but an approximation: averaged Adam moments are not the moments of any one
 *       gradient sequence (docs/distributed.md).
 * </ul>
 *
 * <p>Every task's work follows from the round's broadcast and its partition index (the shuffle and
 * dropout seeds too), so a task Spark retries after a failure or a lost executor gives the same
 * result. Bad data (a missing column, a width that does not fit the model, a NaN label) is found
 * by a first pass over the data and reported before any weight changes.
 *
 * <p>Validation data (a data set of its own, or the tail of each partition under a validation
 * split) is scored after every epoch where it lives: one job evaluates each shard with the
 * epoch's weights in inference mode, and the sums come back as {@code val_*} logs, as
 * single-machine {@code fit} gives them.
 */
public final class SparkTrainer {
  private final SparkSession spark;
  private final JavaSparkContext jsc;

  public SparkTrainer(SparkSession spark) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  public SparkSession spark() {
    return spark;
  }

  /** Trains the model on the cluster; returns the History (also the model's session history). */
  public History fit(Model model, ClusterData data, SparkFitOptions o) {
    TrainingSession session = TrainingSession.of(model);
    CompileConfig cfg = session.compileConfig();
    if (cfg == null) {
      throw DlnRuntimeException.value("model '" + model.name() + "' must be compiled before training",
          "call model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])");
    }
    if (data.label() == null) {
      throw DlnRuntimeException.value("the data has no label column, so it cannot train a model",
          "read it with label='...' naming the label column");
    }
    if (o.validationData != null && o.validationData.label() == null) {
      throw DlnRuntimeException.value("the validation data has no label column, so it cannot score the model",
          "read it with label='...' naming the label column");
    }
    if (model.outputs().size() != 1 || (model.isGraphBuilt() && model.inputs().size() != 1)) {
      throw DlnRuntimeException.value("cluster training takes models with one input and one output; "
          + model.describe() + " has " + model.outputs().size() + " outputs", null);
    }
    ClusterData d = o.partitions > 0 ? data.with(data.dataset().repartition(o.partitions)) : data;
    boolean split = o.validationData == null && o.validationSplit > 0;
    JavaRDD<Shard> shards = d.shards(true, split ? o.validationSplit : 0).setName("dln shards");
    JavaRDD<Shard> validation = o.validationData != null
        ? o.validationData.shards(true, 1).setName("dln validation shards") : split ? shards : null;
    Broadcast<byte[]> blob = null;
    try {
      ShardSummary summary = summarise(shards, "dln: read and check data");
      checkData(model, cfg, d, summary, "data");
      if (split && summary.validationRows == 0) {
        throw DlnRuntimeException.value("validation_split=" + o.validationSplit + " of " + (summary.rows + summary.validationRows)
            + " samples in " + summary.partitions + " partitions leaves no validation samples",
            "each partition sets aside the last floor(rows * validation_split) of its rows: raise it, or give validation_data");
      }
      if (o.validationData != null) {
        checkData(model, cfg, o.validationData, summarise(validation, "dln: read and check validation data"), "validation data");
      }
      long seed = o.seed != null ? o.seed : Rng.nextSeed();
      blob = jsc.broadcast(ModelBlob.of(model, false));
      return train(model, session, cfg, shards, validation, summary, blob, seed, o);
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception thrown from Scala: catch every kind.
      throw SparkErrors.translate(e);
    } finally {
      shards.unpersist(false);
      if (validation != null && validation != shards) validation.unpersist(false);
      if (blob != null) blob.destroy();
      jsc.clearCallSite();
      jsc.setJobDescription(null);
    }
  }

  /** How many epochs a model (loaded from a checkpoint) has completed: the initial epoch to resume at. */
  public static int epochsDone(Model model) {
    History h = TrainingSession.of(model).history();
    return h == null ? 0 : h.epochs().size();
  }

  // ---------------------------------------------------------------- checks

  ShardSummary summarise(JavaRDD<Shard> shards, String stage) {
    jsc.setCallSite(stage);
    jsc.setJobDescription(stage);
    return shards.map(ShardSummary::of).treeAggregate(new ShardSummary(), ShardSummary::merge, ShardSummary::merge, 2);
  }

  /** The data's widths and labels against the model; role ("data", "validation data") names it in messages. */
  static void checkData(Model model, CompileConfig cfg, ClusterData d, ShardSummary s, String role) {
    if (s.problem != null) throw DlnRuntimeException.value("bad " + role + ": " + s.problem, "fix or filter those rows before training");
    if (s.rows + s.validationRows == 0) throw DlnRuntimeException.value("the " + role + " has no rows", null);
    if (s.minFeatureWidth != s.maxFeatureWidth) {
      throw DlnRuntimeException.shape("samples of the " + role + " have from " + s.minFeatureWidth + " to " + s.maxFeatureWidth
          + " features", "every row must have as many feature values");
    }
    if (!model.isGraphBuilt()) model.buildFor(List.of(new long[] {s.maxFeatureWidth}));
    long[] in = model.inputs().get(0).sampleShape();
    long want = Shapes.sampleSize(Shapes.withBatch(in));
    if (want != s.maxFeatureWidth) {
      throw DlnRuntimeException.shape("feature column '" + String.join(", ", d.features()) + "' of the " + role + " has "
          + s.maxFeatureWidth
          + " values per row but model '" + model.name() + "' takes inputs of shape " + Shapes.format(in) + " (" + want
          + " values)", "select the columns the model was built for, or rebuild its Input");
    }
    if (d.label() != null && s.minLabelWidth != Integer.MAX_VALUE) {
      Loss loss = cfg.loss(0, 1);
      long[] out = model.outputs().get(0).sampleShape();
      long units = Shapes.sampleSize(Shapes.withBatch(out));
      long lw = s.maxLabelWidth;
      boolean ok = loss.sparse() ? lw == 1 : (lw == units);
      if (!ok || s.minLabelWidth != s.maxLabelWidth) {
        throw DlnRuntimeException.shape("label column '" + d.label() + "' of the " + role + " has " + lw
            + " values per row but model '"
            + model.name() + "' outputs " + units + " with loss " + loss.name(),
            loss.sparse() ? "sparse losses take one class index per row" : "give one label value per output unit, "
                + "or use loss='sparse_categorical_crossentropy' for class indices");
      }
    }
  }

  // ---------------------------------------------------------------- the loop

  private History train(Model model, TrainingSession session, CompileConfig cfg, JavaRDD<Shard> shards,
      JavaRDD<Shard> validation, ShardSummary summary, Broadcast<byte[]> blob, long seed, SparkFitOptions o) {
    int partitions = shards.getNumPartitions();
    int k = o.localSteps;
    int localBatch = (o.batchSize + partitions - 1) / partitions;
    int rounds = (int) ((summary.maxPartitionRows + (long) localBatch * k - 1) / ((long) localBatch * k));
    String key = blob.id() + (k > 1 ? "-local" : "-grad");
    Optimizer optimizer = cfg.optimizer();
    List<Model.WeightRef> refs = model.weightRefs();

    History history = resumedHistory(session.history(), o.initialEpoch);
    session.setHistory(history);
    StopSignal stop = new StopSignal();
    TrainingContext context = new TrainingContext(model, optimizer, history, o.epochs, stop);
    List<Callback> callbacks = new ArrayList<>(o.callbacks);
    if (o.checkpoint != null) {
      callbacks.add(new ModelCheckpoint(o.checkpoint, "loss", false, "auto",
          HadoopFiles.saver(spark.sparkContext().hadoopConfiguration())));
    }
    ProgressListener progress = o.progress;
    progress.onTrainBegin(o.epochs, rounds, summary.rows);
    for (Callback c : callbacks) c.onTrainBegin(context);
    TaskHook hook = o.taskHook;
    boolean interrupted = false;
    Map<String, Double> lastLogs = Map.of();
    for (int epoch = o.initialEpoch; epoch < o.epochs && !stop.isSet(); epoch++) {
      for (Callback c : callbacks) c.onEpochBegin(epoch, context);
      progress.onEpochBegin(epoch, o.epochs);
      long start = System.nanoTime();
      long commNanos = 0;
      long samples = 0;
      double lossSum = 0;
      double[] metricSums = null;
      double[] metricCounts = null;
      int done = 0;
      for (int round = 0; round < rounds && !stop.isSet(); round++) {
        long roundStart = System.nanoTime();
        int[][] lengths = k > 1 ? stateLengths(refs, optimizer) : null;
        RoundSpec spec = new RoundSpec(epoch, round, localBatch, k, o.shuffle, seed, flatten(refs, false, null),
            lengths != null ? flattenState(refs, optimizer) : null, lengths, optimizer.iterations());
        Broadcast<RoundSpec> specB = jsc.broadcast(spec);
        int e = epoch;
        int rr = round;
        String stage = "dln fit: epoch " + (epoch + 1) + "/" + o.epochs + ", round " + (round + 1) + "/" + rounds;
        jsc.setCallSite(stage);
        jsc.setJobDescription(stage);
        RoundResult r = shards.map(shard -> {
          TaskContext tc = TaskContext.get();
          if (hook != null) hook.beforeTask(e, rr, shard.partition, tc == null ? 0 : tc.attemptNumber());
          Worker w = Worker.borrow(key, blob.value(), k == 1);
          RoundResult res = w.train(shard, specB.value());
          Worker.giveBack(key, w);
          return res;
        }).treeAggregate(RoundResult.empty(), RoundResult::plus, RoundResult::plus, 2);
        // Not destroy(): that blocks on every executor; Spark's cleaner drops the driver's copy once unreferenced.
        specB.unpersist(false);
        if (r.rows > 0) {
          if (k == 1) applyGradients(refs, optimizer, r, epoch);
          else applyAverages(refs, optimizer, r);
          samples += r.rows;
          lossSum += r.lossSum;
          if (metricSums == null) {
            metricSums = r.metricSums.clone();
            metricCounts = r.metricCounts.clone();
          } else {
            for (int i = 0; i < metricSums.length; i++) {
              metricSums[i] += r.metricSums[i];
              metricCounts[i] += r.metricCounts[i];
            }
          }
        }
        long roundNanos = System.nanoTime() - roundStart;
        commNanos += Math.max(0, roundNanos - r.maxComputeNanos);
        done++;
        Map<String, Double> running = logs(cfg, "", lossSum, samples, metricSums, metricCounts);
        progress.onBatch(new ProgressListener.BatchProgress(epoch, o.epochs, done, rounds, System.nanoTime() - start, running));
        for (Callback c : callbacks) c.onBatchEnd(round, running, context);
        if (o.shouldStop.getAsBoolean()) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) break;
      // Training throughput: the epoch's rounds, not its validation pass.
      long elapsed = System.nanoTime() - start;
      Map<String, Double> logs = logs(cfg, "", lossSum, samples, metricSums, metricCounts);
      if (validation != null) {
        logs.putAll(validate(validation, refs, cfg, key, blob, k == 1, o.batchSize,
            "dln fit: epoch " + (epoch + 1) + "/" + o.epochs + ", validation"));
      }
      logs.put("samples_per_sec", samples / (elapsed / 1e9));
      logs.put("comm_ms_per_round", done == 0 ? 0 : commNanos / 1e6 / done);
      // History first, as Keras's History callback runs before the others: a checkpoint holds this epoch.
      history.append(epoch, logs);
      lastLogs = logs;
      for (Callback c : callbacks) c.onEpochEnd(epoch, logs, context);
      progress.onEpochEnd(new ProgressListener.EpochProgress(epoch, o.epochs, done, System.nanoTime() - start, logs));
    }
    for (Callback c : callbacks) c.onTrainEnd(lastLogs, context);
    progress.onTrainEnd(history, interrupted);
    return history;
  }

  /** The history of a resumed run: the loaded model's epochs before the initial epoch, then this run's. */
  private static History resumedHistory(History previous, int initialEpoch) {
    History h = new History();
    if (previous == null || initialEpoch == 0) return h;
    List<Integer> epochs = previous.epochs();
    for (int i = 0; i < epochs.size() && epochs.get(i) < initialEpoch; i++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : previous.history().entrySet()) {
        if (i < e.getValue().size()) logs.put(e.getKey(), e.getValue().get(i));
      }
      h.append(epochs.get(i), logs);
    }
    return h;
  }

  /**
   * The validation logs ({@code val_loss}, {@code val_<metric>}) of the current weights: one job
   * scores every shard's validation rows where the shard lives, with the training tasks' pooled
   * models (a round sets all their weights anew, so scoring in between changes nothing).
   */
  private Map<String, Double> validate(JavaRDD<Shard> validation, List<Model.WeightRef> refs, CompileConfig cfg,
      String key, Broadcast<byte[]> blob, boolean captureGradients, int batchSize, String stage) {
    Broadcast<float[]> weights = jsc.broadcast(flatten(refs, false, null));
    jsc.setCallSite(stage);
    jsc.setJobDescription(stage);
    RoundResult r = validation.map(shard -> {
      if (shard.validationRows() == 0) return RoundResult.empty();
      Worker w = Worker.borrow(key, blob.value(), captureGradients);
      try {
        return w.evaluate(shard, weights.value(), batchSize);
      } finally {
        Worker.giveBack(key, w);
      }
    }).treeAggregate(RoundResult.empty(), RoundResult::plus, RoundResult::plus, 2);
    weights.unpersist(false);
    return logs(cfg, "val_", r.lossSum, r.rows, r.metricSums, r.metricCounts);
  }

  private static Map<String, Double> logs(CompileConfig cfg, String prefix, double lossSum, long samples, double[] sums,
      double[] counts) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "loss", samples == 0 ? Double.NaN : lossSum / samples);
    List<String> names = cfg.allMetrics();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i).equalsIgnoreCase("acc") ? "accuracy" : names.get(i).toLowerCase(java.util.Locale.ROOT);
      m.put(prefix + n, sums == null || counts[i] == 0 ? Double.NaN : sums[i] / counts[i]);
    }
    return m;
  }

  // ---------------------------------------------------------------- updates on the driver

  /** The mean gradient through the model's optimiser; the moving statistics take the mean of the partitions'. */
  private static void applyGradients(List<Model.WeightRef> refs, Optimizer optimizer, RoundResult r, int epoch) {
    List<Weight> weights = new ArrayList<>();
    List<INDArray> grads = new ArrayList<>();
    int at = 0;
    int t = 0;
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      int len = (int) ref.weight().value().length();
      if (r.gradientCounts[t] > 0) {
        weights.add(ref.weight());
        grads.add(mean(r.values, at, len, r.rows, ref.weight().shape()));
      }
      at += len;
      t++;
    }
    if (!weights.isEmpty()) optimizer.step(weights, grads, epoch);
    for (Model.WeightRef ref : refs) {
      if (ref.trainable()) continue;
      int len = (int) ref.weight().value().length();
      ref.weight().value().assign(mean(r.values, at, len, r.rows, ref.weight().shape()));
      at += len;
    }
  }

  /** Local steps: every weight and the optimiser state become the partitions' means. */
  private static void applyAverages(List<Model.WeightRef> refs, Optimizer optimizer, RoundResult r) {
    int at = 0;
    for (Model.WeightRef ref : refs) {
      int len = (int) ref.weight().value().length();
      ref.weight().value().assign(mean(r.values, at, len, r.rows, ref.weight().shape()));
      at += len;
    }
    int t = 0;
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      List<INDArray> state = new ArrayList<>();
      for (int len : r.stateLengths[t]) {
        state.add(mean(r.values, at, len, r.rows, new long[] {len}));
        at += len;
      }
      if (!state.isEmpty()) optimizer.restoreState(ref.weight(), state);
      t++;
    }
    optimizer.setIterations(optimizer.iterations() + r.steps);
  }

  private static INDArray mean(double[] sums, int at, int len, long rows, long[] shape) {
    float[] out = new float[len];
    for (int i = 0; i < len; i++) out[i] = (float) (sums[at + i] / rows);
    return Nd4j.create(out, shape, DataType.FLOAT);
  }

  static float[] flatten(List<Model.WeightRef> refs, boolean trainableOnly, float[] into) {
    long total = 0;
    for (Model.WeightRef ref : refs) if (!trainableOnly || ref.trainable()) total += ref.weight().value().length();
    float[] out = into != null ? into : new float[(int) total];
    int at = 0;
    for (Model.WeightRef ref : refs) {
      if (trainableOnly && !ref.trainable()) continue;
      float[] v = ref.weight().value().dup('c').data().asFloat();
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }

  /** Per trainable weight, its optimiser state arrays' lengths; null before the first step. */
  private static int[][] stateLengths(List<Model.WeightRef> refs, Optimizer optimizer) {
    List<int[]> out = new ArrayList<>();
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      List<INDArray> st = optimizer.state(ref.weight());
      if (st.isEmpty()) return null;
      int[] ls = new int[st.size()];
      for (int i = 0; i < ls.length; i++) ls[i] = (int) st.get(i).length();
      out.add(ls);
    }
    return out.toArray(new int[0][]);
  }

  /** The optimiser state of every trainable weight, flattened; null before the first step. */
  private static float[] flattenState(List<Model.WeightRef> refs, Optimizer optimizer) {
    List<float[]> parts = new ArrayList<>();
    int total = 0;
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      List<INDArray> st = optimizer.state(ref.weight());
      if (st.isEmpty()) return null;
      for (INDArray a : st) {
        float[] v = a.dup('c').data().asFloat();
        parts.add(v);
        total += v.length;
      }
    }
    float[] out = new float[total];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}

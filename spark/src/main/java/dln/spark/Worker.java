package dln.spark;

import dln.runtime.Rng;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import dln.runtime.train.Metric;
import dln.runtime.train.Optimizer;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side: models decoded from a broadcast, kept per executor JVM (one per concurrently
 * running task, since a model's engine owns buffers), and the work of one partition in a training
 * round or a prediction.
 *
 * <p>A model is decoded once per executor and broadcast (not per round, row or batch); a round
 * only copies the round's weights into it. Tasks of another fit find their own key, and the pool
 * keeps only the last few fits' models.
 */
final class Worker {
  /** Broadcast id (and mode) to idle models. */
  private static final Map<String, Deque<Worker>> POOL = new LinkedHashMap<>(16, 0.75f, true);
  private static final int KEEP_KEYS = 4;

  final Model model;
  final List<Model.WeightRef> refs;
  final TrainingEngine engine;
  final GradientCapture capture;
  final Optimizer optimizer;
  final Loss loss;
  final List<Metric> metrics;
  final long[] inputShape;

  private Worker(Model model, boolean captureGradients) {
    this.model = model;
    this.refs = model.weightRefs();
    TrainingSession session = TrainingSession.of(model);
    CompileConfig cc = session.compileConfig();
    if (cc != null) {
      this.loss = cc.loss(0, model.outputs().size());
      this.capture = captureGradients ? new GradientCapture() : null;
      this.optimizer = captureGradients ? capture : cc.optimizer();
      if (captureGradients) session.compile(new CompileConfig(capture, cc.losses(), cc.metrics(), cc.lossWeights(), cc.outputMetrics()));
      long[] out = model.outputs().get(0).shape();
      List<Metric> ms = new ArrayList<>();
      for (String m : cc.metricsFor(0, model.outputs().size())) ms.add(Metric.resolve(m, loss, out[out.length - 1]));
      this.metrics = ms;
    } else {
      this.loss = null;
      this.capture = null;
      this.optimizer = null;
      this.metrics = List.of();
    }
    this.engine = session.engine();
    this.inputShape = model.inputs().get(0).sampleShape();
  }

  /** A model for this task: an idle one of the same broadcast, or a new one decoded from it. */
  static Worker borrow(String key, byte[] blob, boolean captureGradients) {
    synchronized (POOL) {
      Deque<Worker> idle = POOL.get(key);
      if (idle != null && !idle.isEmpty()) return idle.pop();
    }
    return new Worker(ModelBlob.load(blob), captureGradients);
  }

  static void giveBack(String key, Worker w) {
    synchronized (POOL) {
      POOL.computeIfAbsent(key, k -> new ArrayDeque<>()).push(w);
      while (POOL.size() > KEEP_KEYS) {
        String eldest = POOL.keySet().iterator().next();
        POOL.remove(eldest);
      }
    }
  }

  /** How many decoded models this JVM holds (tests check the broadcast is decoded once, not per batch). */
  static int pooled() {
    synchronized (POOL) {
      int n = 0;
      for (Deque<Worker> d : POOL.values()) n += d.size();
      return n;
    }
  }

  // ---------------------------------------------------------------- training

  /** One partition's part of a round: its slice of the shard, one step (gradients) or k local steps. */
  RoundResult train(Shard shard, RoundSpec spec) {
    long start = System.nanoTime();
    setWeights(spec.weights);
    int[] order = order(shard.trainRows, spec.shuffle, spec.seed, spec.epoch, shard.partition);
    int first = spec.round * spec.localSteps * spec.localBatch;
    RoundResult r = new RoundResult();
    r.metricSums = new double[metrics.size()];
    r.metricCounts = new double[metrics.size()];
    if (spec.localSteps > 1) {
      optimizer.reset();
      if (spec.optimizerState != null) restoreState(spec.optimizerState, spec.stateLengths);
      optimizer.setIterations(spec.iterations);
    }
    int steps = 0;
    for (int s = 0; s < spec.localSteps; s++) {
      int from = first + s * spec.localBatch;
      int to = Math.min(shard.trainRows, from + spec.localBatch);
      if (from >= to) break;
      // Dropout masks from a seed of (fit, epoch, round, step, partition): a retried task draws the same.
      Rng.seed(mix(spec.seed, spec.epoch, spec.round * 1_000L + s, shard.partition));
      INDArray x = rows(shard.features, shard.featureWidth, order, from, to, inputShape);
      INDArray y = loss.prepareLabels(rows(shard.labels, shard.labelWidth, order, from, to, null),
          model.outputs().get(0).shape());
      if (capture != null) capture.clear();
      TrainingEngine.StepResult step = engine.trainStep(List.of(x), List.of(y), spec.epoch);
      addScores(r, step, y, to - from);
      steps++;
    }
    if (steps == 0) {
      r.maxComputeNanos = System.nanoTime() - start;
      return RoundResult.empty();
    }
    r.steps = steps;
    r.values = spec.localSteps > 1 ? localStepValues(r.rows, r) : gradientValues(r.rows, r);
    r.maxComputeNanos = System.nanoTime() - start;
    return r;
  }

  /** Gradients of the trainable weights, then the non-trainable weights, times the rows. */
  private double[] gradientValues(long rows, RoundResult r) {
    long total = 0;
    for (Model.WeightRef ref : refs) total += ref.weight().value().length();
    double[] out = new double[(int) total];
    int trainable = 0;
    for (Model.WeightRef ref : refs) if (ref.trainable()) trainable++;
    r.gradientCounts = new int[trainable];
    int at = 0;
    int t = 0;
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      float[] g = capture.gradient(ref.weight());
      int len = (int) ref.weight().value().length();
      if (g != null) {
        for (int i = 0; i < len; i++) out[at + i] = (double) g[i] * rows;
        r.gradientCounts[t] = 1;
      }
      at += len;
      t++;
    }
    for (Model.WeightRef ref : refs) {
      if (ref.trainable()) continue;
      at = addScaled(out, at, ref.weight().value(), rows);
    }
    return out;
  }

  /** Every weight after the local steps, then each trainable weight's optimiser state, times the rows. */
  private double[] localStepValues(long rows, RoundResult r) {
    List<INDArray> arrays = new ArrayList<>();
    for (Model.WeightRef ref : refs) arrays.add(ref.weight().value());
    List<int[]> lengths = new ArrayList<>();
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      List<INDArray> st = optimizer.state(ref.weight());
      int[] ls = new int[st.size()];
      for (int i = 0; i < ls.length; i++) ls[i] = (int) st.get(i).length();
      lengths.add(ls);
      arrays.addAll(st);
    }
    r.stateLengths = lengths.toArray(new int[0][]);
    long total = 0;
    for (INDArray a : arrays) total += a.length();
    double[] out = new double[(int) total];
    int at = 0;
    for (INDArray a : arrays) at = addScaled(out, at, a, rows);
    return out;
  }

  private void restoreState(float[] flat, int[][] lengths) {
    int at = 0;
    int t = 0;
    for (Model.WeightRef ref : refs) {
      if (!ref.trainable()) continue;
      List<INDArray> saved = new ArrayList<>();
      for (int len : lengths[t]) {
        saved.add(Nd4j.create(java.util.Arrays.copyOfRange(flat, at, at + len), new long[] {len}, DataType.FLOAT));
        at += len;
      }
      if (!saved.isEmpty()) optimizer.restoreState(ref.weight(), saved);
      t++;
    }
  }

  private static int addScaled(double[] out, int at, INDArray a, long rows) {
    float[] v = a.dup('c').data().asFloat();
    for (int i = 0; i < v.length; i++) out[at + i] = (double) v[i] * rows;
    return at + v.length;
  }

  void setWeights(float[] flat) {
    int at = 0;
    for (Model.WeightRef ref : refs) {
      Weight w = ref.weight();
      int len = (int) w.value().length();
      float[] part = java.util.Arrays.copyOfRange(flat, at, at + len);
      w.value().assign(Nd4j.create(part, w.shape(), DataType.FLOAT));
      at += len;
    }
  }

  // ---------------------------------------------------------------- validation

  /**
   * The loss and metric sums of a shard's validation rows ({@link Shard#trainRows} on) with the
   * given weights, in inference mode and in batches, as single-machine fit scores its validation
   * data: each batch's mean loss times its rows, so the sum over partitions divided by the rows is
   * the mean over the whole validation set.
   */
  RoundResult evaluate(Shard shard, float[] weights, int batchSize) {
    setWeights(weights);
    RoundResult r = new RoundResult();
    r.metricSums = new double[metrics.size()];
    r.metricCounts = new double[metrics.size()];
    int[] order = order(shard.rows, false, 0, 0, 0);
    for (int from = shard.trainRows; from < shard.rows; from += batchSize) {
      int to = Math.min(shard.rows, from + batchSize);
      INDArray x = rows(shard.features, shard.featureWidth, order, from, to, inputShape);
      INDArray y = loss.prepareLabels(rows(shard.labels, shard.labelWidth, order, from, to, null),
          model.outputs().get(0).shape());
      TrainingEngine.StepResult step = engine.evaluate(List.of(x), List.of(y));
      addScores(r, step, y, to - from);
    }
    return r.rows == 0 ? RoundResult.empty() : r;
  }

  /** A batch's mean loss and its metric scores, weighted by its rows, into r. */
  private void addScores(RoundResult r, TrainingEngine.StepResult step, INDArray y, int n) {
    r.rows += n;
    r.lossSum += step.loss() * n;
    for (int i = 0; i < metrics.size(); i++) {
      double[] sc = metrics.get(i).batch(step.outputs().get(0), y);
      r.metricSums[i] += sc[0];
      r.metricCounts[i] += sc[1];
    }
  }

  // ---------------------------------------------------------------- prediction

  /** The model's outputs for a shard, batch by batch (rows x output width, row-major). */
  float[] predict(Shard shard, int batchSize) {
    List<INDArray> parts = new ArrayList<>();
    int[] order = order(shard.rows, false, 0, 0, 0);
    long width = -1;
    for (int from = 0; from < shard.rows; from += batchSize) {
      int to = Math.min(shard.rows, from + batchSize);
      INDArray out = engine.predict(List.of(rows(shard.features, shard.featureWidth, order, from, to, inputShape))).get(0);
      width = out.length() / (to - from);
      parts.add(out);
    }
    float[] all = new float[(int) Math.max(0, width * shard.rows)];
    int at = 0;
    for (INDArray p : parts) {
      float[] v = p.dup('c').data().asFloat();
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    return all;
  }

  // ---------------------------------------------------------------- helpers

  /** The epoch's order of a partition's rows: a permutation seeded by (fit seed, epoch, partition), or 0..n-1. */
  static int[] order(int n, boolean shuffle, long seed, int epoch, int partition) {
    if (shuffle) return Rng.permutation(n, new SplittableRandom(mix(seed, epoch, 0, partition)));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    return order;
  }

  static long mix(long seed, long a, long b, long c) {
    long h = seed;
    h = h * 0x9E3779B97F4A7C15L + a;
    h = h * 0x9E3779B97F4A7C15L + b;
    h = h * 0x9E3779B97F4A7C15L + c;
    return h ^ (h >>> 31);
  }

  /** Rows order[from..to) of a row-major host array, as a batch of the given sample shape (flat when null). */
  static INDArray rows(float[] data, int width, int[] order, int from, int to, long[] sampleShape) {
    int n = to - from;
    float[] out = new float[n * width];
    for (int i = 0; i < n; i++) System.arraycopy(data, order[from + i] * width, out, i * width, width);
    long[] shape;
    if (sampleShape == null) {
      shape = new long[] {n, width};
    } else {
      shape = new long[sampleShape.length + 1];
      shape[0] = n;
      System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    }
    return Nd4j.create(out, shape, DataType.FLOAT);
  }
}

package dln.runtime.train.fast;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast executor: a training step compiled once into a fixed schedule of layer steps (direct
 * GEMMs, native convolution and pooling ops, in-place activation gradients, buffers reused across
 * steps), a fused loss head on the host, and the model's own optimiser updating the weights in
 * place. Models it does not cover run on {@link SameDiffEngine}, the autodiff reference, which the
 * tests hold this engine to.
 *
 * <p>Arrays returned by {@link #trainStep} and {@link #evaluate} are the engine's buffers, valid
 * until its next call, and so are {@link #predictTransient}'s; {@link #predict} returns fresh arrays.
 */
public final class FastEngine implements TrainingEngine {
  /** System property choosing the engine: {@code fast} (default) or {@code samediff}. */
  public static final String PROPERTY = "dln.engine";

  private final Model model;
  private final CompileConfig config;
  private final int version;
  private final FastPlan plan;
  private final PlanPasses passes;
  private final WeightPenalties penalties;
  private final PerBatchHead heads;
  /** The masks of padded steps of the last forward, by slot (see {@link #forward}); the loss heads read the outputs'. */
  private float[][] lastMasks;

  private FastEngine(Model model, CompileConfig config, FastPlan plan) {
    this.model = model;
    this.config = config;
    this.version = model.version();
    this.plan = plan;
    this.passes = new PlanPasses(plan);
    this.heads = new PerBatchHead();
    this.penalties = new WeightPenalties(plan);
  }

  /** The engine for a model on this process's backend, as {@link EngineChooser} decides. */
  public static TrainingEngine create(Model model, CompileConfig config) {
    return EngineChooser.choose(model, config).engine();
  }

  /** This engine for a model, or {@link FastPlan.Unsupported} saying why it cannot run it. */
  static FastEngine compile(Model model, CompileConfig config) throws FastPlan.Unsupported {
    return new FastEngine(model, config, FastPlan.compile(model, config));
  }

  /** This engine for inputs of these shapes (batch axis first; see {@link FastPlan#compile(Model, CompileConfig, List)}). */
  static FastEngine compile(Model model, CompileConfig config, List<long[]> inputShapes) throws FastPlan.Unsupported {
    return new FastEngine(model, config, FastPlan.compile(model, config, inputShapes));
  }

  /** Why the fast engine cannot run this model (null when it can). */
  public static String unsupportedReason(Model model, CompileConfig config) {
    try {
      FastPlan.compile(model, config);
      return null;
    } catch (FastPlan.Unsupported e) {
      return e.getMessage();
    }
  }

  /**
   * How many fast plans this process has compiled (engines built, {@link #unsupportedReason}
   * checks included): a model's predict, evaluate and fit reuse the plan of its session's engine,
   * so this stays put across calls until the graph or the compile settings change.
   */
  public static long planBuilds() {
    return FastPlan.builds();
  }

  @Override
  public int version() {
    return version;
  }

  // ---------------------------------------------------------------- steps

  @Override
  public StepResult trainStep(List<INDArray> x, List<INDArray> y, INDArray sampleWeights, int epoch) {
    requireCompiled();
    float[] perSample = sampleWeights == null ? null : Host.read(sampleWeights.castTo(DataType.FLOAT));
    Map<Weight, Boolean> trainable = new IdentityHashMap<>();
    for (Model.WeightRef r : model.weightRefs()) trainable.put(r.weight(), r.trainable());
    INDArray[] values = forward(x, true);
    long rows = x.get(0).size(0);
    INDArray[] grads = new INDArray[plan.slots];
    long t = StepProfile.start();
    double[] perOutput = new double[plan.outputs.size()];
    double loss = losses(values, y, rows, grads, perOutput, perSample) + penalties.loss();
    t = StepProfile.add("loss head", t);

    // An op computes weight gradients when it trains; backward stops where nothing upstream learns.
    boolean[] trains = passes.trains(w -> Boolean.TRUE.equals(trainable.get(w)));
    passes.backward(grads, trains, new boolean[0]);
    Map<Weight, INDArray> gradientOf = passes.weightGradients(trains, w -> Boolean.TRUE.equals(trainable.get(w)));
    penalties.addGradients(gradientOf);
    List<Weight> weights = new ArrayList<>(gradientOf.keySet());
    List<INDArray> weightGrads = new ArrayList<>();
    for (Weight w : weights) weightGrads.add(gradientOf.get(w));
    t = StepProfile.start();
    if (!weights.isEmpty()) config.optimizer().step(weights, weightGrads, epoch);
    StepProfile.add("optimizer " + config.optimizer().getClass().getSimpleName(), t);
    StepProfile.step();
    return result(loss, values, perOutput);
  }

  /** Every output's loss head: the weighted total, each output's own loss, and the outputs' gradients into {@code grads}. */
  private double losses(INDArray[] values, List<INDArray> y, long rows, INDArray[] grads, double[] perOutput, float[] sampleWeights) {
    double total = 0;
    for (int k = 0; k < plan.outputs.size(); k++) {
      FastPlan.Output o = plan.outputs.get(k);
      Head h = heads.get(k, rows);
      perOutput[k] = loss(o, values[o.slot()], y.get(k), h, grads != null, sampleWeights);
      total += o.weight() * perOutput[k];
      if (grads != null) {
        if (o.weight() != 1.0) h.grad.muli(o.weight());
        PlanPasses.accumulate(grads, o.slot(), h.grad);
      }
    }
    return total;
  }

  private StepResult result(double loss, INDArray[] values, double[] perOutput) {
    List<INDArray> outs = new ArrayList<>();
    for (FastPlan.Output o : plan.outputs) outs.add(values[o.slot()]);
    List<Double> each = new ArrayList<>();
    if (perOutput.length > 1) for (double l : perOutput) each.add(l);
    return new StepResult(loss, outs, each, outputMasks(values));
  }

  /** Each output's mask of padded steps from the last forward, (batch, steps), for the metrics to weigh by. */
  private List<INDArray> outputMasks(INDArray[] values) {
    List<INDArray> masks = new ArrayList<>();
    boolean any = false;
    for (FastPlan.Output o : plan.outputs) {
      float[] keep = o.maskFrom() >= 0 ? lastMasks[o.maskFrom()] : null;
      any |= keep != null;
      masks.add(keep == null ? null : Nd4j.createFromArray(keep).reshape(values[o.slot()].size(0), values[o.slot()].size(1)));
    }
    return any ? masks : List.of();
  }

  @Override
  public StepResult evaluate(List<INDArray> x, List<INDArray> y) {
    requireCompiled();
    INDArray[] values = forward(x, false);
    double[] perOutput = new double[plan.outputs.size()];
    double loss = losses(values, y, x.get(0).size(0), null, perOutput, null) + penalties.loss();
    return result(loss, values, perOutput);
  }

  @Override
  public List<INDArray> predict(List<INDArray> x) {
    List<INDArray> outs = new ArrayList<>();
    for (INDArray v : predictTransient(x)) outs.add(v.dup('c'));
    return outs;
  }

  /** The output slots' buffers themselves (no copies): valid until this engine's next call. */
  @Override
  public List<INDArray> predictTransient(List<INDArray> x) {
    INDArray[] values = forward(x, false);
    List<INDArray> outs = new ArrayList<>();
    for (FastPlan.Output o : plan.outputs) outs.add(values[o.slot()]);
    return outs;
  }

  /** Runs the schedule; returns every slot's value (the outputs among them). */
  private INDArray[] forward(List<INDArray> xs, boolean training) {
    INDArray[] values = passes.forward(xs, training);
    lastMasks = passes.lastMasks();
    return values;
  }

  private double loss(FastPlan.Output o, INDArray out, INDArray labels, Head h, boolean withGrad, float[] sampleWeights) {
    INDArray source = o.fusedStep() != null ? o.logits() : out;
    // Per-sample reductions run over the last axis: rows are every position before it.
    int units = (int) out.size(out.rank() - 1);
    int rows = (int) (out.length() / units);
    float[] g = withGrad ? h.host : null;
    float[] activated = o.headWritesOutput() ? h.activated : null;
    double loss;
    float[] keep = o.maskFrom() >= 0 ? lastMasks[o.maskFrom()] : null;
    if (sampleWeights == null && keep == null) {
      loss = o.head().compute(Host.read(source), Host.read(labels), rows, units, g, activated, o.delta());
    } else {
      // A row is one sample, or one position of a sequence output: each takes its sample's weight
      // and, on a masked sequence, its step's: 0 when padded, else total / kept (Keras's
      // apply_valid_mask; Loss.build's formula), so the mean runs over the kept steps.
      float[] rowWeights = new float[rows];
      int perSample = sampleWeights == null ? rows : rows / sampleWeights.length;
      for (int r = 0; r < rows; r++) rowWeights[r] = sampleWeights == null ? 1f : sampleWeights[r / perSample];
      if (keep != null) {
        double kept = 0;
        for (int r = 0; r < rows; r++) kept += keep[r];
        double scale = 1 / (kept / rows + Loss.MASK_EPSILON);
        for (int r = 0; r < rows; r++) rowWeights[r] = (float) (rowWeights[r] * keep[r] * scale);
      }
      loss = o.head().computeWeighted(Host.read(source), Host.read(labels), rows, units, g, activated, o.delta(), rowWeights);
    }
    if (withGrad) Host.write(h.grad, g);
    if (activated != null) Host.write(out, activated);
    return loss;
  }

  private void requireCompiled() {
    if (config == null || !plan.hasHeads()) {
      throw DlnRuntimeException.value("the model must be compiled first", "call model.compile(optimizer='adam', loss='mse')");
    }
  }

  /** Each output's gradient buffer (native and host copies) per batch size. */
  private final class PerBatchHead {
    private final List<LayerStep.PerBatch<Head>> caches = new ArrayList<>();

    PerBatchHead() {
      for (FastPlan.Output o : plan.outputs) {
        caches.add(new LayerStep.PerBatch<>(b -> {
          INDArray grad = Nd4j.create(DataType.FLOAT, LayerStep.withBatch(b, o.sample()));
          return new Head(grad, new float[(int) grad.length()], new float[(int) grad.length()]);
        }));
      }
    }

    Head get(int output, long rows) {
      return caches.get(output).get(rows);
    }
  }

  private record Head(INDArray grad, float[] host, float[] activated) {}
}

package dln.runtime.train.fast;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.train.CompileConfig;
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
 * until its next call; {@link #predict} returns fresh arrays.
 */
public final class FastEngine implements TrainingEngine {
  /** System property choosing the engine: {@code fast} (default) or {@code samediff}. */
  public static final String PROPERTY = "dln.engine";

  private final Model model;
  private final CompileConfig config;
  private final int version;
  private final FastPlan plan;
  private final PerBatchHead heads = new PerBatchHead();

  private FastEngine(Model model, CompileConfig config, FastPlan plan) {
    this.model = model;
    this.config = config;
    this.version = model.version();
    this.plan = plan;
  }

  /**
   * The engine for a model: this one where it applies, otherwise the reference engine;
   * {@code -Ddln.engine=samediff} forces the reference engine.
   */
  public static TrainingEngine create(Model model, CompileConfig config) {
    if ("samediff".equalsIgnoreCase(System.getProperty(PROPERTY, "fast"))) return new SameDiffEngine(model, config);
    try {
      return new FastEngine(model, config, FastPlan.compile(model, config));
    } catch (FastPlan.Unsupported e) {
      return new SameDiffEngine(model, config);
    }
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

  @Override
  public int version() {
    return version;
  }

  // ---------------------------------------------------------------- steps

  @Override
  public StepResult trainStep(List<INDArray> x, List<INDArray> y, int epoch) {
    requireCompiled();
    Map<Weight, Boolean> trainable = new IdentityHashMap<>();
    for (Model.WeightRef r : model.weightRefs()) trainable.put(r.weight(), r.trainable());
    INDArray out = forward(x.get(0), true);
    long rows = out.size(0);
    Head h = heads.get(rows);
    long t = StepProfile.start();
    double loss = loss(out, y.get(0), h, true);
    t = StepProfile.add("loss head", t);

    // Backward: weight gradients for trainable layers, input gradients while an earlier layer trains.
    List<LayerStep> steps = plan.steps;
    int firstTrainable = steps.size();
    boolean[] trains = new boolean[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      for (Weight w : steps.get(i).weights()) trains[i] |= Boolean.TRUE.equals(trainable.get(w));
      if (trains[i] && firstTrainable == steps.size()) firstTrainable = i;
    }
    INDArray grad = h.grad;
    t = StepProfile.start();
    for (int i = steps.size() - 1; i >= firstTrainable; i--) {
      grad = steps.get(i).backward(grad, trains[i], i > firstTrainable);
      t = StepProfile.add(plan.labels.get(i) + " backward", t);
    }
    List<Weight> weights = new ArrayList<>();
    List<INDArray> grads = new ArrayList<>();
    for (int i = firstTrainable; i < steps.size(); i++) {
      if (!trains[i]) continue;
      List<Weight> ws = steps.get(i).weights();
      List<INDArray> gs = steps.get(i).gradients();
      for (int k = 0; k < ws.size(); k++) {
        if (Boolean.TRUE.equals(trainable.get(ws.get(k)))) {
          weights.add(ws.get(k));
          grads.add(gs.get(k));
        }
      }
    }
    t = StepProfile.start();
    if (!weights.isEmpty()) config.optimizer().step(weights, grads, epoch);
    StepProfile.add("optimizer " + config.optimizer().getClass().getSimpleName(), t);
    StepProfile.step();
    return new StepResult(loss, List.of(out));
  }

  @Override
  public StepResult evaluate(List<INDArray> x, List<INDArray> y) {
    requireCompiled();
    INDArray out = forward(x.get(0), false);
    return new StepResult(loss(out, y.get(0), heads.get(out.size(0)), false), List.of(out));
  }

  @Override
  public List<INDArray> predict(List<INDArray> x) {
    return List.of(forward(x.get(0), false).dup('c'));
  }

  private INDArray forward(INDArray x, boolean training) {
    INDArray a = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
    if (!StepProfile.ON || !training) {
      for (LayerStep s : plan.steps) a = s.forward(a, training);
      return a;
    }
    long t = StepProfile.start();
    for (int i = 0; i < plan.steps.size(); i++) {
      a = plan.steps.get(i).forward(a, true);
      t = StepProfile.add(plan.labels.get(i) + " forward", t);
    }
    return a;
  }

  private double loss(INDArray out, INDArray labels, Head h, boolean withGrad) {
    INDArray source = plan.fusedStep != null ? plan.logits() : out;
    int rows = (int) out.size(0);
    int units = (int) (out.length() / rows);
    float[] g = withGrad ? h.host : null;
    float[] activated = plan.headWritesOutput() ? h.activated : null;
    double loss = plan.head.compute(Host.read(source), Host.read(labels), rows, units, g, activated);
    if (withGrad) Host.write(h.grad, g);
    if (activated != null) Host.write(out, activated);
    return loss;
  }

  private void requireCompiled() {
    if (config == null || plan.head == null) {
      throw DlnRuntimeException.value("the model must be compiled first", "call model.compile(optimizer='adam', loss='mse')");
    }
  }

  /** The output-gradient buffer (native and host copies) per batch size. */
  private final class PerBatchHead {
    private final LayerStep.PerBatch<Head> cache = new LayerStep.PerBatch<>(b -> {
      INDArray grad = Nd4j.create(DataType.FLOAT, LayerStep.withBatch(b, plan.outputSample));
      return new Head(grad, new float[(int) grad.length()], new float[(int) grad.length()]);
    });

    Head get(long rows) {
      return cache.get(rows);
    }
  }

  private record Head(INDArray grad, float[] host, float[] activated) {}
}

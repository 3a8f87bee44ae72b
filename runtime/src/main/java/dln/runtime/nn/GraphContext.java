package dln.runtime.nn;

import dln.runtime.Shapes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * State shared by all layers while one SameDiff graph is built from a model: the graph, whether it
 * is the training or the inference graph, the variable bound to each weight (so a shared layer
 * binds its weights once), dropout masks the executor must feed, moving statistics it must update,
 * and which outputs came out of softmax or sigmoid (for fused, stable losses).
 */
public final class GraphContext {
  /** The kind of squashing whose input (logits) was recorded. */
  public enum LogitKind { SOFTMAX, SIGMOID }

  /** Logits behind an activation output. */
  public record Logits(SDVariable logits, LogitKind kind) {}

  /** What the executor draws into a {@link Mask} placeholder. */
  public enum MaskKind { DROPOUT, GAUSSIAN }

  /**
   * A random placeholder the executor fills per batch, in the order the layers asked for them (so
   * every engine makes the same draws): a dropout mask ({@code rate} = the drop rate, values 0 or
   * 1/keep) or Gaussian noise ({@code rate} = the standard deviation).
   */
  public record Mask(String placeholder, long[] shape, double rate, MaskKind kind) {
    /** A dropout mask. */
    public Mask(String placeholder, long[] shape, double rate) {
      this(placeholder, shape, rate, MaskKind.DROPOUT);
    }
  }

  /** A moving statistic to update after each training step: target = m·target + (1−m)·batch. */
  public record MovingAverage(Weight target, String batchValue, double momentum) {
    /** Blends this step's value of the batch statistic into the moving statistic, in place. */
    public void move(INDArray batch) {
      target.value().muli(momentum).addi(batch.castTo(target.value().dataType()).mul(1 - momentum));
    }
  }

  private final SameDiff sd;
  private final boolean training;
  private final Map<Weight, SDVariable> weightVars = new IdentityHashMap<>();
  private final List<Mask> masks = new ArrayList<>();
  private final List<MovingAverage> movingAverages = new ArrayList<>();
  private final Map<String, Logits> logits = new HashMap<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Deque<Boolean> trainableStack = new ArrayDeque<>();
  /** Binds a weight to its graph variable; null binds the weight's own array. */
  private final java.util.function.Function<Weight, SDVariable> binder;
  /** The batch size random masks are drawn for at once (a gradient tape's eager graph), or -1: placeholders. */
  private long drawnBatch = -1;
  private final Map<String, SDVariable> stepMasks = new HashMap<>();

  public GraphContext(SameDiff sd, boolean training) {
    this(sd, training, null);
  }

  /**
   * A context whose weights are bound by {@code binder} (a gradient tape binds each weight to its
   * variable's stand-in in the tape's graph), or by their own arrays when it is null.
   */
  public GraphContext(SameDiff sd, boolean training, java.util.function.Function<Weight, SDVariable> binder) {
    this.sd = sd;
    this.training = training;
    this.binder = binder;
  }

  /**
   * Draws dropout masks and noise now, as constants for batches of this size, instead of making
   * placeholders an executor fills (a gradient tape runs its graph on one known batch).
   */
  public void drawMasksFor(long batch) {
    this.drawnBatch = batch;
  }

  public SameDiff sd() {
    return sd;
  }

  /** True while building the training graph (dropout active, batch statistics). */
  public boolean training() {
    return training;
  }

  /**
   * True when a layer should behave as in training: a training graph and neither the layer nor any
   * model around it is frozen (a frozen BatchNormalization runs in inference mode, as in Keras).
   */
  public boolean training(Layer layer) {
    return training && layer.isTrainable() && !trainableStack.contains(Boolean.FALSE);
  }

  /** Entered while building the inside of a nested model, so freezing the model freezes its layers. */
  public void enterModel(Layer model) {
    trainableStack.push(model.isTrainable());
  }

  public void exitModel() {
    trainableStack.pop();
  }

  /** The graph variable bound to a weight: the same array object, so in-place updates are seen. */
  public SDVariable weight(Weight w) {
    if (binder != null) return weightVars.computeIfAbsent(w, binder);
    return weightVars.computeIfAbsent(w, k -> {
      SDVariable v = sd.var(uniqueName(k.fullName()), k.value());
      if (sd.getArrForVarName(v.name()) != k.value()) {
        throw new IllegalStateException("SameDiff copied weight " + k.fullName() + "; training would not update the layer");
      }
      return v;
    });
  }

  /** All weights bound so far, with their graph variable names. */
  public Map<Weight, SDVariable> weightVariables() {
    return weightVars;
  }

  /** A fresh placeholder for a dropout mask of shape (batch, ...sampleShape). */
  public SDVariable dropoutMask(Layer layer, long[] sampleShape, double rate) {
    String name = uniqueName(layer.name() + "/mask");
    if (drawnBatch > 0) {
      return sd.constant(name, dln.runtime.Rng.dropoutMask(Shapes.withBatchSize(Shapes.withBatch(sampleShape), drawnBatch), 1 - rate));
    }
    masks.add(new Mask(name, sampleShape.clone(), rate));
    return sd.placeHolder(name, DataType.FLOAT, Shapes.withBatch(sampleShape));
  }

  /** A fresh placeholder for zero-mean Gaussian noise of shape (batch, ...sampleShape). */
  public SDVariable gaussianNoise(Layer layer, long[] sampleShape, double stddev) {
    String name = uniqueName(layer.name() + "/noise");
    if (drawnBatch > 0) {
      return sd.constant(name, dln.runtime.Rng.normal(Shapes.withBatchSize(Shapes.withBatch(sampleShape), drawnBatch), 0, stddev));
    }
    masks.add(new Mask(name, sampleShape.clone(), stddev, MaskKind.GAUSSIAN));
    return sd.placeHolder(name, DataType.FLOAT, Shapes.withBatch(sampleShape));
  }

  public List<Mask> masks() {
    return masks;
  }

  /** Asks the executor to blend a batch statistic into a moving statistic after each step. */
  public void movingAverage(Weight target, SDVariable batchValue, double momentum) {
    movingAverages.add(new MovingAverage(target, batchValue.name(), momentum));
  }

  public List<MovingAverage> movingAverages() {
    return movingAverages;
  }

  /** The mask of padded steps riding on a tensor, (batch, steps) with 1 kept and 0 padded, or null. */
  public SDVariable maskOf(SDVariable tensor) {
    return stepMasks.get(tensor.name());
  }

  /** Records a tensor's mask of padded steps (null: the tensor has none). */
  public void setMask(SDVariable tensor, SDVariable mask) {
    if (mask == null) stepMasks.remove(tensor.name());
    else stepMasks.put(tensor.name(), mask);
  }

  /** Records that {@code output} is softmax/sigmoid of {@code input}; returns output. */
  public SDVariable recordLogits(SDVariable output, SDVariable input, LogitKind kind) {
    logits.put(output.name(), new Logits(input, kind));
    return output;
  }

  /** The logits behind an output, or null when it did not come from softmax/sigmoid. */
  public Logits logitsOf(SDVariable output) {
    return logits.get(output.name());
  }

  /** A variable name not used before in this graph (layer names may repeat across models). */
  public String uniqueName(String base) {
    String clean = base.replaceAll("[^A-Za-z0-9_/]", "_");
    String name = clean;
    for (int i = 1; usedNames.contains(name) || sd.hasVariable(name); i++) name = clean + "_" + i;
    usedNames.add(name);
    return name;
  }
}

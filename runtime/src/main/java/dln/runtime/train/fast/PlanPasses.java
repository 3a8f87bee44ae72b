package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plan's forward and backward passes over its value slots, shared by the fit step
 * ({@link FastEngine}) and a model called inside a gradient tape ({@link TapeCall}): the schedule
 * run forward, then backward from gradients seeded at any slots, stopping where nothing upstream
 * learns or is asked for.
 */
final class PlanPasses {
  private final FastPlan plan;
  /** The masks of padded steps of the last forward, by slot (see {@link #forward}). */
  private float[][] lastMasks;

  PlanPasses(FastPlan plan) {
    this.plan = plan;
  }

  /** The masks of padded steps the last forward's producers made, by slot (null where none). */
  float[][] lastMasks() {
    return lastMasks;
  }

  /** Runs the schedule; returns every slot's value (the outputs among them). */
  INDArray[] forward(List<INDArray> xs, boolean training) {
    INDArray[] values = new INDArray[plan.slots];
    for (int i = 0; i < xs.size(); i++) {
      INDArray x = xs.get(i);
      values[i] = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
    }
    boolean profile = StepProfile.ON && training;
    long t = profile ? StepProfile.start() : 0;
    List<INDArray> ins = new ArrayList<>();
    // The mask of padded steps each slot's producer made (batch-major, 1 kept), where one did.
    float[][] masks = new float[plan.slots][];
    lastMasks = masks;
    for (FastPlan.Op op : plan.ops) {
      if (op.step() != null) {
        if (op.maskFrom() >= 0) ((MaskReader) op.step()).mask(masks[op.maskFrom()]);
        values[op.out()] = op.step().forward(values[op.in()[0]], training);
        if (op.makesMask()) masks[op.out()] = ((MaskMaker) op.step()).mask();
      } else {
        ins.clear();
        for (int s : op.in()) ins.add(values[s]);
        if (op.inputMasks() != null) {
          float[][] given = new float[op.inputMasks().length][];
          for (int k = 0; k < given.length; k++) given[k] = op.inputMasks()[k] < 0 ? null : masks[op.inputMasks()[k]];
          op.merge().inputMasks(given);
        }
        values[op.out()] = op.merge().forward(ins, training);
        if (op.masksAnded() != null) masks[op.out()] = allKept(masks, op.masksAnded());
      }
      if (profile) t = StepProfile.add(op.label() + " forward", t);
    }
    return values;
  }

  /** The AND of several masks of padded steps (1 kept): a step is kept where every one keeps it. */
  private static float[] allKept(float[][] masks, int[] slots) {
    float[] all = masks[slots[0]].clone();
    for (int k = 1; k < slots.length; k++) {
      float[] m = masks[slots[k]];
      for (int i = 0; i < all.length; i++) all[i] *= m[i];
    }
    return all;
  }

  /** For each op, whether it computes weight gradients: one of its weights is {@code learns}. */
  boolean[] trains(Predicate<Weight> learns) {
    boolean[] trains = new boolean[plan.ops.size()];
    for (int i = 0; i < trains.length; i++) for (Weight w : plan.ops.get(i).weights()) trains[i] |= learns.test(w);
    return trains;
  }

  /**
   * The backward pass of the last forward. {@code grads} holds the gradients seeded at slots (the
   * outputs'); an op computes weight gradients where {@code trains}, and a slot's gradient is
   * computed when an op at or before it trains or it is a model input whose {@code inputGrads}
   * flag is set. On return the model inputs' slots hold their gradients (null where not asked).
   */
  void backward(INDArray[] grads, boolean[] trains, boolean[] inputGrads) {
    backward(grads, trains, inputGrads, null);
  }

  /**
   * {@link #backward(INDArray[], boolean[], boolean[])} where the gradients seeded at the slots
   * {@code atLogits} marks are those of their producing steps' logits ({@link LayerStep#preActivation}).
   */
  void backward(INDArray[] grads, boolean[] trains, boolean[] inputGrads, boolean[] atLogits) {
    List<FastPlan.Op> ops = plan.ops;
    boolean[] slotNeedsGrad = new boolean[plan.slots];
    for (int i = 0; i < inputGrads.length; i++) slotNeedsGrad[i] = inputGrads[i];
    for (int i = 0; i < ops.size(); i++) {
      FastPlan.Op op = ops.get(i);
      boolean needs = trains[i];
      for (int s : op.in()) needs |= slotNeedsGrad[s];
      slotNeedsGrad[op.out()] = needs;
    }
    long t = StepProfile.start();
    for (int i = ops.size() - 1; i >= 0; i--) {
      FastPlan.Op op = ops.get(i);
      INDArray g = grads[op.out()];
      grads[op.out()] = null;
      if (g == null || !slotNeedsGrad[op.out()]) continue;
      if (op.step() != null) {
        boolean need = slotNeedsGrad[op.in()[0]];
        INDArray dIn = atLogits != null && atLogits[op.out()] ? op.step().backwardFromLogits(g, trains[i], need)
            : op.step().backward(g, trains[i], need);
        if (need) accumulate(grads, op.in()[0], dIn);
      } else {
        boolean[] need = new boolean[op.in().length];
        for (int k = 0; k < need.length; k++) need[k] = slotNeedsGrad[op.in()[k]];
        INDArray[] dIns = op.merge().backward(g, need, trains[i]);
        for (int k = 0; k < need.length; k++) if (need[k]) accumulate(grads, op.in()[k], dIns[k]);
      }
      t = StepProfile.add(op.label() + " backward", t);
    }
  }

  /**
   * The weight gradients of the last backward pass for the weights {@code wanted} picks among
   * those of the training ops, in schedule order; a shared layer's weights appear at each of its
   * applications, and their gradients are summed (into the first op's buffer).
   */
  Map<Weight, INDArray> weightGradients(boolean[] trains, Predicate<Weight> wanted) {
    Map<Weight, INDArray> gradientOf = new java.util.LinkedHashMap<>();
    Map<Weight, Boolean> seen = new IdentityHashMap<>();
    for (int i = 0; i < plan.ops.size(); i++) {
      if (!trains[i]) continue;
      List<Weight> ws = plan.ops.get(i).weights();
      List<INDArray> gs = plan.ops.get(i).gradients();
      for (int k = 0; k < ws.size(); k++) {
        Weight w = ws.get(k);
        if (!wanted.test(w)) continue;
        if (seen.put(w, Boolean.TRUE) == null) gradientOf.put(w, gs.get(k));
        else gradientOf.get(w).addi(gs.get(k));
      }
    }
    return gradientOf;
  }

  /** Adds a gradient contribution to a slot (the first one is taken as is: every step returns its own buffer). */
  static void accumulate(INDArray[] grads, int slot, INDArray g) {
    if (grads[slot] == null) grads[slot] = g;
    else grads[slot].addi(g);
  }
}

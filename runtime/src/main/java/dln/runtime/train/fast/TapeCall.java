package dln.runtime.train.fast;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.train.TapeModelRunner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One call of a model inside a gradient tape, run by the fast engine: its forward pass (training
 * mode as fit's: dropout, batch statistics, moving statistics moved) now, and later the
 * vector–Jacobian product of the recorded outputs, the engine's backward pass from the output
 * gradients to the gradients of the model's weights and inputs.
 *
 * <p>A plan's steps remember their last forward for the backward pass, so a call keeps a plan of its
 * own until its backward has run ({@link #release}) or its owner (the tape) is garbage: a model
 * called twice in one tape runs on two plans. Plans are kept per model and reused by later tapes.
 */
public final class TapeCall implements TapeModelRunner.Run {
  /** At most this many plans per model at once; beyond that the call is left to the tape's own graph. */
  private static final int MAX_PLANS = 16;
  private static final Map<Model, Pool> POOLS = Collections.synchronizedMap(new WeakHashMap<>());

  private final Entry entry;
  private final List<INDArray> outputs;
  private final List<TapeModelRunner.Squashed> logits;

  private TapeCall(Entry entry, List<INDArray> outputs, List<TapeModelRunner.Squashed> logits) {
    this.entry = entry;
    this.outputs = outputs;
    this.logits = logits;
  }

  /**
   * Runs the model's forward pass on a fast plan for {@code owner}, or returns null when the fast
   * engine does not run this model here (another backend, {@code -Ddln.engine=samediff}, a layer
   * it does not cover, inputs not of the model's shapes): the caller records the call itself.
   */
  public static TapeCall forward(Model model, List<INDArray> xs, boolean training, Object owner) {
    if (EngineChooser.Backend.current() != EngineChooser.Backend.CPU) return null;
    if ("samediff".equalsIgnoreCase(System.getProperty(FastEngine.PROPERTY))) return null;
    if (!fits(model, xs)) return null;
    Entry e;
    synchronized (POOLS) {
      Pool pool = POOLS.get(model);
      if (pool == null || pool.version != model.version()) POOLS.put(model, pool = new Pool(model.version()));
      e = pool.borrow(model, owner);
    }
    if (e == null) return null;
    List<INDArray> in = new ArrayList<>();
    for (INDArray x : xs) in.add(x.dataType() == DataType.FLOAT && !x.isView() && x.ordering() == 'c' ? x : x.castTo(DataType.FLOAT).dup('c'));
    INDArray[] values = e.passes.forward(in, training);
    List<INDArray> outs = new ArrayList<>();
    // The slots are the steps' buffers, overwritten by the plan's next forward: the tape keeps copies.
    for (FastPlan.Output o : e.plan.outputs) outs.add(values[o.slot()].dup('c'));
    List<TapeModelRunner.Squashed> logits = new ArrayList<>();
    for (FastPlan.Output o : e.plan.outputs) {
      LayerStep step = squashingStep(e.plan, o.slot());
      logits.add(step == null ? null : new TapeModelRunner.Squashed(step.preActivation().dup('c'),
          step.squashing() == Act.SOFTMAX ? GraphContext.LogitKind.SOFTMAX : GraphContext.LogitKind.SIGMOID));
    }
    return new TapeCall(e, outs, logits);
  }

  /**
   * The step that makes output slot {@code slot} by a softmax or sigmoid whose logits a loss may
   * read, or null: none, or the output also feeds another op of the plan (its gradient there is the
   * output's, not the logits').
   */
  private static LayerStep squashingStep(FastPlan plan, int slot) {
    LayerStep producer = null;
    for (FastPlan.Op op : plan.ops) {
      for (int in : op.in()) if (in == slot) return null;
      if (op.out() == slot) producer = op.step();
    }
    return producer != null && producer.squashing() != null ? producer : null;
  }

  @Override
  public List<TapeModelRunner.Squashed> logits() {
    return logits;
  }

  /** True when the batches have the model's input shapes (else the tape's own graph reports the error). */
  private static boolean fits(Model model, List<INDArray> xs) {
    if (!model.isGraphBuilt() || model.inputs().size() != xs.size()) return false;
    for (int i = 0; i < xs.size(); i++) {
      long[] want = model.inputs().get(i).shape();
      long[] got = xs.get(i).shape();
      if (want.length != got.length) return false;
      for (int k = 1; k < got.length; k++) if (want[k] >= 0 && want[k] != got[k]) return false;
    }
    return true;
  }

  /** The model's outputs of this call (the tape's copies). */
  @Override
  public List<INDArray> outputs() {
    return outputs;
  }

  /** The weights this call's plan reads, each once. */
  @Override
  public Set<Weight> weights() {
    Set<Weight> ws = Collections.newSetFromMap(new IdentityHashMap<>());
    for (FastPlan.Op op : entry.plan.ops) ws.addAll(op.weights());
    return ws;
  }

  /**
   * The backward pass of this call's forward: {@code outputGrads} are the gradients of the
   * outputs, or of their {@link #logits} where given (null for an output the target does not
   * depend on), {@code wanted} the weights whose
   * gradients to compute, {@code inputGrads} which inputs' gradients to compute. The arrays
   * returned are the caller's. The steps read what their last forward kept and write only their
   * own buffers, so it may run again with other output gradients (a Jacobian's rows) until
   * {@link #release}.
   */
  @Override
  public TapeModelRunner.Gradients backward(List<INDArray> outputGrads, Set<Weight> wanted, boolean[] inputGrads) {
    if (entry.owner.get() == null) throw new IllegalStateException("backward after release");
    FastPlan plan = entry.plan;
    INDArray[] grads = new INDArray[plan.slots];
    boolean[] atLogits = new boolean[plan.slots];
    for (int k = 0; k < plan.outputs.size(); k++) {
      INDArray g = outputGrads.get(k);
      if (logits.get(k) != null) atLogits[plan.outputs.get(k).slot()] = true;
      // A step may overwrite the gradient it is given: it gets its own copy.
      if (g != null) PlanPasses.accumulate(grads, plan.outputs.get(k).slot(), g.castTo(DataType.FLOAT).dup('c'));
    }
    // Only weights the target depends on get a gradient (TensorFlow's None for the others, e.g. the
    // head of an output the loss does not read): the ops reached backwards from the outputs given one.
    boolean[] reached = new boolean[plan.slots];
    for (int k = 0; k < plan.outputs.size(); k++) if (outputGrads.get(k) != null) reached[plan.outputs.get(k).slot()] = true;
    Set<Weight> reachedWeights = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = plan.ops.size() - 1; i >= 0; i--) {
      FastPlan.Op op = plan.ops.get(i);
      if (!reached[op.out()]) continue;
      for (int s : op.in()) reached[s] = true;
      for (Weight w : op.weights()) if (wanted.contains(w)) reachedWeights.add(w);
    }
    boolean[] trains = entry.passes.trains(reachedWeights::contains);
    entry.passes.backward(grads, trains, inputGrads, atLogits);
    Map<Weight, INDArray> byWeight = new IdentityHashMap<>();
    for (Map.Entry<Weight, INDArray> g : entry.passes.weightGradients(trains, reachedWeights::contains).entrySet()) {
      byWeight.put(g.getKey(), g.getValue().dup('c'));
    }
    List<INDArray> dIns = new ArrayList<>();
    for (int i = 0; i < inputGrads.length; i++) dIns.add(inputGrads[i] && grads[i] != null ? grads[i].dup('c') : null);
    return new TapeModelRunner.Gradients(byWeight, dIns);
  }

  /** Hands the plan back for other calls (its last forward is no longer needed). */
  @Override
  public void release() {
    entry.owner = new WeakReference<>(null);
  }

  /** A plan and who holds it (cleared: free). */
  private static final class Entry {
    final FastPlan plan;
    final PlanPasses passes;
    WeakReference<Object> owner = new WeakReference<>(null);

    Entry(FastPlan plan) {
      this.plan = plan;
      this.passes = new PlanPasses(plan);
    }
  }

  /** The plans of one model version, or why it has none. */
  private static final class Pool {
    final int version;
    final List<Entry> entries = new ArrayList<>();
    String unsupported;

    Pool(int version) {
      this.version = version;
    }

    Entry borrow(Model model, Object owner) {
      if (unsupported != null) return null;
      Entry free = null;
      for (Entry e : entries) if (e.owner.get() == null) free = e;
      if (free == null) {
        if (entries.size() >= MAX_PLANS) return null;
        try {
          // No compile settings: no loss heads, every output computed in full (its activation included).
          free = new Entry(FastPlan.compile(model, null));
        } catch (FastPlan.Unsupported e) {
          unsupported = e.getMessage();
          return null;
        }
        entries.add(free);
      }
      free.owner = new WeakReference<>(owner);
      return free;
    }
  }
}

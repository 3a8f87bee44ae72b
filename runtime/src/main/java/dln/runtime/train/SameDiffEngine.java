package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import dln.runtime.Rng;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Model;
import dln.runtime.nn.Regularizer;
import dln.runtime.Shapes;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference engine: the model's layer graph compiled into SameDiff graphs, one for training
 * (dropout masks, batch statistics, loss, gradients) and one for inference. Weights are graph
 * variables bound to the layers' own arrays, updated in place by the optimiser, so models sharing
 * layers (transfer learning) always see the same values. Frozen weights get no gradient and no
 * update, so they stay bit-identical. A model with an input axis of unknown size (None: text of any
 * length) gets its graphs per concrete input shape of the data, kept for the next batch of that shape.
 */
public final class SameDiffEngine implements TrainingEngine {
  /** One compiled graph and the names needed to feed and read it. */
  private static final class Graph {
    SameDiff sd;
    GraphContext ctx;
    List<String> inputs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    /** The sample-weight placeholder of a weighted training graph, else null. */
    String sampleWeights;
    String loss;
    /** Each output's own loss (only for several outputs). */
    List<String> outputLosses = new ArrayList<>();
    /** Each sequence output's mask of padded steps (null where it has none), for the metrics; empty when none has one. */
    List<String> outputMasks = new ArrayList<>();
    List<Weight> trainable = new ArrayList<>();
    List<String> trainableVars = new ArrayList<>();
    String signature;
    long runs;

    /**
     * Runs before each execution of the graph. SameDiff M2.1's InferenceSession never forgets an
     * array it has freed (a set of ids, plus op contexts, that only grows: about 1.7 KB of heap a
     * training step, found by bench/memory.sh); dropping the sessions every so often bounds that.
     * The next call builds a fresh session, which costs about as much as one step. The dropped
     * sessions' arrays are collected at once, and {@link #TRIM_DELAY} runs later (once ND4J's
     * deallocator thread has freed their buffers) the C allocator's free memory goes back to the
     * system: without that the resident size crept up by ≈ 1 MiB an epoch (docs/reliability.md).
     */
    void beforeRun() {
      long phase = ++runs % SESSION_RUNS;
      if (phase == TRIM_DELAY) NativeMemory.trim();
      if (phase != 0) return;
      sd.getSessions().clear();
      SameDiff grad = sd.getFunction("grad");
      if (grad != null) grad.getSessions().clear();
      System.gc(); // ≈ 50–70 ms every 256 steps, ≈ 1% of this engine's time
    }
  }

  /** Graph executions between two fresh SameDiff sessions. */
  static final int SESSION_RUNS = 256;
  /** Runs after dropping the sessions at which the allocator is trimmed. */
  static final int TRIM_DELAY = 16;

  /** The graphs built for one shape of the inputs (batch axis first, unknown; every other axis known). */
  private static final class Graphs {
    final List<long[]> inputShapes;
    Graph training;
    Graph weightedTraining;
    Graph inference;

    Graphs(List<long[]> inputShapes) {
      this.inputShapes = inputShapes;
    }
  }

  private final Model model;
  private final CompileConfig config;
  private final int version;
  /** By the data's input shapes: one entry for a model of fixed shapes, one per length seen (at most {@link PerShapeEngine#MAX_SHAPES}) for None axes. */
  private final Map<String, Graphs> byShape = new LinkedHashMap<>(4, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Graphs> eldest) {
      return size() > PerShapeEngine.MAX_SHAPES;
    }
  };
  private Graphs current;

  public SameDiffEngine(Model model, CompileConfig config) {
    this.model = model;
    this.config = config;
    this.version = model.version();
  }

  /** The graphs for these inputs' shapes (the model's own, with a None axis given the data's size). */
  private Graphs graphsFor(List<INDArray> x) {
    List<long[]> shapes = new ArrayList<>();
    for (int i = 0; i < model.inputs().size(); i++) {
      long[] declared = model.inputs().get(i).shape();
      shapes.add(Shapes.hasUnknownSample(declared) ? Shapes.withBatchSize(x.get(i).shape(), Shapes.UNKNOWN) : declared);
    }
    current = byShape.computeIfAbsent(Shapes.format(shapes), k -> new Graphs(shapes));
    return current;
  }

  @Override
  public int version() {
    return version;
  }

  // ---------------------------------------------------------------- graphs

  /** Which weights are trainable now: the training graph depends on it (frozen BatchNorm, gradients). */
  private String trainableSignature() {
    StringBuilder sb = new StringBuilder();
    for (Model.WeightRef r : model.weightRefs()) sb.append(r.trainable() ? '1' : '0');
    return sb.toString();
  }

  private Graph trainingGraph(List<INDArray> x, boolean weighted) {
    Graphs gs = graphsFor(x);
    String sig = trainableSignature();
    Graph g = weighted ? gs.weightedTraining : gs.training;
    if (g == null || !g.signature.equals(sig)) {
      g = build(gs.inputShapes, true, true, weighted);
      g.signature = sig;
      if (weighted) gs.weightedTraining = g;
      else gs.training = g;
    }
    return g;
  }

  private Graph inferenceGraph(List<INDArray> x, boolean withLoss) {
    Graphs gs = graphsFor(x);
    if (gs.inference == null || (withLoss && gs.inference.loss == null)) gs.inference = build(gs.inputShapes, false, withLoss, false);
    return gs.inference;
  }

  private Graph build(List<long[]> inputShapes, boolean train, boolean withLoss, boolean weighted) {
    if (withLoss && config == null) {
      throw DlnRuntimeException.value("the model must be compiled first", "call model.compile(optimizer='adam', loss='mse')");
    }
    Graph g = new Graph();
    g.sd = SameDiff.create();
    g.ctx = new GraphContext(g.sd, train);
    List<SDVariable> ins = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    // The layers see the data's shapes: a None axis (a sequence's length) has its size in this graph.
    Map<SymbolicTensor, long[]> known = model.shapesFor(inputShapes);
    for (int i = 0; i < model.inputs().size(); i++) {
      long[] shape = inputShapes.get(i);
      SDVariable p = g.sd.placeHolder("input_" + i, DataType.FLOAT, shape);
      ins.add(p);
      shapes.add(shape);
      g.inputs.add(p.name());
    }
    List<SDVariable> outs = model.call(g.ctx, ins, shapes);
    for (int i = 0; i < outs.size(); i++) {
      SDVariable o = outs.get(i);
      if (ins.contains(o)) o = o.add(0.0); // an output that is an input still needs its own variable
      outs.set(i, o);
      g.outputs.add(o.name());
    }
    if (withLoss) {
      SDVariable sampleWeights = null;
      if (weighted) {
        sampleWeights = g.sd.placeHolder("sample_weight", DataType.FLOAT, -1);
        g.sampleWeights = sampleWeights.name();
      }
      SDVariable total = null;
      for (int i = 0; i < outs.size(); i++) {
        long[] outShape = known.get(model.outputs().get(i));
        SDVariable label = g.sd.placeHolder("label_" + i, DataType.FLOAT, outShape);
        g.labels.add(label.name());
        SDVariable mask = outShape.length == 3 ? g.ctx.maskOf(outs.get(i)) : null;
        g.outputMasks.add(mask == null ? null : mask.name());
        SDVariable l = config.loss(i, outs.size()).build(g.ctx, outs.get(i), label, outShape, sampleWeights, mask);
        if (outs.size() > 1) g.outputLosses.add(l.name());
        double w = config.lossWeight(i, outs.size());
        SDVariable scaled = w == 1.0 ? l : l.mul(w);
        total = total == null ? scaled : total.add(scaled);
      }
      for (Model.WeightRef r : model.weightRefs()) {
        Regularizer reg = r.weight().regularizer();
        if (reg == null || !g.ctx.weightVariables().containsKey(r.weight())) continue;
        SDVariable w = g.ctx.weight(r.weight());
        if (reg.l1() > 0) total = total.add(g.sd.math.abs(w).sum().mul(reg.l1()));
        if (reg.l2() > 0) total = total.add(w.mul(w).sum().mul(reg.l2()));
      }
      g.loss = total.name();
      if (g.outputMasks.stream().allMatch(java.util.Objects::isNull)) g.outputMasks.clear();
      if (train) {
        for (Model.WeightRef r : model.weightRefs()) {
          SDVariable v = g.ctx.weightVariables().get(r.weight());
          if (r.trainable() && v != null) {
            g.trainable.add(r.weight());
            g.trainableVars.add(v.name());
          }
        }
        g.sd.setLossVariables(total);
        if (!g.trainableVars.isEmpty()) dln.runtime.Muted.run(() -> g.sd.createGradFunction());
      }
    }
    return g;
  }

  // ---------------------------------------------------------------- execution

  private Map<String, INDArray> feed(Graph g, List<INDArray> x, List<INDArray> y) {
    Map<String, INDArray> ph = new HashMap<>();
    for (int i = 0; i < g.inputs.size(); i++) ph.put(g.inputs.get(i), x.get(i));
    if (y != null) for (int i = 0; i < g.labels.size(); i++) ph.put(g.labels.get(i), y.get(i));
    long batch = x.get(0).size(0);
    for (GraphContext.Mask m : g.ctx.masks()) {
      long[] shape = Shapes.withBatchSize(Shapes.withBatch(m.shape()), batch);
      ph.put(m.placeholder(), m.kind() == GraphContext.MaskKind.GAUSSIAN
          ? Rng.normal(shape, 0, m.rate())
          : Rng.dropoutMask(shape, 1 - m.rate()));
    }
    return ph;
  }

  @Override
  public StepResult trainStep(List<INDArray> x, List<INDArray> y, INDArray sampleWeights, int epoch) {
    Graph g = trainingGraph(x, sampleWeights != null);
    g.beforeRun();
    Map<String, INDArray> ph = feed(g, x, y);
    if (sampleWeights != null) ph.put(g.sampleWeights, sampleWeights.castTo(DataType.FLOAT).reshape(sampleWeights.length()));
    List<String> wanted = resultNames(g);
    for (GraphContext.MovingAverage m : g.ctx.movingAverages()) wanted.add(m.batchValue());
    Map<String, INDArray> values;
    if (g.trainableVars.isEmpty()) {
      values = g.sd.output(ph, wanted);
    } else {
      OutAndGrad og = g.sd.calculateGradientsAndOutputs(ph, wanted, g.trainableVars);
      values = og.getOutputs();
      List<INDArray> grads = new ArrayList<>();
      for (String v : g.trainableVars) grads.add(og.getGradients().get(v));
      config.optimizer().step(g.trainable, grads, epoch);
    }
    for (GraphContext.MovingAverage m : g.ctx.movingAverages()) m.move(values.get(m.batchValue()));
    return result(g, values);
  }

  @Override
  public StepResult evaluate(List<INDArray> x, List<INDArray> y) {
    Graph g = inferenceGraph(x, true);
    g.beforeRun();
    List<String> wanted = resultNames(g);
    return result(g, g.sd.output(feed(g, x, y), wanted));
  }

  @Override
  public List<INDArray> predict(List<INDArray> x) {
    Graph g = inferenceGraph(x, false);
    g.beforeRun();
    Map<String, INDArray> values = g.sd.output(feed(g, x, null), g.outputs);
    List<INDArray> outs = new ArrayList<>();
    // A copy: an output may be the fed input itself or a view of it (an identity or reshape graph).
    for (String o : g.outputs) outs.add(values.get(o).dup('c'));
    return outs;
  }

  /** The variables a step's result reads: outputs, losses and the outputs' masks. */
  private static List<String> resultNames(Graph g) {
    List<String> wanted = new ArrayList<>(g.outputs);
    wanted.add(g.loss);
    wanted.addAll(g.outputLosses);
    for (String m : g.outputMasks) if (m != null && !wanted.contains(m)) wanted.add(m);
    return wanted;
  }

  private static StepResult result(Graph g, Map<String, INDArray> values) {
    List<INDArray> outs = new ArrayList<>();
    for (String o : g.outputs) outs.add(values.get(o));
    List<Double> perOutput = new ArrayList<>();
    for (String l : g.outputLosses) perOutput.add(values.get(l).getDouble(0));
    List<INDArray> masks = new ArrayList<>();
    for (String m : g.outputMasks) masks.add(m == null ? null : values.get(m));
    return new StepResult(values.get(g.loss).getDouble(0), outs, perOutput, masks);
  }

  /** Names of the graph variables (for tests and profiling). */
  Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    if (current != null && current.training != null) m.put("training", current.training.sd.summary());
    return m;
  }
}

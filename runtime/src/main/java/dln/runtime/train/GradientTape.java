package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import dln.runtime.autodiff.Recording;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * TensorFlow's {@code tf.GradientTape}: while it records, the computations on variables (a model's
 * weights among them) and on watched tensors are traced into one SameDiff graph, whose values are
 * computed when asked for (printing the loss, a metric's update); {@link #gradient} then
 * differentiates a result recorded there by SameDiff's reverse-mode autodiff. A model called while
 * the tape records adds its forward pass to the graph, its weights bound to their variables.
 */
public final class GradientTape implements Recording.Recorder {
  // A tape started inside another records into the enclosing tape's graph (see start): the graph
  // and what belongs to it are shared then, the watched tensors stay the tape's own.
  private SameDiff sd = SameDiff.create();
  private final boolean persistent;
  /** False for watch_accessed_variables=False: only the variables given to tape.watch are watched. */
  private final boolean watchAccessed;
  private final Set<Variable> watchedVariables = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private Map<Variable, Traced> variables = new IdentityHashMap<>();
  private final Map<INDArray, Traced> watchedTensors = new IdentityHashMap<>();
  private List<GraphContext> contexts = new ArrayList<>();
  /** Values computed so far, by variable name (the recorded graph's values never change). */
  private Map<String, INDArray> values = dln.runtime.autodiff.Tape.keepValues(sd);
  /** The results handed out (a model's outputs, losses): the gradient's forward pass keeps their values. */
  private List<String> results = new ArrayList<>();
  /** The tape this one was started inside, sharing its graph; null for none. */
  private GradientTape enclosing;
  /** True when the graph is shared with a nested tape. */
  private boolean shared;
  /**
   * The model calls run on the fast engine, one node each (see {@link TapedModels}). A tape nested
   * in another records every call op by op (its gradient must be differentiable again), so only
   * a tape of its own graph makes them.
   */
  private final TapedModels fastCalls = new TapedModels(sd);
  private boolean recording;
  private boolean used;

  /** @param persistent true to allow more than one {@link #gradient} call */
  public GradientTape(boolean persistent) {
    this(persistent, true);
  }

  /**
   * @param persistent true to allow more than one {@link #gradient} call
   * @param watchAccessedVariables false for TensorFlow's {@code watch_accessed_variables=False}:
   *     a variable is watched only once given to {@link #watchVariable}; the others are constants
   *     (their gradients None)
   */
  public GradientTape(boolean persistent, boolean watchAccessedVariables) {
    this.persistent = persistent;
    this.watchAccessed = watchAccessedVariables;
  }

  /** The recording tape of this thread if it is a gradient tape, else null. */
  public static GradientTape recording() {
    return Recording.active() instanceof GradientTape t ? t : null;
  }

  /** Starts recording (entering the {@code with} block). */
  public void start() {
    GradientTape outer = recording();
    if (outer != null && outer != this && enclosing == null && sd.getVariables().isEmpty()) {
      // Recorded into the enclosing tape's graph, the computations here, and the gradient of them
      // (RecordedGradients), stay differentiable by the enclosing tape.
      enclosing = outer;
      sd = outer.sd;
      variables = outer.variables;
      contexts = outer.contexts;
      values = outer.values;
      results = outer.results;
      shared = true;
      outer.shared = true;
    }
    recording = true;
    Recording.start(this);
  }

  /** Stops recording (leaving it); what was recorded stays differentiable. */
  public void stop() {
    recording = false;
    Recording.stop(this);
  }

  /**
   * TensorFlow's {@code with tape.stop_recording():} entered: until {@link #resumeRecording} nothing
   * is recorded, and what was recorded enters operations as a constant (gradients do not flow
   * through what is computed there).
   */
  public void stopRecording() {
    if (!recording) {
      throw DlnRuntimeException.value("tape.stop_recording(): the tape is not recording",
          "use it inside the tape's with block: with tf.GradientTape() as tape: ... with tape.stop_recording(): ...");
    }
    recording = false;
    Recording.pause(this);
  }

  /** Leaves {@link #stopRecording}'s block: the tape records again. */
  public void resumeRecording() {
    recording = true;
    Recording.resume(this);
  }

  @Override
  public Traced watch(Variable v) {
    // A variable this tape does not watch may still be watched by the tape it records for.
    if (!watches(v)) return enclosing != null ? enclosing.watch(v) : null;
    return standIn(v);
  }

  /** True when this tape differentiates by {@code v}: every variable, or (watch_accessed_variables=False) those given to watch. */
  private boolean watches(Variable v) {
    return watchAccessed || watchedVariables.contains(v);
  }

  private Traced standIn(Variable v) {
    return variables.computeIfAbsent(v, k -> new Traced(sd.var(name("variable"), k.value().castTo(DataType.FLOAT).dup())));
  }

  /** TensorFlow's {@code tape.watch(v)} for a variable: watched from now on, whatever watch_accessed_variables says. */
  public void watchVariable(Variable v) {
    watchedVariables.add(v);
    standIn(v);
  }

  /** A model weight in the graph: its variable's stand-in, or where the tape does not watch it its value as a constant. */
  private SDVariable weightIn(Weight w) {
    Traced t = watch(w.variable());
    return t != null ? t.var() : sd.constant(name("weight"), w.value().castTo(DataType.FLOAT).dup());
  }

  @Override
  public Traced watched(INDArray x) {
    if (!recording) return null;
    Traced own = watchedTensors.get(x);
    return own != null || enclosing == null ? own : enclosing.watched(x);
  }

  /** TensorFlow's {@code tape.watch(x)} for a tensor: operations on it are recorded from now on. */
  public void watch(INDArray x) {
    watchedTensors.computeIfAbsent(x, k -> {
      // The enclosing tape's stand-in, if it watches the tensor too: one node, seen by both.
      Traced outer = enclosing == null ? null : enclosing.watchedTensors.get(k);
      return outer != null ? outer : new Traced(sd.var(name("watched"), k.castTo(DataType.FLOAT).dup()));
    });
  }

  private String name(String base) {
    String n = base;
    for (int i = 1; sd.hasVariable(n); i++) n = base + "_" + i;
    return n;
  }

  /** True when a model call of this tape ran on the fast engine (tests check which path a call took). */
  boolean ranFast() {
    return !fastCalls.isEmpty();
  }

  /** True when {@code t} was recorded by this tape. */
  public boolean owns(Traced t) {
    return t.var().getSameDiff() == sd;
  }

  // ---------------------------------------------------------------- models inside the tape

  /**
   * Applies a layer or model to eager batches in the tape's graph ({@code model(x, training=True)}
   * inside the {@code with} block): its weights are bound to their variables' stand-ins, so the
   * result is differentiable with respect to {@code model.trainable_variables}.
   */
  public List<Traced> apply(Layer layer, List<Object> xs, boolean training) {
    List<long[]> shapes = new ArrayList<>();
    List<SDVariable> ins = new ArrayList<>();
    long batch = -1;
    for (Object x : xs) {
      long[] s;
      if (x instanceof Traced t) {
        s = t.shape();
        ins.add(t.var());
      } else {
        INDArray arr = (INDArray) x;
        s = arr.shape().clone();
        Traced w = watched(arr);
        ins.add(w != null ? w.var() : sd.constant(name("input"), arr.castTo(DataType.FLOAT)));
      }
      if (s.length == 0) throw DlnRuntimeException.shape(layer.describe() + " is applied to a batch, got a scalar", null);
      if (batch < 0) batch = s[0];
      s[0] = Shapes.UNKNOWN;
      shapes.add(s);
    }
    if (layer instanceof Model m) {
      List<long[]> samples = new ArrayList<>();
      for (long[] s : shapes) samples.add(Shapes.sample(s));
      m.buildFor(samples);
    }
    layer.ensureBuilt(shapes);
    List<Traced> fast = applyFast(layer, xs, training);
    if (fast != null) return fast;
    List<long[]> outShapes = layer.outputShapes(shapes);
    GraphContext ctx = context(training, batch);
    List<SDVariable> outs = layer.call(ctx, ins, shapes);
    moveStatistics(ctx);
    List<Traced> result = new ArrayList<>();
    for (int i = 0; i < outs.size(); i++) {
      // An identity layer returns its input; the result still needs a node of its own.
      SDVariable o = ins.contains(outs.get(i)) ? outs.get(i).add(0.0) : outs.get(i);
      result.add(new Traced(o, Shapes.withBatchSize(outShapes.get(i), batch)));
      results.add(o.name());
    }
    return result;
  }

  /**
   * The call as one node run by the fast engine ({@link TapedModels}), or null to record it op by
   * op: a layer that is not a model, a persistent tape (its gradient may be asked again, and a
   * plan's backward pass runs once per forward) or a tape inside another recording one.
   */
  private List<Traced> applyFast(Layer layer, List<Object> xs, boolean training) {
    if (!(layer instanceof Model m) || persistent) return null;
    for (Recording.Recorder other : Recording.others(this)) if (other instanceof GradientTape) return null;
    List<Object> ins = new ArrayList<>();
    for (Object x : xs) {
      Traced w = x instanceof INDArray arr ? watched(arr) : null;
      ins.add(w != null ? w : x);
    }
    // Records which outputs come out of a softmax or sigmoid, so that a loss object reads their logits.
    GraphContext squashings = new GraphContext(sd, training, this::weightIn);
    List<Traced> outs = fastCalls.apply(m, ins, training, this, this::name, values, squashings);
    if (outs == null) return null;
    contexts.add(squashings);
    for (Traced o : outs) results.add(o.var().name());
    return outs;
  }

  /**
   * A BatchNormalization called in training mode moves its moving statistics now, as Keras does
   * when the layer is called and as the fast engine's node does: the batch statistics the call
   * recorded are computed (one forward pass as far as them) and blended in as fit blends them.
   */
  private void moveStatistics(GraphContext ctx) {
    if (ctx.movingAverages().isEmpty()) return;
    List<String> names = new ArrayList<>();
    for (GraphContext.MovingAverage m : ctx.movingAverages()) names.add(m.batchValue());
    Map<String, INDArray> batch = dln.runtime.Muted.call(() -> sd.output(Map.of(), names));
    values.putAll(batch);
    for (GraphContext.MovingAverage m : ctx.movingAverages()) m.move(batch.get(m.batchValue()));
  }

  private GraphContext context(boolean training, long batch) {
    GraphContext ctx = new GraphContext(sd, training, this::weightIn);
    ctx.drawMasksFor(batch);
    contexts.add(ctx);
    return ctx;
  }

  /**
   * A loss object called on a recorded prediction ({@code loss_fn(y, logits)}): the loss graph
   * training builds, added to the tape's graph, so it is differentiable.
   */
  public Traced loss(Loss loss, INDArray yTrue, Traced yPred) {
    return loss(loss, yTrue, yPred, null);
  }

  /**
   * The same loss with one weight per sample (Keras's {@code sample_weight=}: Σ w·loss over the
   * number of losses, as fit weighs them); null weights for none.
   */
  public Traced loss(Loss loss, INDArray yTrue, Traced yPred, INDArray sampleWeights) {
    long[] shape = yPred.shape();
    loss.checkLabels(yTrue, shape, "y_true");
    SDVariable labels = sd.constant(name("y_true"), loss.prepareLabels(yTrue, shape).castTo(DataType.FLOAT));
    // The context that made the prediction knows whether it came out of a softmax (a stable loss from its logits).
    GraphContext made = null;
    for (GraphContext c : contexts) if (c.logitsOf(yPred.var()) != null) made = c;
    GraphContext ctx = made != null ? made : new GraphContext(sd, false, this::weightIn);
    SDVariable weights = sampleWeights == null ? null
        : sd.constant(name("sample_weight"), Loss.perSample(sampleWeights, shape[0]).castTo(DataType.FLOAT));
    SDVariable value = loss.build(ctx, yPred.var(), labels, shape, weights);
    results.add(value.name());
    return new Traced(value, new long[0]);
  }

  // ---------------------------------------------------------------- gradients

  /**
   * The gradients of a recorded result with respect to each source (a variable or a watched
   * tensor), as TensorFlow's {@code tape.gradient(target, sources)}: null for a source the target
   * does not depend on. A target with several elements is differentiated as their sum.
   */
  public List<INDArray> gradient(Object target, List<Object> sources) {
    return evaluated(differentiate(target, sources));
  }

  /** Results as tensors: a recorded one (inside an enclosing tape) computed. */
  private static List<INDArray> evaluated(List<Object> results) {
    List<INDArray> out = new ArrayList<>();
    for (Object r : results) out.add(r instanceof Traced t ? dln.runtime.autodiff.Tape.value(t) : (INDArray) r);
    return out;
  }

  /**
   * {@link #gradient} as TensorFlow's {@code tape.gradient} returns it inside an enclosing tape
   * that still records (a gradient penalty, a second derivative): {@link Traced} results recorded
   * in the enclosing tape's graph, which it can differentiate again; elsewhere tensors.
   */
  public List<Object> differentiate(Object target, List<Object> sources) {
    Request r = request(target, sources, "tape.gradient()");
    Traced t = r.target();
    Pullback.Sources s = r.sources();
    boolean recorded = r.recorded();
    SDVariable loss = t.var();
    long[] shape = t.knownShape();
    if (shape == null || Shapes.size(shape) != 1) loss = loss.sum();
    if (recorded) {
      Map<String, Traced> grads = s.wanted().isEmpty() ? Map.of() : recordedGradients(loss, s.wanted());
      List<Object> out = new ArrayList<>();
      for (String n : s.names()) out.add(n == null ? null : grads.get(n));
      return out;
    }
    Pullback p = pullback(loss, null, s);
    try {
      return new ArrayList<>(p.run(null));
    } finally {
      p.close();
    }
  }

  /**
   * TensorFlow's {@code tape.jacobian(target, sources)}: for each source a tensor of shape
   * {@code target.shape + source.shape}, the derivative of each target element by each source
   * element; null for a source the target does not depend on. One reverse pass per target
   * element, all through the same recorded graph.
   */
  public List<INDArray> jacobian(Object target, List<Object> sources) {
    return evaluated(jacobianOf(target, sources));
  }

  /**
   * {@link #jacobian} as TensorFlow's {@code tape.jacobian} returns it inside an enclosing tape that
   * still records: {@link Traced} results recorded in the enclosing tape's graph, which it can
   * differentiate again (the derivative of a Jacobian); elsewhere tensors.
   */
  public List<Object> jacobianOf(Object target, List<Object> sources) {
    Request r = request(target, sources, "tape.jacobian()");
    Traced t = r.target();
    Pullback.Sources s = r.sources();
    long[] shape = dln.runtime.autodiff.Tape.value(t).shape();
    if (r.recorded()) return recordedJacobian(t, shape, s);
    List<INDArray[]> perSource = runSeeded(t, shape, s, (int) Shapes.size(shape), JacobianRows::seedElement);
    List<Object> out = new ArrayList<>();
    for (INDArray[] rows : perSource) out.add(rows == null ? null : JacobianRows.stacked(rows, shape));
    return out;
  }

  /**
   * The Jacobian as operations of the shared graph ({@link dln.runtime.autodiff.RecordedGradients}
   * per target element k, placed at row k by a one-hot column and summed), so the enclosing tape
   * differentiates it again; null for a source the target does not depend on.
   */
  private List<Object> recordedJacobian(Traced t, long[] shape, Pullback.Sources s) {
    int rows = (int) Shapes.size(shape);
    Map<String, SDVariable> sums = new java.util.HashMap<>();
    for (int k = 0; k < rows; k++) {
      INDArray cotangent = Nd4j.zeros(DataType.FLOAT, shape);
      JacobianRows.seedElement(cotangent, k);
      SDVariable loss = t.var().mul(sd.constant(name("cotangent"), cotangent)).sum();
      Map<String, Traced> grads = s.wanted().isEmpty() ? Map.of() : recordedGradients(loss, s.wanted());
      for (Map.Entry<String, Traced> g : grads.entrySet()) {
        long[] src = sd.getVariable(g.getKey()).getShape();
        long[] rowShape = new long[src.length + 1];
        rowShape[0] = rows;
        java.util.Arrays.fill(rowShape, 1, rowShape.length, 1);
        INDArray place = Nd4j.zeros(DataType.FLOAT, rowShape);
        place.putScalar(k, 1f);
        long[] asRow = new long[src.length + 1];
        asRow[0] = 1;
        System.arraycopy(src, 0, asRow, 1, src.length);
        SDVariable term = g.getValue().var().reshape(asRow).mul(sd.constant(name("row"), place));
        sums.merge(g.getKey(), term, SDVariable::add);
      }
    }
    List<Object> out = new ArrayList<>();
    for (String n : s.names()) {
      SDVariable sum = n == null ? null : sums.get(n);
      if (sum == null) {
        out.add(null);
        continue;
      }
      long[] src = sd.getVariable(n).getShape();
      long[] full = java.util.Arrays.copyOf(shape, shape.length + src.length);
      System.arraycopy(src, 0, full, shape.length, src.length);
      out.add(new Traced(sum.reshape(full), full));
    }
    return out;
  }

  /**
   * TensorFlow's {@code tape.batch_jacobian(target, source)}: the Jacobian of each sample's
   * target row by the same sample's source row, shape {@code (batch,) + target.shape[1:] +
   * source.shape[1:]}, for samples that do not depend on one another (as TensorFlow assumes). One
   * reverse pass per element of a target row, every sample's row seeded at once; zeros where the
   * target does not depend on the source (TensorFlow's batch_jacobian gives zeros there too).
   */
  public INDArray batchJacobian(Object target, Object source) {
    checkUsable();
    refuseInsideEnclosing("tape.batch_jacobian()");
    Traced t = ownTarget(target, "tape.batch_jacobian()");
    Pullback.Sources s = sources(List.of(source), "tape.batch_jacobian()");
    long[] shape = dln.runtime.autodiff.Tape.value(t).shape();
    long[] src = sourceShape(source);
    if (shape.length < 2 || src.length < 2 || shape[0] != src[0]) {
      throw DlnRuntimeException.shape("tape.batch_jacobian(): need first dimension of target shape " + Shapes.format(shape)
          + " and source shape " + Shapes.format(src) + " to match (both of rank 2 or more)",
          "batch_jacobian pairs sample i of the target with sample i of the source; use tape.jacobian for other shapes");
    }
    used = true;
    INDArray[] rows = runSeeded(t, shape, s, (int) (Shapes.size(shape) / shape[0]), JacobianRows::seedColumn).get(0);
    return rows == null ? JacobianRows.perSampleZeros(shape, src) : JacobianRows.perSample(rows, shape, src);
  }

  /** The shape of a source as given (a variable's value, a tensor). */
  private static long[] sourceShape(Object source) {
    if (source instanceof Variable v) return v.value().shape();
    if (source instanceof INDArray x) return x.shape();
    return new long[0];
  }

  /**
   * Runs {@code passes} reverse passes of target {@code t}, the cotangent of pass k (zeros) filled
   * by {@code seeder}; returns for each source its gradients of every pass, or null where no pass
   * reached it (the target does not depend on it).
   */
  private List<INDArray[]> runSeeded(Traced t, long[] shape, Pullback.Sources s, int passes,
      java.util.function.ObjIntConsumer<INDArray> seeder) {
    SameDiff graph = graphToDifferentiate();
    SDVariable seed = graph.placeHolder(uniqueName(graph, "cotangent"), DataType.FLOAT, shape);
    SDVariable loss = graph.getVariable(t.var().name()).mul(seed).sum();
    graph.setLossVariables(loss.name());
    Pullback p = new Pullback(graph, seed.name(), s, viaFast(), keptResults(graph), values);
    List<INDArray[]> rows = new ArrayList<>();
    for (int i = 0; i < s.names().size(); i++) rows.add(new INDArray[passes]);
    boolean[] reached = new boolean[s.names().size()];
    try {
      for (int k = 0; k < passes; k++) {
        INDArray cotangent = Nd4j.zeros(DataType.FLOAT, shape);
        seeder.accept(cotangent, k);
        List<INDArray> g = p.run(cotangent);
        for (int i = 0; i < g.size(); i++) {
          rows.get(i)[k] = g.get(i);
          reached[i] |= g.get(i) != null;
        }
      }
    } finally {
      p.close();
    }
    List<INDArray[]> perSource = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      INDArray[] gs = rows.get(i);
      if (!reached[i]) {
        perSource.add(null);
        continue;
      }
      // A pass that reached no path to a source (a zero row) gives zeros of its shape.
      INDArray like = null;
      for (INDArray g : gs) if (g != null) like = g;
      for (int k = 0; k < gs.length; k++) if (gs[k] == null) gs[k] = Nd4j.zeros(DataType.FLOAT, like.shape());
      perSource.add(gs);
    }
    return perSource;
  }

  private static String uniqueName(SameDiff graph, String base) {
    String n = base;
    for (int i = 1; graph.hasVariable(n); i++) n = base + "_" + i;
    return n;
  }

  /** A gradient or Jacobian call's checked target and sources, and whether an enclosing tape records it. */
  private record Request(Traced target, Pullback.Sources sources, boolean recorded) {}

  /** Checks a gradient or Jacobian call ({@code call} names it in errors) and marks the tape used. */
  private Request request(Object target, List<Object> sources, String call) {
    checkUsable();
    boolean recorded = recordedForEnclosing(call);
    Traced t = ownTarget(target, call);
    Pullback.Sources s = sources(sources, call);
    used = true;
    return new Request(t, s, recorded);
  }

  /** TensorFlow's error for a second gradient (or Jacobian) of a tape that is not persistent. */
  private void checkUsable() {
    if (used && !persistent) {
      throw DlnRuntimeException.value("A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)",
          "use tf.GradientTape(persistent=True) to call tape.gradient or tape.jacobian more than once");
    }
  }

  /**
   * True when an enclosing tape records this gradient (it must come out as graph ops the outer
   * tape differentiates again); refuses an enclosing tape of another graph, which would see the
   * gradient as a constant and give a silently wrong derivative.
   */
  private boolean recordedForEnclosing(String call) {
    boolean recorded = false;
    for (Recording.Recorder other : Recording.others(this)) {
      if (!(other instanceof GradientTape outer)) continue;
      if (outer.sd != sd) {
        throw DlnRuntimeException.value(call + " inside a GradientTape that this tape was not started in: the outer tape "
            + "cannot differentiate it", "start this tape inside the outer one (with tf.GradientTape() as outer: with "
            + "tf.GradientTape() as inner: ...), or call this gradient after the outer with block");
      }
      recorded = true;
    }
    return recorded;
  }

  /** A Jacobian inside a recording enclosing tape would have to be recorded too: refused rather than made a constant. */
  private void refuseInsideEnclosing(String call) {
    for (Recording.Recorder other : Recording.others(this)) {
      if (other instanceof GradientTape) {
        throw DlnRuntimeException.value(call + " while an enclosing GradientTape records is not supported: the enclosing tape "
            + "could not differentiate it", "call it after the enclosing with block, or take the inner derivative with tape.gradient");
      }
    }
  }

  /** The target as this tape's recorded result, or the located refusal. */
  private Traced ownTarget(Object target, String call) {
    if (target instanceof Variable v) target = variables.get(v);
    if (!(target instanceof Traced t) || !owns(t)) {
      throw DlnRuntimeException.value(call + ": the target was not computed inside this tape's with block, so it has no gradient",
          "compute the loss inside it: with tf.GradientTape() as tape: loss = loss_fn(y, model(x))");
    }
    return t;
  }

  /** The sources' graph variables (null for one not watched) and which variables are wanted. */
  private Pullback.Sources sources(List<Object> sources, String call) {
    List<String> names = new ArrayList<>();
    List<Variable> vars = new ArrayList<>();
    Set<Variable> wantedVariables = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object s : sources) {
      // A variable this tape does not watch has no gradient (TensorFlow's None), even where the graph has its stand-in.
      boolean unwatched = s instanceof Variable v && !watches(v);
      if (s instanceof Variable v && !unwatched) wantedVariables.add(v);
      vars.add(s instanceof Variable v ? v : null);
      Traced stand = unwatched ? null : s instanceof Variable v ? variables.get(v) : s instanceof INDArray x ? watchedTensors.get(x) : null;
      if (stand == null && !(s instanceof Variable) && !(s instanceof INDArray)) {
        throw DlnRuntimeException.value(call + ": sources are variables (tf.Variable, model.trainable_variables) or watched tensors, got "
            + (s == null ? "None" : s.getClass().getSimpleName()), "pass model.trainable_variables or a list of tf.Variable");
      }
      names.add(stand == null ? null : stand.var().name());
    }
    List<String> wanted = new ArrayList<>();
    for (String n : names) if (n != null && !wanted.contains(n)) wanted.add(n);
    return new Pullback.Sources(names, vars, wanted, new java.util.HashSet<>(wanted), wantedVariables);
  }

  /** The fast calls to carry the gradients through, or null for none. */
  private TapedModels viaFast() {
    return fastCalls.isEmpty() ? null : fastCalls;
  }

  /**
   * The graph a gradient differentiates. A persistent tape may be asked for the gradients of
   * another target, or after more was recorded: SameDiff keeps one gradient graph per graph, so
   * each call differentiates a copy. (Keeping the previous step's graph when the structure repeats
   * was measured: no faster, since SameDiff's execution, not building the backward graph, is what
   * a step costs.) A graph shared by nested tapes is differentiated by each of them: a copy too.
   */
  private SameDiff graphToDifferentiate() {
    return persistent || shared ? sd.dup() : sd;
  }

  /**
   * The results handed out whose values are not known yet: the forward pass computes them anyway,
   * so it keeps them (a metric's update_state(y, logits) after the step needs no second forward).
   */
  private List<String> keptResults(SameDiff graph) {
    List<String> outputs = new ArrayList<>();
    for (String r : results) if (!values.containsKey(r) && graph.hasVariable(r)) outputs.add(r);
    return outputs;
  }

  private Pullback pullback(SDVariable loss, String seed, Pullback.Sources s) {
    SameDiff graph = graphToDifferentiate();
    graph.setLossVariables(loss.name());
    return new Pullback(graph, seed, s, viaFast(), keptResults(graph), values);
  }

  /** The gradients as operations of the graph (see {@link dln.runtime.autodiff.RecordedGradients}). */
  private Map<String, Traced> recordedGradients(SDVariable loss, List<String> wanted) {
    List<SDVariable> grads = dln.runtime.autodiff.RecordedGradients.of(sd, loss, wanted, values);
    Map<String, Traced> out = new java.util.HashMap<>();
    for (int i = 0; i < wanted.size(); i++) {
      if (grads.get(i) != null) out.put(wanted.get(i), new Traced(grads.get(i), sd.getVariable(wanted.get(i)).getShape()));
    }
    return out;
  }
}

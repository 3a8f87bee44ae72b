package dln.runtime.train.fast;

import dln.runtime.autodiff.Traced;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.FitOptions;
import dln.runtime.train.GradientTape;
import dln.runtime.train.Loss;
import dln.runtime.train.Optimizer;
import dln.runtime.train.session.TrainingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Speed check of a custom training loop (not a unit test): the keras.io "writing a training loop
 * from scratch" MLP (784-64-64-10, logits, Adam 1e-3, batch 64) on MNIST, one step being the
 * guide's {@code with tf.GradientTape(): logits = model(x, training=True); loss = loss_fn(y, logits)},
 * {@code tape.gradient(loss, model.trainable_weights)}, {@code optimizer.apply_gradients(...)}.
 * Three ways, interleaved in one process, rounds repeated, medians printed: the tape recording the
 * model op by op in SameDiff ({@code -Ddln.engine=samediff} around the tape only, the path before
 * the fast tape), the tape with the model on the fast engine, and {@code model.fit} on the fast
 * engine over the same batches.
 *
 * <p>Run: {@code java -cp runtime/target/classes:runtime/target/test-classes:$(deps)
 * dln.runtime.train.fast.TapeBench [rounds] [steps]}.
 */
public final class TapeBench {
  private static final Loss LOSS = Loss.byName("sparse_categorical_crossentropy").withFromLogits(true);
  private static final int BATCH = 64;

  private TapeBench() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path data = Path.of(System.getenv().getOrDefault("DLN_DATA", "../shared/data"), "mnist");
    int n = steps * BATCH;
    INDArray x = TrainBench.readImages(data.resolve("train-images-idx3-ubyte.gz"), n).reshape(n, 784).dup();
    int[] raw = TrainBench.readLabels(data.resolve("train-labels-idx1-ubyte.gz"), n);
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) labels[i] = raw[i];
    INDArray y = Nd4j.createFromArray(labels);
    List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    String[] names = {"tape, op by op (SameDiff)", "tape, model on the fast engine", "fit, fast engine"};
    for (int r = 0; r <= rounds; r++) {
      // Round 0 warms up (JIT, plans, buffers) and is not counted.
      double sd = tapeMs(x, y, steps, true);
      double fast = tapeMs(x, y, steps, false);
      double fit = fitMs(x, y, steps);
      if (r == 0) continue;
      ms.get(0).add(sd);
      ms.get(1).add(fast);
      ms.get(2).add(fit);
      System.out.printf("round %d: %.2f / %.2f / %.2f ms per step%n", r, sd, fast, fit);
    }
    for (int k = 0; k < 3; k++) System.out.printf("%-32s median %.2f ms per step, all %s%n", names[k], median(ms.get(k)), ms.get(k));
  }

  private static Model mlp() {
    return new Sequential(List.of(Input.of(784), new Dense(64, "relu"), new Dense(64, "relu"), new Dense(10)));
  }

  /** Milliseconds per custom-loop step over {@code steps} batches of a fresh model. */
  private static double tapeMs(INDArray x, INDArray y, int steps, boolean samediff) {
    Model m = mlp();
    Optimizer adam = new Adam(1e-3);
    List<Object> vars = new ArrayList<>();
    List<INDArray> params = new ArrayList<>();
    for (Model.WeightRef w : m.weightRefs()) {
      if (!w.trainable()) continue;
      vars.add(w.weight().variable());
      params.add(w.weight().value());
    }
    long t = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      INDArray xb = x.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH));
      INDArray yb = y.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH));
      if (samediff) System.setProperty(FastEngine.PROPERTY, "samediff");
      GradientTape tape = new GradientTape(false);
      Traced loss;
      tape.start();
      try {
        loss = tape.loss(LOSS, yb, tape.apply(m, List.of(xb), true).get(0));
      } finally {
        tape.stop();
        System.clearProperty(FastEngine.PROPERTY);
      }
      adam.applyGradients(params, tape.gradient(loss, vars), 0);
    }
    return (System.nanoTime() - t) / 1e6 / steps;
  }

  /** Milliseconds per step of one {@code fit} epoch over the same batches, fast engine. */
  private static double fitMs(INDArray x, INDArray y, int steps) {
    Model m = mlp();
    TrainingSession.of(m).compile(new CompileConfig(new Adam(1e-3), List.of(LOSS), List.of()));
    TrainingSession.of(m).setEngineFactory(FastEngine::create);
    long t = System.nanoTime();
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(1).batchSize(BATCH).shuffle(false));
    return (System.nanoTime() - t) / 1e6 / steps;
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}

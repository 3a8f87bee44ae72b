package dln.bench;

import dln.Dln;
import dln.interp.sandbox.Sandbox;
import java.io.Writer;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A network written in DLN ({@code bench/dln/<net>.dln}: the MLP, the CNN and issue 15's graph and
 * sequence workloads) and run through the embedding API, exactly as a user's script runs. The
 * script defines the model and two functions, {@code train_epoch(x, y)} and {@code predict(x)};
 * the data are handed in as globals (images channels-last, as Keras and DLN expect; labels one-hot,
 * or a 0/1 column for a sigmoid output), so the timed call is the script's own
 * {@code model.fit}/{@code model.predict}.
 */
final class DlnNets implements BenchNet {
  /**
   * The ResNet-18 that transfer.dln imports: {@code -Dbench.resnet18} (bench.py exports one into
   * bench/target/onnx when the data folder has none), else the data folder's fixture.
   */
  private static final Path RESNET18 = Path.of(System.getProperty("bench.resnet18",
      Mnist.dataDir().resolve("onnx").resolve("resnet18.onnx").toString())).toAbsolutePath();
  /** Reads allowed under the data directory and the ResNet-18's folder only. */
  private final Dln dln;
  private final INDArray trainX;
  private final INDArray trainY;
  private final INDArray testX;
  private final int[] testLabels;

  /** MNIST: the MLP on flat rows, image networks (the CNN, the residual BN CNN) on 28×28×1. */
  DlnNets(Long seed, Nd4jData data, Path script, boolean images) {
    this(seed, script, images ? data.trainX.reshape(data.trainX.size(0), 28, 28, 1) : data.trainX, data.trainY,
        images ? data.testX.reshape(data.testX.size(0), 28, 28, 1) : data.testX, data.testLabels);
  }

  /** Generated data ({@link Synthetic}): a training set and a test set. */
  DlnNets(Long seed, Path script, Synthetic train, Synthetic test) {
    this(seed, script, train.x, train.y, test.x, test.labels);
  }

  /** seed: DLN's random stream (weight initialisers, fit's shuffles), or null for an unseeded draw. */
  private DlnNets(Long seed, Path script, INDArray trainX, INDArray trainY, INDArray testX, int[] testLabels) {
    Dln.Builder builder = Dln.builder().out(Writer.nullWriter())
        .sandbox(Sandbox.allowRead(Mnist.dataDir()).allowRead(RESNET18.getParent()));
    this.dln = (seed != null ? builder.seed(seed) : builder).build();
    this.trainX = trainX;
    this.trainY = trainY;
    this.testX = testX;
    this.testLabels = testLabels;
    dln.set("data_dir", Mnist.dataDir().toString()); // where a script finds its fixtures
    dln.set("resnet18_onnx", RESNET18.toString()); // transfer.dln's base model
    dln.eval(script);
  }

  @Override
  public double trainEpoch(int n) {
    dln.set("x_epoch", first(trainX, n));
    dln.set("y_epoch", first(trainY, n));
    Object loss = dln.eval("train_epoch(x_epoch, y_epoch)");
    return loss instanceof Number num ? num.doubleValue() : Double.NaN;
  }

  @Override
  public double predict(int n, int batch) {
    dln.set("x_predict", first(testX, n));
    dln.set("predict_batch", (long) batch);
    Object out = dln.eval("predict(x_predict, predict_batch)");
    if (!(out instanceof INDArray probs)) throw new IllegalStateException("predict() returned " + out + ", not a tensor");
    return correct(probs.reshape(n, -1).castTo(DataType.FLOAT), testLabels) / (double) n;
  }

  /**
   * Rows whose arg-max (for one sigmoid unit: p > 0.5) equals the label. The probabilities are read
   * once in bulk and scored in Java: reading 10,000 arg-max indices one {@code getInt} at a time
   * cost 10–20 ms, a sizeable share of the timed 10,000-image inference, where the PyTorch peer
   * scores with two vectorised tensor ops.
   */
  static int correct(INDArray probs, int[] labels) {
    int hits = 0;
    int classes = (int) probs.size(1);
    INDArray plain = probs.dup('c');
    float[] p = new float[(int) plain.length()];
    plain.data().asNioFloat().get(p); // one bulk copy: asFloat() reads value by value
    if (classes == 1) {
      for (int i = 0; i < p.length; i++) if ((p[i] > 0.5f ? 1 : 0) == labels[i]) hits++;
      return hits;
    }
    int rows = p.length / classes;
    for (int r = 0, base = 0; r < rows; r++, base += classes) {
      int best = 0;
      for (int c = 1; c < classes; c++) if (p[base + c] > p[base + best]) best = c;
      if (best == labels[r]) hits++;
    }
    return hits;
  }

  /** The first n samples, as a contiguous copy (a view would share the full array's offset). */
  private static INDArray first(INDArray a, int n) {
    if (n == a.size(0)) return a;
    INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
    idx[0] = NDArrayIndex.interval(0, n);
    for (int i = 1; i < idx.length; i++) idx[i] = NDArrayIndex.all();
    return a.get(idx).dup();
  }
}

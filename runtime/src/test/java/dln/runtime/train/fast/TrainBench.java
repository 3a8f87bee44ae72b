package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.train.FitOptions;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Speed check of the training engines through {@code model.fit} (not a unit test): the Keras MNIST
 * MLP (one epoch of N samples), the Keras MNIST CNN on 6,000 images, a Playground net, the MLP's
 * {@code predict} at batch 1,000, and {@code Nd4j.gemm} GFLOP/s at 128×784×512 as the roofline.
 * Engines run interleaved, rounds repeated, medians printed.
 *
 * <p>Run: {@code java -cp runtime/target/classes:runtime/target/test-classes:$(deps)
 * dln.runtime.train.fast.TrainBench [rounds] [mlpSamples] [cnnSamples] [workloads]}, workloads a
 * comma-separated subset of {@code gemm,mlp,cnn,play,infer,lstm,emb} (default all but infer); with
 * {@code -Ddln.profile=true} the fast engine prints its per-phase step profile at exit.
 */
public final class TrainBench {
  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int mlpN = args.length > 1 ? Integer.parseInt(args[1]) : 60000;
    int cnnN = args.length > 2 ? Integer.parseInt(args[2]) : 6000;
    String which = args.length > 3 ? args[3] : "gemm,mlp,cnn,play";
    System.out.printf("threads: Nd4j %d, OMP_WAIT_POLICY=%s, OMP_NUM_THREADS=%s, cores %d%n",
        Nd4j.getEnvironment().maxMasterThreads(), System.getenv("OMP_WAIT_POLICY"), System.getenv("OMP_NUM_THREADS"),
        Runtime.getRuntime().availableProcessors());
    Path data = Path.of(System.getenv().getOrDefault("DLN_DATA", "../shared/data"), "mnist");
    if (which.contains("gemm")) gemm(rounds);
    INDArray images = null;
    INDArray labels = null;
    if (which.contains("mlp") || which.contains("cnn") || which.contains("infer")) {
      images = readImages(data.resolve("train-images-idx3-ubyte.gz"), Math.max(mlpN, cnnN));
      labels = oneHot(readLabels(data.resolve("train-labels-idx1-ubyte.gz"), Math.max(mlpN, cnnN)));
    }
    List<String> engines = List.of(System.getProperty("bench.engines", "samediff,fast").split(","));
    if (which.contains("mlp")) {
      INDArray x = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, mlpN)).reshape(mlpN, 784).dup();
      INDArray y = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, mlpN)).dup();
      compare("MLP 784-512-512-10 (samples/s, one epoch of " + mlpN + ")", engines, rounds, e -> {
        Model m = new Sequential(List.of(Input.of(784), new Dense(512, "relu"), new Dropout(0.2), new Dense(512, "relu"),
            new Dropout(0.2), new Dense(10, "softmax")));
        return fitRate(m, e, x, y, 128);
      });
    }
    if (which.contains("infer")) {
      INDArray x = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, mlpN)).reshape(mlpN, 784).dup();
      compare("MLP inference (samples/s, " + mlpN + " at batch 1,000)", engines, rounds, e -> {
        Model m = new Sequential(List.of(Input.of(784), new Dense(512, "relu"), new Dropout(0.2), new Dense(512, "relu"),
            new Dropout(0.2), new Dense(10, "softmax")));
        TrainingSession.of(m).compile("adam", "categorical_crossentropy");
        setEngine(m, e);
        TrainingSession.of(m).predict(x, 1000); // warm-up
        double best = 0;
        for (int k = 0; k < 3; k++) {
          long t = System.nanoTime();
          TrainingSession.of(m).predict(x, 1000);
          best = Math.max(best, mlpN / ((System.nanoTime() - t) / 1e9));
        }
        return best;
      });
    }
    if (which.contains("cnn")) {
      INDArray x = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, cnnN)).reshape(cnnN, 28, 28, 1).dup();
      INDArray y = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, cnnN)).dup();
      compare("CNN 32c3-64c3-pool-128 (samples/s, one epoch of " + cnnN + ")", engines, rounds, e -> {
        Model m = new Sequential(List.of(Input.of(28, 28, 1), new Conv2D(32, 3, "relu"), new Conv2D(64, 3, "relu"),
            new MaxPooling2D(2), new Dropout(0.25), new Flatten(), new Dense(128, "relu"), new Dropout(0.5),
            new Dense(10, "softmax")));
        return fitRate(m, e, x, y, 128);
      });
    }
    if (which.contains("lstm")) {
      // Issue 15's workloads: LSTM(64) over 20 steps x 8 features, and Embedding(10,000, 64) ->
      // LSTM(64) over 100 random tokens, each then Dense(1, sigmoid); one epoch at batch 64.
      Rng.seed(4);
      int n = Integer.getInteger("bench.seqSamples", 8192);
      INDArray x = Rng.normal(new long[] {n, 20, 8}, 0, 1);
      INDArray y = x.sum(1, 2).gt(0).castTo(DataType.FLOAT).reshape(n, 1);
      compare("LSTM(64) 20x8 -> Dense(1), batch 64 (samples/s, one epoch of " + n + ")", engines, rounds, e -> fitRate(
          new Sequential(List.of(Input.of(20, 8), new LSTM(64, false), new Dense(1, "sigmoid"))), e, x, y, 64,
          "binary_crossentropy"));
    }
    if (which.contains("emb")) {
      Rng.seed(5);
      int n = Integer.getInteger("bench.seqSamples", 8192);
      float[][] tokens = new float[n][100];
      for (float[] row : tokens) for (int t = 0; t < 100; t++) row[t] = Rng.current().nextInt(10000);
      INDArray x = Nd4j.createFromArray(tokens);
      INDArray y = Rng.normal(new long[] {n, 1}, 0, 1).gt(0).castTo(DataType.FLOAT);
      compare("Embedding(10000,64) -> LSTM(64) over 100 tokens -> Dense(1), batch 64 (samples/s, one epoch of " + n + ")",
          engines, rounds, e -> fitRate(new Sequential(List.of(Input.of(100), new Embedding(10000, 64), new LSTM(64, false),
              new Dense(1, "sigmoid"))), e, x, y, 64, "binary_crossentropy"));
    }
    if (which.contains("resnet")) {
      // bench/dln/resnet.dln's network on random 32x32x3 images, batch 128 (ms per step).
      Rng.seed(6);
      int n = Integer.getInteger("bench.resnetSamples", 1280);
      INDArray x = Rng.normal(new long[] {n, 32, 32, 3}, 0, 1);
      INDArray y = oneHot(randomLabels(n, 10));
      compare("ResNet 3 stages 32x32x3, batch 128 (ms/step, one epoch of " + n + ")", engines, rounds, e -> {
        double rate = fitRate(resnet(), e, x, y, 128);
        return 128 * 1000 / rate;
      });
    }
    if (which.contains("play")) {
      Rng.seed(3);
      INDArray x = Rng.normal(new long[] {200, 2}, 0, 1);
      INDArray y = x.getColumn(0).mul(x.getColumn(1)).gt(0).castTo(DataType.FLOAT).reshape(200, 1);
      compare("Playground 2-16-16-8-1 tanh, batch 16 (ms/step)", engines, rounds, e -> {
        Model m = new Sequential(List.of(Input.of(2), new Dense(16, "tanh"), new Dense(16, "tanh"), new Dense(8, "tanh"),
            new Dense(1, "sigmoid")));
        TrainingSession.of(m).compile("adam", "binary_crossentropy", "accuracy");
        setEngine(m, e);
        TrainingSession.of(m).fit(x, y, new FitOptions().epochs(3).batchSize(16)); // warm-up
        long t = System.nanoTime();
        long cpu = cpuNanos();
        int epochs = 20;
        TrainingSession.of(m).fit(x, y, new FitOptions().epochs(epochs).batchSize(16));
        System.out.printf("    (%s: %.2f CPU-ms/step)%n", e, (cpuNanos() - cpu) / 1e6 / (epochs * 13.0));
        return (System.nanoTime() - t) / 1e6 / (epochs * 13.0);
      });
    }
  }

  /** bench/dln/resnet.dln: 3 residual stages (16, 32/2, 64/2), BN momentum 0.5, global average pooling, Dense 10 softmax. */
  static Model resnet() {
    SymbolicTensor in = Input.of(32, 32, 3);
    SymbolicTensor h = new Activation("relu").apply(bn().apply(conv(16, 3, 1, "same").apply(in)));
    h = stage(h, 16, 1);
    h = stage(h, 32, 2);
    h = stage(h, 64, 2);
    return new Model(in, new Dense(10, "softmax").apply(new GlobalAveragePooling2D().apply(h)));
  }

  private static SymbolicTensor stage(SymbolicTensor x, int filters, int stride) {
    SymbolicTensor h = new Activation("relu").apply(bn().apply(conv(filters, 3, stride, "same").apply(x)));
    h = bn().apply(conv(filters, 3, 1, "same").apply(h));
    SymbolicTensor shortcut = stride != 1 ? conv(filters, 1, stride, "valid").apply(x) : x;
    return new Activation("relu").apply(new Add().apply(List.of(h, shortcut)).get(0));
  }

  private static Conv2D conv(int filters, int k, int stride, String padding) {
    return new Conv2D(new Conv2D.Config(filters, new int[] {k, k}, new int[] {stride, stride}, padding, "linear", true,
        "glorot_uniform", "zeros", null), null);
  }

  private static BatchNormalization bn() {
    return new BatchNormalization(new BatchNormalization.Config(0.5, 0.001, true, true), null);
  }

  private static int[] randomLabels(int n, int classes) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) l[i] = Rng.current().nextInt(classes);
    return l;
  }

  interface Run {
    double run(String engine);
  }

  private static void compare(String title, List<String> engines, int rounds, Run run) {
    double[][] r = new double[engines.size()][rounds];
    for (int k = 0; k < rounds; k++) {
      for (int e = 0; e < engines.size(); e++) {
        r[e][k] = run.run(engines.get(e));
        System.out.printf("  %s round %d %s: %.1f%n", title.split(" ")[0], k + 1, engines.get(e), r[e][k]);
      }
    }
    System.out.println(title);
    for (int e = 0; e < engines.size(); e++) {
      double[] v = r[e].clone();
      Arrays.sort(v);
      System.out.printf("  %-9s median %10.1f   (all %s)%n", engines.get(e), v[v.length / 2], Arrays.toString(r[e]));
    }
  }

  private static void setEngine(Model m, String engine) {
    TrainingEngine.Factory f = engine.equals("samediff") ? SameDiffEngine::new : FastEngine::create;
    TrainingSession.of(m).setEngineFactory(f);
    if (engine.equals("fast") && !(TrainingSession.of(m).engine() instanceof FastEngine)) throw new IllegalStateException("not on the fast engine");
  }

  /** Samples per second of one epoch after a short warm-up epoch. */
  private static double fitRate(Model m, String engine, INDArray x, INDArray y, int batch) {
    return fitRate(m, engine, x, y, batch, "categorical_crossentropy");
  }

  private static double fitRate(Model m, String engine, INDArray x, INDArray y, int batch, String loss) {
    TrainingSession.of(m).compile("adam", loss, "accuracy");
    setEngine(m, engine);
    long warm = Math.min(x.size(0), 20L * batch);
    TrainingSession.of(m).fit(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, warm)), y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, warm)),
        new FitOptions().epochs(1).batchSize(batch));
    long t = System.nanoTime();
    long cpu = cpuNanos();
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(1).batchSize(batch));
    double wall = (System.nanoTime() - t) / 1e9;
    System.out.printf("    (%s: %.0f samples per CPU-second, CPU/wall %.2f)%n", engine, x.size(0) / ((cpuNanos() - cpu) / 1e9),
        (cpuNanos() - cpu) / 1e9 / wall);
    return x.size(0) / wall;
  }

  /** CPU time of the whole process (all threads): a steadier measure than wall time on a loaded machine. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void gemm(int rounds) {
    INDArray a = Nd4j.rand(DataType.FLOAT, 128, 784);
    INDArray b = Nd4j.rand(DataType.FLOAT, 784, 512);
    INDArray c = Nd4j.create(DataType.FLOAT, 128, 512);
    List<Double> rates = new ArrayList<>();
    for (int k = 0; k < rounds; k++) {
      for (int i = 0; i < 50; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      int n = 400;
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      double s = (System.nanoTime() - t) / 1e9;
      rates.add(2.0 * 128 * 784 * 512 * n / s / 1e9);
    }
    List<Double> sorted = new ArrayList<>(rates);
    sorted.sort(null);
    System.out.printf("Nd4j.gemm 128x784x512: median %.1f GFLOP/s (all %s)%n", sorted.get(sorted.size() / 2), rates);
  }

  static INDArray readImages(Path p, int limit) throws IOException {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(p), 1 << 16))) {
      in.readInt();
      int n = Math.min(limit, in.readInt());
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] raw = new byte[n * rows * cols];
      in.readFully(raw);
      float[] v = new float[raw.length];
      for (int i = 0; i < v.length; i++) v[i] = (raw[i] & 0xff) / 255f;
      return Nd4j.createFromArray(v).reshape(n, rows, cols);
    }
  }

  static int[] readLabels(Path p, int limit) throws IOException {
    try (InputStream raw = new GZIPInputStream(Files.newInputStream(p)); DataInputStream in = new DataInputStream(raw)) {
      in.readInt();
      int n = Math.min(limit, in.readInt());
      int[] out = new int[n];
      for (int i = 0; i < n; i++) out[i] = in.readUnsignedByte();
      return out;
    }
  }

  private static INDArray oneHot(int[] labels) {
    float[] v = new float[labels.length * 10];
    for (int i = 0; i < labels.length; i++) v[i * 10 + labels[i]] = 1f;
    return Nd4j.createFromArray(v).reshape(labels.length, 10);
  }
}

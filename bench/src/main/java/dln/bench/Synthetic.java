package dln.bench;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generated data for issue 15's workloads that have no data set of their own (bench/py/torch_graphs.py
 * has a generator by the same rules, with other draws, for when it runs without --data):
 * <ul>
 *   <li>images 32×32×3: uniform noise in [0, 1); class k (0..9) brightens channel {@code k % 3}
 *       by {@code 0.1·(k + 1)}; labels one-hot;
 *   <li>sequences 20×8: uniform in [−1, 1); label 1 when the first feature sums above 0;
 *   <li>tokens, length 100, uniform in 0..9,999; label 1 when the last token is below 5,000.
 * </ul>
 * The labels are learnable, so the accuracy after training is a sanity check, not a figure.
 * {@link SyntheticData} writes these very arrays as .npy files for the PyTorch peer, so both peers
 * train and test on the same data.
 */
final class Synthetic {
  final INDArray x;
  final INDArray y;
  final int[] labels;

  private Synthetic(INDArray x, INDArray y, int[] labels) {
    this.x = x;
    this.y = y;
    this.labels = labels;
  }

  /** Seeds of the training and the test set (the same for every workload, as both peers draw them). */
  static final long TRAIN_SEED = 1;
  static final long TEST_SEED = 2;

  /** Names of the workloads whose data are generated here (the others train on MNIST). */
  static final List<String> NETS = List.of("resnet", "inception", "lstm", "gru", "emb", "transfer");

  /** The data set of a generated-data workload: n samples drawn from {@code seed}. */
  static Synthetic of(String net, int n, long seed) {
    return switch (net) {
      case "resnet", "inception" -> images(n, seed);
      case "transfer" -> images(n, seed, 224);
      case "lstm", "gru" -> sequences(n, seed);
      case "emb" -> tokens(n, seed);
      default -> throw new IllegalArgumentException("no generated data for '" + net + "' (" + String.join(", ", NETS) + ")");
    };
  }

  /** n images 32×32×3 (channels-last) with one-hot labels over 10 classes. */
  static Synthetic images(int n, long seed) {
    return images(n, seed, 32);
  }

  /** n images side×side×3 by the same rule (the transfer-learning workload's 224×224). */
  static Synthetic images(int n, long seed, int side) {
    Random r = new Random(seed);
    int pixels = side * side * 3;
    float[] x = new float[n * pixels];
    float[] y = new float[n * 10];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(10);
      labels[i] = k;
      y[i * 10 + k] = 1f;
      for (int p = 0; p < pixels; p++) x[i * pixels + p] = r.nextFloat() + (p % 3 == k % 3 ? 0.1f * (k + 1) : 0f);
    }
    return new Synthetic(Nd4j.create(x, new long[] {n, side, side, 3}, DataType.FLOAT),
        Nd4j.create(y, new long[] {n, 10}, DataType.FLOAT), labels);
  }

  /** n sequences of 20 steps × 8 features with a binary label (column). */
  static Synthetic sequences(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 160];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int t = 0; t < 20; t++) {
        for (int f = 0; f < 8; f++) {
          float v = 2 * r.nextFloat() - 1;
          x[i * 160 + t * 8 + f] = v;
          if (f == 0) sum += v;
        }
      }
      labels[i] = sum > 0 ? 1 : 0;
    }
    return new Synthetic(Nd4j.create(x, new long[] {n, 20, 8}, DataType.FLOAT), column(labels), labels);
  }

  /** n sequences of 100 token indices (as floats, which Embedding reads) with a binary label. */
  static Synthetic tokens(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 100];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 100; t++) x[i * 100 + t] = r.nextInt(10000);
      labels[i] = x[i * 100 + 99] < 5000 ? 1 : 0;
    }
    return new Synthetic(Nd4j.create(x, new long[] {n, 100}, DataType.FLOAT), column(labels), labels);
  }

  private static INDArray column(int[] labels) {
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) y[i] = labels[i];
    return Nd4j.create(y, new long[] {labels.length, 1}, DataType.FLOAT);
  }
}

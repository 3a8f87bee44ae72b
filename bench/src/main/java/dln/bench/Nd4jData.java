package dln.bench;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MNIST as ND4J arrays for the SameDiff and DL4J peers, plus shuffled batch gathering. */
final class Nd4jData {
  final INDArray trainX;
  final INDArray trainY;
  final INDArray testX;
  final int[] testLabels;
  private final Random random = new Random(42);

  Nd4jData(Mnist m) {
    trainX = Nd4j.create(m.trainX, new long[] {m.trainSize(), Mnist.PIXELS}, DataType.FLOAT);
    trainY = oneHot(m.trainY);
    testX = Nd4j.create(m.testX, new long[] {m.testSize(), Mnist.PIXELS}, DataType.FLOAT);
    testLabels = m.testY;
  }

  static INDArray oneHot(int[] labels) {
    float[] y = new float[labels.length * Mnist.CLASSES];
    for (int i = 0; i < labels.length; i++) y[i * Mnist.CLASSES + labels[i]] = 1f;
    return Nd4j.create(y, new long[] {labels.length, Mnist.CLASSES}, DataType.FLOAT);
  }

  /** A fresh permutation of 0..n-1 (Fisher–Yates), as Keras shuffles each epoch. */
  int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Rows {@code perm[from..to)} of a 2-D array, gathered natively. */
  static INDArray rows(INDArray source, int[] perm, int from, int to) {
    int[] idx = java.util.Arrays.copyOfRange(perm, from, to);
    return Nd4j.pullRows(source, 1, idx);
  }

  /** Counts rows whose arg-max equals the label, starting at test sample {@code offset}. */
  int correct(INDArray probabilities, int offset) {
    INDArray arg = probabilities.argMax(1);
    int hits = 0;
    for (int i = 0; i < arg.length(); i++) if (arg.getInt(i) == testLabels[offset + i]) hits++;
    return hits;
  }
}

package dln.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST from the IDX gz files in {@code $DLN_DATA/mnist}, as plain Java arrays so that every peer
 * starts from the same bytes and converts them into its own tensor format outside the timed region.
 * Pixels are scaled to [0, 1], like the Keras example.
 */
public final class Mnist {
  public static final int PIXELS = 28 * 28;
  public static final int CLASSES = 10;

  public final float[] trainX;
  public final int[] trainY;
  public final float[] testX;
  public final int[] testY;

  private Mnist(float[] trainX, int[] trainY, float[] testX, int[] testY) {
    this.trainX = trainX;
    this.trainY = trainY;
    this.testX = testX;
    this.testY = testY;
  }

  public int trainSize() {
    return trainY.length;
  }

  public int testSize() {
    return testY.length;
  }

  /** Reads the four MNIST files from {@code dataDir/mnist}. */
  public static Mnist load(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("mnist");
    return new Mnist(
        images(dir.resolve("train-images-idx3-ubyte.gz")),
        labels(dir.resolve("train-labels-idx1-ubyte.gz")),
        images(dir.resolve("t10k-images-idx3-ubyte.gz")),
        labels(dir.resolve("t10k-labels-idx1-ubyte.gz")));
  }

  /** The data directory: $DLN_DATA, else ../shared/data next to the repository. */
  public static Path dataDir() {
    String env = System.getenv("DLN_DATA");
    if (env != null && !env.isBlank()) return Path.of(env);
    return Path.of("..", "shared", "data");
  }

  private static float[] images(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != 2051) throw new IOException(file + ": not an IDX image file (magic " + magic + ")");
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] raw = in.readNBytes(n * rows * cols);
      float[] out = new float[raw.length];
      for (int i = 0; i < raw.length; i++) out[i] = (raw[i] & 0xff) / 255f;
      return out;
    }
  }

  private static int[] labels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != 2049) throw new IOException(file + ": not an IDX label file (magic " + magic + ")");
      int n = in.readInt();
      byte[] raw = in.readNBytes(n);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) out[i] = raw[i] & 0xff;
      return out;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }
}

package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dln.runtime.DlnRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageDatasetsTest {
  @TempDir Path tmp;

  private static TrainTest mnist(LoadOptions o) {
    return ImageDatasets.load(ImageDataset.MNIST, o, TestData.locations(), DownloadProgress.NONE);
  }

  @Test
  void mnistDefaultsMatchKeras() {
    TrainTest d = mnist(LoadOptions.DEFAULT);
    assertArrayEquals(new long[] {60000, 28, 28}, d.train().x().shape());
    assertArrayEquals(new long[] {60000}, d.train().y().shape());
    assertArrayEquals(new long[] {10000, 28, 28}, d.test().x().shape());
    assertArrayEquals(new long[] {10000}, d.test().y().shape());
    assertEquals(DataType.FLOAT, d.train().x().dataType());
    assertEquals(DataType.FLOAT, d.train().y().dataType());
    assertArrayEquals(new float[] {5, 0, 4, 1, 9}, d.train().y().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).toFloatVector());
    // Raw pixel values, 0..255, as Keras's uint8 (first image, row 14 crosses the "5" stroke).
    assertEquals(0.0, d.train().x().minNumber().doubleValue());
    assertEquals(255.0, d.train().x().maxNumber().doubleValue());
    INDArray first = d.train().x().slice(0);
    float[] row = first.getRow(14).toFloatVector();
    for (float v : row) assertEquals(Math.rint(v), v, "pixels are whole numbers");
    // Mean pixel value of the MNIST training set is 33.318 (the well-known 0.1307 * 255).
    double sum = 0;
    for (float v : d.train().x().data().asFloat()) sum += v; // summed in double: float32 sums drift
    assertEquals(33.318, sum / (60000.0 * 784), 0.001);
  }

  @Test
  void optionsChangeTheLayout() {
    TrainTest flat = mnist(LoadOptions.DEFAULT.withFlat(true).withNormalize(true).withOneHot(true).withLimit(100));
    assertArrayEquals(new long[] {100, 784}, flat.train().x().shape());
    assertArrayEquals(new long[] {100, 10}, flat.train().y().shape());
    assertArrayEquals(new long[] {100, 784}, flat.test().x().shape());
    assertEquals(1.0, flat.train().x().maxNumber().doubleValue(), 1e-7);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, flat.train().y().getRow(0).toFloatVector());
    assertEquals(100.0, flat.train().y().sumNumber().doubleValue());

    TrainTest raw = mnist(LoadOptions.DEFAULT.withLimit(100));
    TrainTest ch = mnist(LoadOptions.DEFAULT.withChannels(true).withLimit(100));
    assertArrayEquals(new long[] {100, 28, 28, 1}, ch.train().x().shape());
    // Same pixels in every layout: normalized = raw / 255.
    assertEquals(raw.train().x().getFloat(0, 14, 10) / 255f, flat.train().x().getFloat(0, 14 * 28 + 10), 0f);
    assertEquals(raw.train().x().getFloat(7, 9, 20), ch.train().x().getFloat(7, 9, 20, 0), 0f);

    TrainTest big = mnist(LoadOptions.DEFAULT.withLimit(20000));
    assertEquals(20000, big.train().x().size(0));
    assertEquals(10000, big.test().x().size(0), "a limit above the split size keeps the whole split");
  }

  @Test
  void flatAndChannelsConflict() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> LoadOptions.DEFAULT.withFlat(true).withChannels(true));
    assertEquals("flat=true and channels=true cannot be combined: flat gives [n, 784], channels gives [n, 28, 28, 1]", e.getMessage());
  }

  @Test
  void fashionMnistHasBalancedClasses() {
    TrainTest d = ImageDatasets.load(ImageDataset.FASHION_MNIST, LoadOptions.DEFAULT.withOneHot(true), TestData.locations(), DownloadProgress.NONE);
    assertArrayEquals(new long[] {60000, 10}, d.train().y().shape());
    assertArrayEquals(new float[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, d.train().y().sum(0).toFloatVector());
    assertArrayEquals(new float[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, d.test().y().sum(0).toFloatVector());
    assertEquals("Ankle boot", ImageDataset.FASHION_MNIST.classNames().get(9));
  }

  /**
   * The byte cache gives the same data as reading the gzip files. The load times are printed for
   * the record, not asserted: timings on a shared machine belong to the benchmarks.
   */
  @Test
  void byteCacheGivesTheSameImagesAsTheFiles() {
    ImageDatasets.clearCache();
    long t0 = System.nanoTime();
    var cold = mnist(LoadOptions.DEFAULT.withFlat(true).withNormalize(true));
    long coldNs = System.nanoTime() - t0;
    t0 = System.nanoTime();
    var cached = mnist(LoadOptions.DEFAULT.withFlat(true).withNormalize(true));
    long cachedNs = System.nanoTime() - t0;
    System.out.printf("mnist() load: %.0f ms reading the gzip files, %.0f ms from the byte cache%n", coldNs / 1e6, cachedNs / 1e6);
    assertEquals(cold.train().x(), cached.train().x());
    assertEquals(cold.test().y(), cached.test().y());
  }

  @Test
  void lookupOrderIsDataDirThenHomeCache() throws IOException {
    Path home = tmp.resolve("home");
    Path cache = home.resolve(".dln/datasets/mnist");
    Files.createDirectories(cache);
    copyMnist(cache);
    DataLocations onlyHome = DataLocations.of(Map.of(), home).withoutDownloads();
    assertEquals(cache.resolve("train-images-idx3-ubyte.gz"),
        onlyHome.find(ImageDataset.MNIST, ImageDataset.MNIST.trainImages()).orElseThrow());
    DataLocations both = DataLocations.of(Map.of("DLN_DATA", TestData.dir().toString()), home);
    assertEquals(TestData.dir().resolve("mnist/train-images-idx3-ubyte.gz"),
        both.find(ImageDataset.MNIST, ImageDataset.MNIST.trainImages()).orElseThrow());
    assertEquals(10, ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT.withLimit(10), onlyHome, DownloadProgress.NONE).train().x().size(0));
  }

  @Test
  void missingFilesWithoutDownloadsSayWhatToPutWhere() {
    Path home = tmp.resolve("home");
    DataLocations none = DataLocations.of(Map.of(), home).withoutDownloads();
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> ImageDatasets.load(ImageDataset.FASHION_MNIST, LoadOptions.DEFAULT, none, DownloadProgress.NONE));
    assertEquals("Fashion-MNIST is not available: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz were not found in $DLN_DATA/fashion-mnist ($DLN_DATA is not set) and "
        + home.resolve(".dln/datasets/fashion-mnist") + ", and downloads are switched off", e.getMessage());
    assertEquals("download them from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/ and put them in "
        + home.resolve(".dln/datasets/fashion-mnist") + " (or set DLN_DATA to a folder holding fashion-mnist/)", e.hint());
  }

  @Test
  void offlineDownloadSaysWhatToPutWhere() throws IOException {
    Path home = tmp.resolve("home");
    // A port nothing listens on: connection refused, as when offline.
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    DataLocations offline = DataLocations.of(Map.of(), home).withMirror(URI.create("http://127.0.0.1:" + port + "/mnist/"));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT, offline, DownloadProgress.NONE));
    assertTrue(e.getMessage().startsWith("MNIST is not available: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz were not found in $DLN_DATA/mnist ($DLN_DATA is not set) and "
        + home.resolve(".dln/datasets/mnist") + ", and downloading train-images-idx3-ubyte.gz from http://127.0.0.1:" + port
        + "/mnist/ failed (ConnectException"), e.getMessage());
    assertEquals("download them from http://127.0.0.1:" + port + "/mnist/ and put them in " + home.resolve(".dln/datasets/mnist")
        + " (or set DLN_DATA to a folder holding mnist/)", e.hint());
    assertFalse(Files.exists(home.resolve(".dln/datasets/mnist/train-images-idx3-ubyte.gz")));
  }

  @Test
  void downloadsVerifiesAndCaches() throws IOException {
    Path home = tmp.resolve("home");
    HttpServer server = serve(TestData.dir().resolve("mnist"), null);
    try {
      DataLocations net = DataLocations.of(Map.of(), home).withMirror(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
      List<String> seen = new ArrayList<>();
      long[] last = new long[2];
      TrainTest d = ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT.withLimit(5), net, (file, done, total) -> {
        if (!seen.contains(file)) seen.add(file);
        last[0] = done;
        last[1] = total;
      });
      assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"), seen);
      assertEquals(4542, last[0]);
      assertEquals(4542, last[1]);
      assertArrayEquals(new float[] {5, 0, 4, 1, 9}, d.train().y().toFloatVector());
      Path cache = home.resolve(".dln/datasets/mnist");
      assertEquals("f68b3c2dcbeaaa9fbdd348bbdeb94873", Downloader.md5(cache.resolve("train-images-idx3-ubyte.gz")));
      try (var files = Files.list(cache)) {
        assertEquals(4, files.count(), "no .part files left behind");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void downloadFailingItsChecksumIsRejected() throws IOException {
    Path home = tmp.resolve("home");
    HttpServer server = serve(TestData.dir().resolve("mnist"), "t10k-labels-idx1-ubyte.gz");
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
      DataLocations net = DataLocations.of(Map.of(), home).withMirror(URI.create(base));
      DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
          () -> ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT, net, DownloadProgress.NONE));
      assertTrue(e.getMessage().startsWith("the download of " + base + "t10k-labels-idx1-ubyte.gz is corrupt: its md5 is "), e.getMessage());
      assertTrue(e.getMessage().endsWith(", expected ec29112dd5afa0611ce80d1b7f02629c; the file was discarded"), e.getMessage());
      Path cache = home.resolve(".dln/datasets/mnist");
      assertFalse(Files.exists(cache.resolve("t10k-labels-idx1-ubyte.gz")));
      assertFalse(Files.exists(cache.resolve("t10k-labels-idx1-ubyte.gz.part")));
      assertTrue(Files.exists(cache.resolve("t10k-images-idx3-ubyte.gz")), "good files are kept");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void cancellingADownloadLeavesNothing() throws IOException {
    Path home = tmp.resolve("home");
    HttpServer server = serve(TestData.dir().resolve("mnist"), null);
    try {
      DataLocations net = DataLocations.of(Map.of(), home).withMirror(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
      RuntimeException cancel = new RuntimeException("interrupted");
      RuntimeException e = assertThrows(RuntimeException.class, () -> ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT, net,
          (file, done, total) -> {
            if (done > 1_000_000) throw cancel;
          }));
      assertEquals(cancel, e);
      try (var files = Files.list(home.resolve(".dln/datasets/mnist"))) {
        assertEquals(0, files.count());
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void imagesAndLabelsCountsMustAgree() throws IOException {
    Path dir = tmp.resolve("data/mnist");
    Files.createDirectories(dir);
    copyMnist(dir);
    Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
    Files.write(labels, IdxReaderTest.gzip(IdxReaderTest.idx(new int[] {3}, new byte[] {1, 2, 3})));
    DataLocations where = DataLocations.of(Map.of("DLN_DATA", tmp.resolve("data").toString()), null);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT, where, DownloadProgress.NONE));
    assertEquals("MNIST files disagree: " + dir.resolve("t10k-images-idx3-ubyte.gz") + " holds 10000 images but " + labels + " holds 3 labels",
        e.getMessage());
    Files.write(labels, IdxReaderTest.idx(new int[] {10000}, filled(10000, (byte) 10)));
    Files.move(labels, dir.resolve("t10k-labels-idx1-ubyte"));
    Path plain = dir.resolve("t10k-labels-idx1-ubyte");
    e = assertThrows(DlnRuntimeException.class, () -> ImageDatasets.load(ImageDataset.MNIST, LoadOptions.DEFAULT, where, DownloadProgress.NONE));
    assertEquals("cannot load " + plain + ": label 10 at index 0 is not a class (0..9)", e.getMessage());
  }

  private static byte[] filled(int n, byte v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, v);
    return b;
  }

  private static void copyMnist(Path to) throws IOException {
    for (ImageDataset.DataFile f : ImageDataset.MNIST.files()) {
      Files.copy(TestData.dir().resolve("mnist").resolve(f.name()), to.resolve(f.name()));
    }
  }

  /** Serves the files of {@code dir}; {@code spoil} names one file whose bytes are altered. */
  private static HttpServer serve(Path dir, String spoil) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String name = ex.getRequestURI().getPath().substring(1);
      Path p = dir.resolve(name);
      if (!Files.isRegularFile(p)) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      byte[] body = Files.readAllBytes(p);
      if (name.equals(spoil)) body[body.length / 2] ^= 1;
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }
}

package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads MNIST and Fashion-MNIST as Keras does: {@code (x_train, y_train), (x_test, y_test)}.
 *
 * <p>Files are looked up through {@link DataLocations}; missing files are downloaded (md5-checked)
 * when allowed. Every file is fully read and checked by {@link IdxReader} before any tensor is
 * built. Decoded bytes are kept in a soft cache keyed by file, size and modification time, so a
 * second {@code mnist()} in the same session only pays for building the float tensors.
 */
public final class ImageDatasets {
  private static final Map<CacheKey, SoftReference<IdxArray>> CACHE = new ConcurrentHashMap<>();

  private record CacheKey(Path path, long size, long modified) {}

  private ImageDatasets() {}

  /** MNIST with the system's data locations (downloads allowed) and no progress output. */
  public static TrainTest mnist(LoadOptions options) {
    return load(ImageDataset.MNIST, options, DataLocations.system(), DownloadProgress.NONE);
  }

  /** Fashion-MNIST with the system's data locations (downloads allowed) and no progress output. */
  public static TrainTest fashionMnist(LoadOptions options) {
    return load(ImageDataset.FASHION_MNIST, options, DataLocations.system(), DownloadProgress.NONE);
  }

  /** Loads {@code ds}: finds (or downloads) its four files, checks them, and builds the tensors. */
  public static TrainTest load(ImageDataset ds, LoadOptions options, DataLocations where, DownloadProgress progress) {
    Map<ImageDataset.DataFile, Path> files = locate(ds, where, progress);
    Runnable checkpoint = progress::reading;
    XY train = split(ds, files.get(ds.trainImages()), files.get(ds.trainLabels()), options, checkpoint);
    XY test = split(ds, files.get(ds.testImages()), files.get(ds.testLabels()), options, checkpoint);
    return new TrainTest(train, test);
  }

  /** The paths of the four files, downloading missing ones when allowed. */
  static Map<ImageDataset.DataFile, Path> locate(ImageDataset ds, DataLocations where, DownloadProgress progress) {
    Map<ImageDataset.DataFile, Path> found = new LinkedHashMap<>();
    List<ImageDataset.DataFile> missing = new ArrayList<>();
    for (ImageDataset.DataFile f : ds.files()) {
      Optional<Path> p = where.find(ds, f);
      if (p.isPresent()) found.put(f, p.get());
      else missing.add(f);
    }
    if (missing.isEmpty()) return found;
    if (!where.downloadsAllowed()) {
      throw notFound(ds, where, missing, "downloads are switched off");
    }
    Path cache = where.cacheFolder(ds);
    for (ImageDataset.DataFile f : missing) {
      try {
        found.put(f, Downloader.download(where.mirror(ds).resolve(f.name()), cache.resolve(f.name()), f.md5(), progress));
      } catch (Downloader.Unreachable e) {
        throw notFound(ds, where, missing, "downloading " + f.name() + " from " + where.mirror(ds) + " failed (" + e.getMessage() + ")");
      }
    }
    return found;
  }

  private static DlnRuntimeException notFound(ImageDataset ds, DataLocations where, List<ImageDataset.DataFile> missing, String why) {
    List<String> names = new ArrayList<>();
    for (ImageDataset.DataFile f : missing) names.add(f.name());
    Path target = where.cacheFolder(ds);
    String put = target != null ? target.toString() : "$" + DataLocations.ENV + "/" + ds.folder();
    return DlnRuntimeException.io(ds.title() + " is not available: " + String.join(", ", names)
            + (missing.size() == 1 ? " was" : " were") + " not found in " + where.describeSearch(ds) + ", and " + why,
        "download " + (missing.size() == 1 ? "it" : "them") + " from " + where.mirror(ds) + " and put "
            + (missing.size() == 1 ? "it" : "them") + " in " + put + " (or set " + DataLocations.ENV
            + " to a folder holding " + ds.folder() + "/)");
  }

  /** One split: reads images and labels, checks they agree, and builds the tensors. */
  static XY split(ImageDataset ds, Path imagesFile, Path labelsFile, LoadOptions o, Runnable checkpoint) {
    IdxArray images = cached(imagesFile, checkpoint);
    IdxArray labels = cached(labelsFile, checkpoint);
    int[] dims = images.dims();
    if (dims.length != 3) {
      throw IdxReader.corrupt(imagesFile, "an images file needs 3 dimensions [count, rows, cols], this one has " + dims.length);
    }
    if (labels.dims().length != 1) {
      throw IdxReader.corrupt(labelsFile, "a labels file needs 1 dimension [count], this one has " + labels.dims().length);
    }
    if (images.count() != labels.count()) {
      throw DlnRuntimeException.io(ds.title() + " files disagree: " + imagesFile + " holds " + images.count()
          + " images but " + labelsFile + " holds " + labels.count() + " labels", "replace both files with the originals");
    }
    int n = o.limit() > 0 ? Math.min(o.limit(), images.count()) : images.count();
    int classes = ds.classNames().size();
    return new XY(imageTensor(images, n, o), labelTensor(labels, labelsFile, n, classes, o.oneHot()));
  }

  private static INDArray imageTensor(IdxArray images, int n, LoadOptions o) {
    int rows = images.dims()[1];
    int cols = images.dims()[2];
    int size = rows * cols;
    float[] table = new float[256];
    for (int v = 0; v < 256; v++) table[v] = o.normalize() ? v / 255f : v;
    long[] shape = o.flat() ? new long[] {n, size}
        : o.channels() ? new long[] {n, rows, cols, 1} : new long[] {n, rows, cols};
    // The floats are written straight into the tensor's off-heap buffer, a chunk at a time:
    // building a 188 MB float[] first and letting Nd4j.create copy it costs twice the time.
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    FloatBuffer target = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    byte[] src = images.data();
    int total = Math.multiplyExact(n, size);
    float[] chunk = new float[1 << 14];
    for (int off = 0; off < total; off += chunk.length) {
      int len = Math.min(chunk.length, total - off);
      for (int i = 0; i < len; i++) chunk[i] = table[src[off + i] & 0xff];
      target.put(chunk, 0, len);
    }
    return out;
  }

  private static INDArray labelTensor(IdxArray labels, Path file, int n, int classes, boolean oneHot) {
    byte[] src = labels.data();
    // Every label is checked, not only the first n: a bad file is rejected whatever the limit.
    for (int i = 0; i < src.length; i++) {
      if ((src[i] & 0xff) >= classes) {
        throw IdxReader.corrupt(file, "label " + (src[i] & 0xff) + " at index " + i + " is not a class (0.." + (classes - 1) + ")");
      }
    }
    float[] out = new float[oneHot ? n * classes : n];
    for (int i = 0; i < n; i++) {
      int label = src[i] & 0xff;
      if (oneHot) out[i * classes + label] = 1f;
      else out[i] = label;
    }
    return oneHot ? Nd4j.create(out, new long[] {n, classes}, 'c') : Nd4j.create(out, new long[] {n}, 'c');
  }

  /** Reads through the soft cache; a changed file (size or time) is read again. */
  static IdxArray cached(Path file, Runnable checkpoint) {
    CacheKey key;
    try {
      Path real = file.toAbsolutePath().normalize();
      key = new CacheKey(real, Files.size(real), Files.getLastModifiedTime(real).toMillis());
    } catch (IOException e) {
      return IdxReader.read(file, checkpoint);
    }
    SoftReference<IdxArray> ref = CACHE.get(key);
    IdxArray a = ref == null ? null : ref.get();
    if (a == null) {
      a = IdxReader.read(file, checkpoint);
      CACHE.put(key, new SoftReference<>(a));
    }
    return a;
  }

  /** Forgets the decoded files (tests measure cold loads with this). */
  static void clearCache() {
    CACHE.clear();
  }
}

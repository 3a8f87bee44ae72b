package dln.stdlib.data;

import java.net.URI;
import java.util.List;

/**
 * The image data sets DLN knows: their folder name, canonical download mirror, and the four IDX
 * files with the md5 checksums published for them.
 */
public enum ImageDataset {
  MNIST("mnist", "MNIST", URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
      "f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
      "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"),
  FASHION_MNIST("fashion-mnist", "Fashion-MNIST", URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
      "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
      "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310");

  /** One of the four files: its gzip name on the mirror and its published md5. */
  public record DataFile(String name, String md5) {
    /** The name without {@code .gz}, as some copies store it uncompressed. */
    public String plainName() {
      return name.substring(0, name.length() - ".gz".length());
    }
  }

  private final String folder;
  private final String title;
  private final URI mirror;
  private final List<String> classNames;
  private final DataFile trainImages;
  private final DataFile trainLabels;
  private final DataFile testImages;
  private final DataFile testLabels;

  ImageDataset(String folder, String title, URI mirror, List<String> classNames,
               String trainImagesMd5, String trainLabelsMd5, String testImagesMd5, String testLabelsMd5) {
    this.folder = folder;
    this.title = title;
    this.mirror = mirror;
    this.classNames = classNames;
    this.trainImages = new DataFile("train-images-idx3-ubyte.gz", trainImagesMd5);
    this.trainLabels = new DataFile("train-labels-idx1-ubyte.gz", trainLabelsMd5);
    this.testImages = new DataFile("t10k-images-idx3-ubyte.gz", testImagesMd5);
    this.testLabels = new DataFile("t10k-labels-idx1-ubyte.gz", testLabelsMd5);
  }

  /** Folder name under {@code $DLN_DATA} and {@code ~/.dln/datasets}: mnist or fashion-mnist. */
  public String folder() {
    return folder;
  }

  /** Display name, e.g. "Fashion-MNIST". */
  public String title() {
    return title;
  }

  /** Base URL the four files are downloaded from. */
  public URI mirror() {
    return mirror;
  }

  /** Human names of the ten classes, index = label. */
  public List<String> classNames() {
    return classNames;
  }

  public DataFile trainImages() {
    return trainImages;
  }

  public DataFile trainLabels() {
    return trainLabels;
  }

  public DataFile testImages() {
    return testImages;
  }

  public DataFile testLabels() {
    return testLabels;
  }

  /** The four files in download order. */
  public List<DataFile> files() {
    return List.of(trainImages, trainLabels, testImages, testLabels);
  }
}

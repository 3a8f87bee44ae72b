package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Invoker;
import dln.interp.sandbox.Sandbox;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.stdlib.data.Csv;
import dln.stdlib.data.DataLocations;
import dln.stdlib.data.DownloadProgress;
import dln.stdlib.data.Features;
import dln.stdlib.data.ImageDataset;
import dln.stdlib.data.ImageDatasets;
import dln.stdlib.data.LoadOptions;
import dln.stdlib.data.Playground;
import dln.stdlib.data.Preprocess;
import dln.stdlib.data.TrainTest;
import dln.stdlib.data.XY;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Data sets and data preparation: MNIST and Fashion-MNIST, the TensorFlow Playground generators,
 * CSV files, one-hot labels, scaling, shuffling and splitting.
 */
public final class DataLib implements Library {
  @Override
  public void install(Globals g) {
    imageSet(g, "mnist", ImageDataset.MNIST, "handwritten digits 0-9");
    imageSet(g, "fashion_mnist", ImageDataset.FASHION_MNIST,
        "clothing (0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot)");

    classifier(g, "circle", "a disc of +1 points (radius < 2.5) inside a ring of -1 points (radius 3.5..5)", Playground::circle);
    classifier(g, "xor", "four quadrants: +1 where x1 and x2 have the same sign, -1 elsewhere", Playground::xor);
    classifier(g, "gauss", "two Gaussian blobs: +1 around (2, 2), -1 around (-2, -2); noise widens them", Playground::gauss);
    classifier(g, "spiral", "two interleaved spirals, +1 and -1 (the hardest of the four)", Playground::spiral);
    regressor(g, "plane", "points in [-6, 6]² with target (x1 + x2) / 10", Playground::plane);
    regressor(g, "multi_gauss", "points in [-6, 6]² with target the nearest of six ±1 bumps", Playground::multiGauss);

    g.def("features", "x, names",
        "Builds the TensorFlow Playground's input features from points x [n, 2]: one column per name, from "
            + "'x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'.\n"
            + "Example: x, y = circle(500, 0.1); inputs = features(x, ['x1^2', 'x2^2'])",
        a -> Features.build(a.tensor("x"), strings(a, "names")));

    g.def("csv", "path, target?, header?",
        "Loads a CSV file as (x, y): number columns as they are, text columns one-hot encoded; target= names "
            + "the target column (a header name or a 0-based index, default the last column); header=false when "
            + "the first line is data. The target must be numeric.\n"
            + "Example: x, y = csv('weather.csv', target='temperature')",
        a -> {
          Csv.Target target = Csv.Target.LAST;
          if (a.has("target")) {
            Object t = a.get("target");
            if (t instanceof String s) target = Csv.Target.named(s);
            else if (t instanceof Long) target = Csv.Target.index(a.intValue("target"));
            else throw DlnException.type("csv() argument 'target' must be a column name or index, got " + Values.typeName(t));
          }
          XY d = Csv.read(a.invoker().checkRead(a.string("path")), target, a.bool("header", true)).data();
          return Tuple.of(d.x(), d.y());
        });

    g.def("one_hot", "labels|y, classes|num_classes?",
        "Turns class indices [n] into one-hot rows [n, classes] (classes defaults to the largest label + 1). "
            + "Also called to_categorical.\n"
            + "Example: one_hot([2, 0, 1], 3)",
        a -> Preprocess.oneHot(a.tensor("labels"), a.intValue("classes", 0)));
    g.alias("to_categorical", "one_hot");

    g.def("normalize", "x, axis?",
        "Scales values into [0, 1] (min-max): per column (axis=0) for a 2-D table, over all values for images "
            + "and other ranks, or as axis= says (axis=none: all values). Constant columns become 0. "
            + "(Keras's normalize is an L2 norm; this is scikit-learn's MinMaxScaler.)\n"
            + "Example: x = normalize(x)",
        a -> Preprocess.normalize(a.tensor("x"), axis(a)));
    g.def("standardize", "x, axis?",
        "Shifts and scales values to mean 0 and standard deviation 1: per column (axis=0) for a 2-D table, "
            + "over all values for other ranks, or as axis= says. Constant columns become 0.\n"
            + "Example: x = standardize(x)",
        a -> Preprocess.standardize(a.tensor("x"), axis(a)));

    g.def("train_test_split", "x, y, test|test_size?, seed|random_state?",
        "Shuffles and splits into ((x_train, y_train), (x_test, y_test)); test= is the test fraction "
            + "(default 0.2) or a number of samples; seed= makes it reproducible.\n"
            + "Example: (x_train, y_train), (x_test, y_test) = train_test_split(x, y, test=0.25, seed=1)",
        a -> {
          TrainTest s = Preprocess.trainTestSplit(a.tensor("x"), a.tensor("y"), a.number("test", 0.2), seed(a));
          return Tuple.of(Tuple.of(s.train().x(), s.train().y()), Tuple.of(s.test().x(), s.test().y()));
        });
    g.def("shuffle", "x, y?, seed?",
        "Shuffles samples (the first axis); with y, both in the same order, returning (x, y).\n"
            + "Example: x, y = shuffle(x, y, seed=0)",
        a -> {
          XY s = Preprocess.shuffle(a.tensor("x"), a.has("y") ? a.tensor("y") : null, seed(a));
          return a.has("y") ? Tuple.of(s.x(), s.y()) : s.x();
        });
  }

  private static void imageSet(Globals g, String name, ImageDataset ds, String what) {
    String files = "$DLN_DATA/" + ds.folder() + "/ or ~/.dln/datasets/" + ds.folder() + "/";
    g.def(name, "flat?, normalize?, one_hot?, channels?, limit?",
        "Loads " + ds.title() + " (" + what + ") as ((x_train, y_train), (x_test, y_test)): 60000 + 10000 images "
            + "[n, 28, 28] with pixel values 0..255 and labels [n] (class indices), like Keras. Options: flat=true "
            + "gives [n, 784], channels=true [n, 28, 28, 1], normalize=true divides by 255, one_hot=true gives "
            + "labels [n, 10], limit=N keeps the first N of each split. Files come from " + files
            + " or are downloaded once (checksums verified).\n"
            + "Example: (x_train, y_train), (x_test, y_test) = " + name + "(flat=true, normalize=true, one_hot=true)",
        a -> {
          LoadOptions o = new LoadOptions(a.bool("flat", false), a.bool("normalize", false), a.bool("one_hot", false),
              a.bool("channels", false), 0);
          if (a.has("limit")) {
            int limit = a.intValue("limit");
            if (limit < 1) throw DlnException.value(name + "() argument 'limit' must be at least 1, got " + limit);
            o = o.withLimit(limit);
          }
          Invoker inv = a.invoker();
          inv.checkCancelled();
          TrainTest d = ImageDatasets.load(ds, o, locations(inv, name), new ProgressBar(inv));
          // Noted so that :save can keep them by reference (the call, not 200 MB of pixels).
          Map<String, Object> opts = DatasetRefs.options(a.bool("flat", false), a.bool("normalize", false), a.bool("one_hot", false),
              a.bool("channels", false), a.has("limit") ? a.intValue("limit") : null);
          DatasetRefs.note(d.train().x(), new DatasetRefs.Ref(name, opts, 0, 0));
          DatasetRefs.note(d.train().y(), new DatasetRefs.Ref(name, opts, 0, 1));
          DatasetRefs.note(d.test().x(), new DatasetRefs.Ref(name, opts, 1, 0));
          DatasetRefs.note(d.test().y(), new DatasetRefs.Ref(name, opts, 1, 1));
          return Tuple.of(Tuple.of(d.train().x(), d.train().y()), Tuple.of(d.test().x(), d.test().y()));
        });
  }

  /**
   * Where data sets come from: for the command line the usual lookup ($DLN_DATA, ~/.dln, download);
   * in a sandboxed (embedded) interpreter only the data folder the host granted, never the
   * environment, the home folder or the network.
   */
  private static DataLocations locations(Invoker inv, String fn) {
    Sandbox sandbox = inv.sandbox();
    if (sandbox.isUnrestricted()) return DataLocations.system();
    Path dir = sandbox.dataDirectory().orElseThrow(() -> new DlnException("sandbox error",
        fn + "() needs a data folder and the application embedding DLN granted none",
        "the host grants one with Sandbox.allowData(dir); that folder holds mnist/, fashion-mnist/...", null));
    return DataLocations.of(Map.of(DataLocations.ENV, dir.toString()), null);
  }

  private interface Classifier {
    XY make(int n, double noise, long seed, Playground.Labels labels);
  }

  private interface Regressor {
    XY make(int n, double noise, long seed);
  }

  private static void classifier(Globals g, String name, String what, Classifier gen) {
    g.def(name, "n?, noise?, seed?, labels?",
        "TensorFlow Playground data: " + what + ". Returns (x [n, 2], y [n, 1]); n defaults to "
            + Playground.CLASSIFY_SAMPLES + ", noise (0..0.5, the Playground's slider / 100) to 0; seed= makes it "
            + "reproducible; labels='binary' gives 0/1 instead of ±1.\n"
            + "Example: x, y = " + name + "(500, noise=0.1, seed=1, labels='binary')",
        a -> pair(gen.make(a.intValue("n", Playground.CLASSIFY_SAMPLES), a.number("noise", 0), genSeed(a), labels(a))));
  }

  private static void regressor(Globals g, String name, String what, Regressor gen) {
    g.def(name, "n?, noise?, seed?",
        "TensorFlow Playground regression data: " + what + ". Returns (x [n, 2], y [n, 1]) with y in [-1, 1]; "
            + "n defaults to " + Playground.REGRESS_SAMPLES + ", noise (0..0.5) to 0; seed= makes it reproducible.\n"
            + "Example: x, y = " + name + "(1000, noise=0.05, seed=1)",
        a -> pair(gen.make(a.intValue("n", Playground.REGRESS_SAMPLES), a.number("noise", 0), genSeed(a))));
  }

  private static Tuple pair(XY d) {
    return Tuple.of(d.x(), d.y());
  }

  private static Playground.Labels labels(Args a) {
    String s = a.nameLike("labels", "sign").toLowerCase(Locale.ROOT);
    return switch (s) {
      case "sign", "pm1", "+-1", "±1" -> Playground.Labels.SIGN;
      case "binary", "01", "0/1" -> Playground.Labels.BINARY;
      default -> throw DlnException.value(a.function() + "() argument 'labels' must be 'sign' (+1/-1) or 'binary' (1/0), got "
          + Values.quote(s));
    };
  }

  private static long genSeed(Args a) {
    return a.has("seed") ? a.integer("seed") : dln.runtime.Rng.nextSeed();
  }

  private static Long seed(Args a) {
    return a.has("seed") ? a.integer("seed") : null;
  }

  /** axis=none means all values; absent means per column for 2-D tables, all values otherwise. */
  private static Integer axis(Args a) {
    Object v = a.get("axis");
    if (v == None.NONE) return null;
    if (v == null) return a.tensor("x").rank() == 2 ? 0 : null;
    return a.intValue("axis");
  }

  private static List<String> strings(Args a, String name) {
    Object v = a.get(name);
    if (v instanceof String s) return List.of(s);
    List<String> out = new ArrayList<>();
    for (Object o : a.list(name)) {
      if (!(o instanceof String s)) {
        throw DlnException.type(a.function() + "() argument '" + name + "' must be a list of names, got a " + Values.typeName(o) + " in it");
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Download progress on the error stream: a bar redrawn in place on a terminal, one line per file
   * otherwise. Each update checks for Ctrl-C, which stops the download and deletes the partial file.
   */
  private static final class ProgressBar implements DownloadProgress {
    private final Invoker invoker;
    private String file;
    private int lastPercent = -1;

    ProgressBar(Invoker invoker) {
      this.invoker = invoker;
    }

    @Override
    public void reading() {
      invoker.checkCancelled();
    }

    @Override
    public void update(String name, long done, long total) {
      invoker.checkCancelled();
      PrintWriter err = invoker.err();
      if (!name.equals(file)) {
        file = name;
        lastPercent = -1;
        if (!invoker.interactive()) err.println("downloading " + name + (total > 0 ? " (" + mb(total) + ")" : "") + "...");
      }
      boolean finished = total > 0 && done >= total;
      if (invoker.interactive()) {
        int percent = total > 0 ? (int) (100 * done / total) : -1;
        if (percent == lastPercent && !finished) return;
        lastPercent = percent;
        int width = 30;
        int filled = percent < 0 ? 0 : percent * width / 100;
        err.print("\rdownloading " + name + " [" + "=".repeat(filled) + " ".repeat(width - filled) + "] "
            + (percent < 0 ? mb(done) : percent + "% of " + mb(total)));
        if (finished) err.println();
      }
      err.flush();
    }

    private static String mb(long bytes) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
  }
}

package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Builtin;
import dln.interp.value.Namespace;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Activations;
import dln.runtime.tensor.Tensors;
import dln.stdlib.data.Sequences;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The importable modules (keras, tensorflow, numpy, math, random, time, os.path): groups of the
 * builtins the other libraries defined, the same objects under Keras's and NumPy's paths, so that
 * code pasted from keras.io runs with its imports. Installed last: it only arranges what exists,
 * apart from the few plain-Python helpers (math, random, time, os.path) that have no DLN builtin.
 */
public final class ModulesLib implements Library {
  @Override
  public void install(Globals g) {
    // Layers, optimizers and losses join keras.layers / keras.optimizers / keras.losses where they
    // are defined (ModelLib.layer, ModelTrainingLib); the rest is grouped here.
    g.export("keras", "Input", "Sequential", "Model");
    g.export("keras.layers", "Input");
    g.export("keras.models", "Sequential", "Model", "load_model", "model_from_json");
    g.export("keras.losses", "Huber");
    g.export("keras.optimizers.schedules", "ExponentialDecay", "CosineDecay");
    g.export("keras.callbacks", "Callback", "EarlyStopping", "ModelCheckpoint", "TerminateOnNaN", "ReduceLROnPlateau",
        "LearningRateScheduler", "LambdaCallback");
    g.export("keras.regularizers", "l1", "l2", "l1_l2");
    g.export("keras.utils", "to_categorical");
    g.module("keras.utils").put("set_random_seed", g.get("seed"));
    for (String fn : Activations.NAMES) if (g.get(fn) != null) g.module("keras.activations").put(fn, g.get(fn));
    mergeFunctions(g);
    padSequences(g);
    datasets(g);
    metrics(g);

    Namespace np = g.namespace("np");
    g.module("numpy", np);
    tensorflow(g);
    math(g);
    random(g);
    time(g);
    osPath(g);
  }

  /**
   * keras.layers.concatenate, add, subtract, multiply, average, maximum, minimum: Keras's functional
   * spellings of the merge layers, {@code concatenate([a, b], axis=-1, name=...)} being
   * {@code Concatenate(axis=-1, name=...)([a, b])}. They build the layer and call it, so the layer,
   * its shape checks and its errors are the merge layer's own.
   */
  private static void mergeFunctions(Globals g) {
    Namespace layers = g.module("keras.layers");
    for (String cls : List.of("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")) {
      Object layerClass = g.get(cls);
      if (layerClass == null) continue; // a merge layer the registry lacks has no functional form either
      String fn = cls.toLowerCase(java.util.Locale.ROOT);
      g.def(layers, fn, "inputs, **kwargs", "Keras's functional form of " + cls + ": " + fn + "(inputs, **kwargs) is "
          + cls + "(**kwargs)(inputs), for a list of tensors of the shapes " + cls + " accepts.\n"
          + "Example: x = keras.layers." + fn + "([a, b]" + (fn.equals("concatenate") ? ", axis=-1" : "") + ")",
          a -> {
            Object layer = a.invoker().call(layerClass, List.of(), a.restKeywords());
            return a.invoker().call(layer, a.get("inputs"));
          });
    }
  }

  /** keras.utils.pad_sequences (also keras.preprocessing.sequence.pad_sequences, its older home). */
  private static void padSequences(Globals g) {
    Builtin pad = g.def(g.module("keras.utils"), "pad_sequences", "sequences, maxlen?, dtype?, padding?, truncating?, value?",
        "Pads sequences to one length, as Keras does: a [samples, maxlen] tensor of token ids (dtype int32 unless dtype=\n"
            + "says otherwise), or [samples, maxlen, features...] for sequences of vectors; maxlen defaults to the longest\n"
            + "sequence; padding='pre' (default) or 'post' puts value (default 0) before or after; truncating='pre'\n"
            + "(default) or 'post' drops a long sequence's start or end.\n"
            + "Example: x = keras.utils.pad_sequences([[3, 7], [5]], maxlen=4, padding='post')",
        a -> {
          List<Sequences.Steps> rows = new java.util.ArrayList<>();
          for (Object seq : sequences(a.get("sequences"))) rows.add(steps(seq));
          Object maxlen = a.get("maxlen", None.NONE);
          return Sequences.padSteps(rows, maxlen == None.NONE ? null : a.intValue("maxlen"), TensorLib.dtype(a, DataType.INT),
              Sequences.End.of(a.string("padding", "pre"), "Padding"), Sequences.End.of(a.string("truncating", "pre"), "Truncating"),
              a.number("value", 0));
        });
    g.module("keras.preprocessing.sequence").put("pad_sequences", pad);
  }

  /** The sequences of pad_sequences: a list or tuple of them, or the slices of a tensor along its first axis. */
  private static List<?> sequences(Object v) {
    if (v instanceof List<?> l) return l;
    if (v instanceof Tuple t) return t.items();
    if (v instanceof INDArray t && t.rank() >= 2) {
      List<Object> rows = new java.util.ArrayList<>();
      for (long i = 0; i < t.size(0); i++) rows.add(t.rank() == 2 ? t.getRow(i) : t.slice(i));
      return rows;
    }
    throw DlnException.type("pad_sequences() takes a list of sequences (lists of token ids), got " + Values.typeName(v));
  }

  /**
   * One sequence: token ids (a list of numbers or a 1-D tensor), or, as Keras takes them, steps
   * that are vectors or any sample shape (a list of lists, or a tensor of rank 2 or more).
   */
  private static Sequences.Steps steps(Object seq) {
    if (seq instanceof INDArray t) {
      INDArray values = t.castTo(DataType.DOUBLE).dup('c');
      if (t.rank() <= 1) return Sequences.Steps.of(values.data().asDouble());
      return new Sequences.Steps((int) t.size(0), java.util.Arrays.copyOfRange(t.shape(), 1, t.rank()), values.data().asDouble());
    }
    List<?> items = seq instanceof List<?> l ? l : seq instanceof Tuple t ? t.items() : null;
    if (items == null) throw DlnException.type("pad_sequences() takes sequences of token ids or of vectors, got a " + Values.typeName(seq));
    if (items.stream().allMatch(Values::isNumber)) {
      double[] out = new double[items.size()];
      for (int i = 0; i < out.length; i++) out[i] = Values.toDouble(items.get(i));
      return Sequences.Steps.of(out);
    }
    // Steps that are vectors: every item a list, tuple or tensor (numbers among them are a mix Keras rejects too).
    boolean mixed = items.stream().anyMatch(Values::isNumber);
    for (Object item : items) {
      if (mixed ? !Values.isNumber(item) : Values.toJava(item) == null) {
        throw new DlnException("type error", "pad_sequences() takes sequences of numbers or of vectors, got a " + Values.typeName(item)
            + " inside one", "give each sequence as token ids ([3, 7]) or as steps of one shape ([[0.1, 0.2], [0.3, 0.4]])", null);
      }
    }
    return steps(Tensors.fromNested(Values.toJava(seq), DataType.DOUBLE));
  }

  /**
   * keras.metrics: one class per metric compile() knows (Metric.NAMES), CamelCase as in Keras. A
   * metric object is named as compile knows it, so compile(metrics=[keras.metrics.SparseCategoricalAccuracy()])
   * logs sparse_categorical_accuracy as Keras does; it also keeps a running value for custom loops.
   */
  private static void metrics(Globals g) {
    Namespace ns = g.module("keras.metrics");
    for (String name : dln.runtime.train.Metric.NAMES) {
      if (name.length() <= 3) continue; // acc, mse, mae: short spellings, no class of their own
      StringBuilder cls = new StringBuilder();
      for (String word : name.split("_")) cls.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      g.def(ns, cls.toString(), "name?, dtype?", "The metric '" + name + "' for compile(metrics=[...]), or used by hand in a custom\n"
          + "training loop: update_state(y_true, y_pred), result(), reset_state(); name= is what a train_step's logs call it.\n"
          + "Example: model.compile(optimizer='adam', loss='mse', metrics=[keras.metrics." + cls + "()])",
          a -> new dln.runtime.train.MetricState(name, a.string("name", name)));
    }
    g.def(ns, "Mean", "name?, dtype?", "The running mean of the values given to update_state(values), such as a train_step's\n"
        + "loss tracker; result() is the mean since the last reset_state().\n"
        + "Example: self.loss_tracker = keras.metrics.Mean(name='loss')",
        a -> dln.runtime.train.MetricState.mean(a.string("name", "mean")));
  }

  /** keras.datasets.mnist.load_data(): Keras's contract, uint8 images (60000, 28, 28) and labels. */
  private static void datasets(Globals g) {
    for (String name : List.of("mnist", "fashion_mnist")) {
      Object loader = g.get(name);
      Namespace ns = g.module("keras.datasets." + name);
      g.def(ns, "load_data", "", "Loads " + name + " as Keras does: ((x_train, y_train), (x_test, y_test)), uint8 "
          + "images [n, 28, 28] (0..255) and uint8 labels [n]; files as for " + name + "().\n"
          + "Example: (x_train, y_train), (x_test, y_test) = keras.datasets." + name + ".load_data()",
          a -> {
            Tuple splits = (Tuple) a.invoker().call(loader);
            return Tuple.of(asUint8(splits.get(0)), asUint8(splits.get(1)));
          });
    }
  }

  private static Tuple asUint8(Object split) {
    Tuple xy = (Tuple) split;
    return Tuple.of(Tensors.astype((INDArray) xy.get(0), DataType.UINT8), Tensors.astype((INDArray) xy.get(1), DataType.UINT8));
  }

  /** tensorflow: tf.keras is keras; tf.nn, tf.math and tf.random reach the tensor builtins. */
  private static void tensorflow(Globals g) {
    g.module("tensorflow").put("keras", g.module("keras"));
    // Scripts print these; they name DLN so that nobody mistakes it for TensorFlow's own numbers.
    g.module("tensorflow").put("__version__", "DLN");
    g.module("keras").put("__version__", "DLN");
    g.export("tensorflow", "Variable");
    g.module("tensorflow").put("constant", g.get("tensor"));
    for (String fn : List.of("softmax", "relu", "sigmoid", "tanh", "leaky_relu")) {
      if (g.get(fn) != null) g.module("tensorflow.nn").put(fn, g.get(fn));
    }
    Namespace np = g.namespace("np");
    for (String fn : List.of("exp", "log", "sqrt", "square", "abs", "sign", "floor", "ceil", "maximum", "minimum")) {
      g.module("tensorflow.math").put(fn, np.get(fn));
    }
    for (String[] pair : new String[][] {{"reduce_sum", "sum"}, {"reduce_mean", "mean"}, {"reduce_max", "max"},
        {"reduce_min", "min"}, {"argmax", "argmax"}}) {
      g.module("tensorflow.math").put(pair[0], np.get(pair[1]));
      g.module("tensorflow").put(pair[0], np.get(pair[1]));
    }
    g.module("tensorflow.random").put("set_seed", g.get("seed"));
  }

  /** Python's math module: numbers in, numbers out. */
  private static void math(Globals g) {
    Namespace m = g.module("math");
    m.put("pi", Math.PI);
    m.put("e", Math.E);
    m.put("inf", Double.POSITIVE_INFINITY);
    m.put("nan", Double.NaN);
    unary(g, m, "sqrt", Math::sqrt);
    unary(g, m, "exp", Math::exp);
    unary(g, m, "log10", Math::log10);
    unary(g, m, "sin", Math::sin);
    unary(g, m, "cos", Math::cos);
    unary(g, m, "tan", Math::tan);
    unary(g, m, "tanh", Math::tanh);
    unary(g, m, "fabs", Math::abs);
    g.def(m, "log", "x, base?", "Natural logarithm, or in the given base.\nExample: math.log(8, 2)", a -> {
      double x = positive(a, "math.log");
      return a.has("base") ? Math.log(x) / Math.log(a.number("base")) : Math.log(x);
    });
    g.def(m, "floor", "x", "The largest integer not above x.\nExample: math.floor(2.5)", a -> (long) Math.floor(a.number("x")));
    g.def(m, "ceil", "x", "The smallest integer not below x.\nExample: math.ceil(2.5)", a -> (long) Math.ceil(a.number("x")));
    g.def(m, "pow", "x, y", "x to the power y, as a float.\nExample: math.pow(2, 10)", a -> Math.pow(a.number("x"), a.number("y")));
    g.def(m, "isnan", "x", "True when x is NaN.\nExample: math.isnan(loss)", a -> Double.isNaN(a.number("x")));
    g.def(m, "isinf", "x", "True when x is infinite.\nExample: math.isinf(loss)", a -> Double.isInfinite(a.number("x")));
  }

  private static double positive(Args a, String fn) {
    double x = a.number("x");
    if (!(x > 0)) throw DlnException.value(fn + "() needs a positive number, got " + x, null);
    return x;
  }

  private static void unary(Globals g, Namespace m, String fn, java.util.function.DoubleUnaryOperator op) {
    g.def(m, fn, "x", "Python's math." + fn + " of a number.\nExample: math." + fn + "(0.5)", a -> op.applyAsDouble(a.number("x")));
  }

  /** Python's random module, with its own generator (seeded by random.seed). */
  private static void random(Globals g) {
    Namespace r = g.module("random");
    Random rng = new Random();
    g.def(r, "seed", "a", "Seeds Python's random generator.\nExample: random.seed(42)", a -> {
      rng.setSeed(a.integer("a"));
      return null;
    });
    g.def(r, "random", "", "A float in [0, 1).\nExample: random.random()", a -> rng.nextDouble());
    g.def(r, "uniform", "a, b", "A float between a and b.\nExample: random.uniform(-1, 1)",
        a -> a.number("a") + (a.number("b") - a.number("a")) * rng.nextDouble());
    g.def(r, "randint", "a, b", "An integer from a to b, both included.\nExample: random.randint(1, 6)", a -> {
      long lo = a.integer("a"), hi = a.integer("b");
      if (hi < lo) throw DlnException.value("random.randint() needs a <= b, got " + lo + " and " + hi, null);
      return lo + (long) Math.floor(rng.nextDouble() * (hi - lo + 1));
    });
    g.def(r, "choice", "seq", "One element of a non-empty list or tuple.\nExample: random.choice(['a', 'b'])", a -> {
      List<Object> items = a.list("seq");
      if (items.isEmpty()) throw DlnException.index("random.choice() of an empty sequence");
      return items.get(rng.nextInt(items.size()));
    });
    g.def(r, "shuffle", "x", "Shuffles a list in place.\nExample: random.shuffle(items)", a -> {
      if (!(a.get("x") instanceof List<?> l)) throw DlnException.type("random.shuffle() takes a list");
      java.util.Collections.shuffle(l, rng);
      return null;
    });
  }

  private static void time(Globals g) {
    Namespace t = g.module("time");
    g.def(t, "time", "", "Seconds since 1970 as a float.\nExample: start = time.time()", a -> System.currentTimeMillis() / 1000.0);
    g.def(t, "perf_counter", "", "A clock for measuring durations, in seconds.\nExample: t0 = time.perf_counter()",
        a -> System.nanoTime() / 1e9);
  }

  /** os.path: string operations on paths, and exists() through the sandbox like file_exists. */
  private static void osPath(Globals g) {
    Namespace p = g.module("os.path");
    g.def(p, "exists", "path", "True when the file or folder exists (the sandbox must allow reading it).\n"
        + "Example: os.path.exists('model.keras')", a -> java.nio.file.Files.exists(a.invoker().checkRead(a.string("path"))));
    g.def(p, "join", "*parts", "Path parts joined with '/'.\nExample: os.path.join('data', 'x.csv')", a -> {
      String out = "";
      for (Object part : a.rest()) {
        String s = String.valueOf(part);
        out = s.startsWith("/") || out.isEmpty() ? s : out.endsWith("/") ? out + s : out + "/" + s;
      }
      return out;
    });
    g.def(p, "basename", "path", "The last part of a path.\nExample: os.path.basename('a/b.txt')", a -> {
      String s = a.string("path");
      return s.substring(s.lastIndexOf('/') + 1);
    });
    g.def(p, "dirname", "path", "A path without its last part.\nExample: os.path.dirname('a/b.txt')", a -> {
      String s = a.string("path");
      int i = s.lastIndexOf('/');
      return i < 0 ? "" : s.substring(0, i);
    });
  }
}

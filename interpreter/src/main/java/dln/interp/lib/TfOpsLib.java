package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Callable;
import dln.interp.call.TypeTable;
import dln.interp.value.Namespace;
import dln.interp.value.None;
import dln.runtime.Rng;
import dln.runtime.tensor.RandomArrays;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The TensorFlow tensor functions Keras examples call ({@code tf.shape}, {@code tf.concat},
 * {@code tf.ones}, {@code tf.cast}, …) and the random draws of {@code tf.random} and Keras 3's
 * {@code keras.random} (with {@code SeedGenerator}). Each is TensorFlow's signature over the NumPy
 * builtin that already computes it; shapes may hold the scalar tensors {@code tf.shape(x)[0]} gives.
 */
public final class TfOpsLib implements Library {
  /** Keras 3's {@code keras.random.SeedGenerator}: a stream of draws of its own, repeatable from its seed. */
  static final class SeedGenerator {
    final SplittableRandom random;
    final long seed;

    SeedGenerator(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
    }
  }

  @Override
  public void install(Globals g) {
    Namespace tf = g.module("tensorflow");
    Namespace np = g.namespace("np");
    for (String t : List.of("float32", "float64", "int32", "int64", "uint8", "bool")) tf.put(t, t);
    g.def(tf, "shape", "input, out_type?, name?", "The shape of a tensor as an int32 tensor (index it: tf.shape(x)[0]).\n"
        + "Example: batch_size = tf.shape(images)[0]", a -> {
          long[] s = a.tensor("input").shape();
          int[] dims = new int[s.length];
          for (int i = 0; i < s.length; i++) dims[i] = Math.toIntExact(s[i]);
          return Nd4j.createFromArray(dims);
        });
    for (String[] f : new String[][] {{"ones", "1"}, {"zeros", "0"}}) {
      g.def(tf, f[0], "shape, dtype?, name?", "A tensor of " + f[1] + "s (float32 unless dtype is given).\nExample: tf." + f[0] + "((batch_size, 1))",
          a -> {
            DataType dt = TensorLib.dtype(a, DataType.FLOAT);
            long[] shape = TensorLib.allowed(a, "tf." + f[0], shapeArg(a, "shape"), dt);
            return f[1].equals("1") ? Tensors.ones(shape, dt) : Tensors.zeros(shape, dt);
          });
    }
    alias(tf, "ones_like", "input, dtype?, name?", np, "ones_like", "input", "dtype");
    alias(tf, "zeros_like", "input, dtype?, name?", np, "zeros_like", "input", "dtype");
    alias(tf, "concat", "values, axis, name?", np, "concatenate", "values", "axis");
    alias(tf, "stack", "values, axis?, name?", np, "stack", "values", "axis");
    alias(tf, "expand_dims", "input, axis, name?", np, "expand_dims", "input", "axis");
    alias(tf, "squeeze", "input, axis?, name?", np, "squeeze", "input", "axis");
    alias(tf, "transpose", "a, perm?, name?", np, "transpose", "a", "perm");
    alias(tf, "clip_by_value", "t, clip_value_min, clip_value_max, name?", np, "clip", "t", "clip_value_min", "clip_value_max");
    for (String fn : List.of("square", "abs", "exp", "sqrt", "maximum", "minimum", "where")) {
      if (np.get(fn) != null && tf.get(fn) == null) tf.put(fn, np.get(fn));
    }
    // TensorFlow's tf.tanh, tf.sigmoid, tf.sin, tf.cos, also under tf.math.
    Namespace math = g.module("tensorflow.math");
    for (String fn : List.of("tanh", "sigmoid", "sin", "cos")) {
      Object f = np.get(fn) != null ? np.get(fn) : g.get(fn);
      if (f == null) continue;
      if (tf.get(fn) == null) tf.put(fn, f);
      if (math.get(fn) == null) math.put(fn, f);
    }
    g.def(tf, "reshape", "tensor, shape, name?", "The same values in a new shape; one size may be -1.\nExample: tf.reshape(x, (-1, 28, 28, 1))",
        a -> Tensors.reshape(a.tensor("tensor"), shapeArg(a, "shape")));
    g.def(tf, "cast", "x, dtype, name?", "The values in another dtype.\nExample: tf.cast(labels, tf.float32)",
        a -> Tensors.astype(a.tensor("x"), Tensors.dtype(a.nameLike("dtype"))));
    random(g);
  }

  /** tf.random and keras.random: normal and uniform draws with TensorFlow's and Keras's arguments. */
  private static void random(Globals g) {
    Namespace tfr = g.module("tensorflow.random");
    g.def(tfr, "normal", "shape, mean?, stddev?, dtype?, seed?, name?", "Normal random values (float32).\n"
        + "Example: tf.random.normal(shape=(batch_size, 128))", a -> normal(a, "tf.random.normal"));
    g.def(tfr, "uniform", "shape, minval?, maxval?, dtype?, seed?, name?", "Uniform random values in [minval, maxval) (default [0, 1)).\n"
        + "Example: tf.random.uniform((2, 3))", a -> uniform(a, "tf.random.uniform"));
    Namespace kr = g.module("keras.random");
    g.def(kr, "normal", "shape, mean?, stddev?, dtype?, seed?", "Normal random values (float32); seed: an int or a SeedGenerator.\n"
        + "Example: keras.random.normal(shape=(64, 128), seed=self.seed_generator)", a -> normal(a, "keras.random.normal"));
    g.def(kr, "uniform", "shape, minval?, maxval?, dtype?, seed?", "Uniform random values in [minval, maxval) (default [0, 1)).\n"
        + "Example: keras.random.uniform((64, 1), seed=1337)", a -> uniform(a, "keras.random.uniform"));
    g.def(kr, "SeedGenerator", "seed?, name?", "A generator of seeds for keras.random's draws: a stream of its own, repeatable from its seed.\n"
        + "Example: self.seed_generator = keras.random.SeedGenerator(1337)",
        a -> new SeedGenerator(a.has("seed") && a.get("seed") != None.NONE ? a.integer("seed") : Rng.nextSeed()));
    TypeTable.define(SeedGenerator.class, "SeedGenerator").repr(s -> "<SeedGenerator seed=" + s.seed + ">");
  }

  private static Object normal(Args a, String fn) {
    long[] shape = TensorLib.allowed(a, fn, shapeArg(a, "shape"), DataType.FLOAT);
    INDArray x = RandomArrays.normal(source(a), shape, a.number("mean", 0), a.number("stddev", 1));
    return cast(a, x);
  }

  private static Object uniform(Args a, String fn) {
    long[] shape = TensorLib.allowed(a, fn, shapeArg(a, "shape"), DataType.FLOAT);
    double lo = a.number("minval", 0);
    double hi = a.has("maxval") && a.get("maxval") != None.NONE ? a.number("maxval") : 1;
    if (!(hi > lo)) throw DlnException.value(fn + "(): maxval must be larger than minval, got " + lo + " and " + hi);
    return cast(a, RandomArrays.uniform(source(a), shape, lo, hi));
  }

  private static INDArray cast(Args a, INDArray x) {
    if (!a.has("dtype") || a.get("dtype") == None.NONE) return x.castTo(DataType.FLOAT);
    return Tensors.astype(x, Tensors.dtype(a.nameLike("dtype")));
  }

  /** The draws' source: a SeedGenerator's stream, a fixed int seed (the same values each call), or the session's generator. */
  private static SplittableRandom source(Args a) {
    Object seed = a.get("seed", None.NONE);
    if (seed == None.NONE) return Rng.current();
    if (seed instanceof SeedGenerator s) return s.random;
    return new SplittableRandom(a.integer("seed"));
  }

  /** A shape argument: an int, a tuple or list of ints (scalar tensors included), or a 1-D tensor such as tf.shape(x). */
  static long[] shapeArg(Args a, String name) {
    return TensorLib.shapeOf(a.function(), List.of(a.get(name)));
  }

  /**
   * tf.name(params) as NumPy's function, the arguments passed on by position in NumPy's order
   * (the optional ones are last in both, so a left-out one ends the list).
   */
  private static void alias(Namespace tf, String name, String params, Namespace np, String npName, String... passed) {
    Object target = np.get(npName);
    if (!(target instanceof Callable fn)) throw new IllegalStateException("np." + npName + " is not installed");
    tf.put(name, new dln.interp.call.Builtin(name, params, "TensorFlow's tf." + name + ": NumPy's np." + npName + " (see help(np." + npName + ")).",
        a -> {
          List<Object> args = new ArrayList<>();
          for (String p : passed) {
            if (!a.has(p) || a.get(p) == None.NONE) break;
            args.add(a.get(p));
          }
          return fn.call(a.invoker(), args, Map.of());
        }));
  }
}

package dln.runtime.nn;

import java.util.HashMap;
import java.util.Map;

/**
 * Default layer names like Keras: the first Dense is {@code dense}, the next {@code dense_1}, ...
 * Inputs count from one ({@code input_1}) as in Keras. Counters are per thread because each
 * interpreter runs on its own thread and numbers its own layers; {@link #reset()} starts a new
 * model-building session.
 */
public final class LayerNames {
  private static final ThreadLocal<Map<String, Integer>> COUNTERS = ThreadLocal.withInitial(HashMap::new);

  private LayerNames() {}

  /** The next default name for a prefix: {@code prefix}, then {@code prefix_1}, ... */
  public static String next(String prefix) {
    Map<String, Integer> counters = COUNTERS.get();
    int n = counters.merge(prefix, 1, Integer::sum) - 1;
    return n == 0 ? prefix : prefix + "_" + n;
  }

  /** The next name counting from one: {@code input_1}, {@code input_2}, ... */
  public static String nextFromOne(String prefix) {
    int n = COUNTERS.get().merge(prefix, 1, Integer::sum);
    return prefix + "_" + n;
  }

  /** Forgets all counters of this thread (a fresh interpreter or a new script). */
  public static void reset() {
    COUNTERS.get().clear();
  }

  /** Keras's snake case of a class name: {@code MaxPooling2D -> max_pooling2d}, {@code ReLU -> re_lu}. */
  public static String snake(String className) {
    // The same two regular expressions Keras uses, so default names match Keras exactly.
    String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}

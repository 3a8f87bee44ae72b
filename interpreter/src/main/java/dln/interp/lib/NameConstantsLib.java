package dln.interp.lib;

import java.util.ArrayList;
import java.util.List;

/**
 * Identifiers and strings are interchangeable where a name is expected: {@code padding=same},
 * {@code loss=mse}, {@code optimizer=adam}, {@code metrics=[accuracy]}. Each such name is a global
 * whose value is its own spelling, taken from the runtime's tables so the two never disagree.
 * Installed last, and never over an existing builtin (relu stays the function).
 */
public final class NameConstantsLib implements Library {
  @Override
  public void install(Globals g) {
    List<String> names = new ArrayList<>(List.of("same", "valid"));
    names.addAll(dln.runtime.train.Loss.NAMES);
    names.addAll(dln.runtime.train.Optimizer.NAMES);
    names.addAll(dln.runtime.train.Metric.NAMES);
    names.addAll(dln.runtime.nn.Initializers.NAMES);
    for (String n : names) {
      if (g.get(n) == null && n.matches("[a-z_][a-z_0-9]*")) {
        g.set(n, n, "The name '" + n + "', usable without quotes where a name is expected.\nExample: " + example(n));
      }
    }
  }

  private static String example(String n) {
    if (n.equals("same") || n.equals("valid")) return "Conv2D(32, 3, padding=" + n + ")";
    if (dln.runtime.train.Optimizer.NAMES.contains(n)) return "model.compile(optimizer=" + n + ", loss=mse)";
    if (dln.runtime.train.Loss.NAMES.contains(n)) return "model.compile(optimizer=adam, loss=" + n + ")";
    if (dln.runtime.train.Metric.NAMES.contains(n)) return "model.compile(loss=mse, metrics=[" + n + "])";
    return "Dense(64, kernel_initializer=" + n + ")";
  }
}

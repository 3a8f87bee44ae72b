package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import java.util.List;

/**
 * The settings of {@code model.compile}: optimiser, one loss per output (a single loss applies to
 * every output), metric names. Jackson-serialisable for model files.
 */
public record CompileConfig(Optimizer optimizer, List<Loss> losses, List<String> metrics) {
  public CompileConfig {
    if (optimizer == null) optimizer = Optimizer.byName("rmsprop");
    if (losses == null || losses.isEmpty()) {
      throw DlnRuntimeException.value("compile needs a loss", "e.g. loss='categorical_crossentropy' or loss='mse'");
    }
    losses = List.copyOf(losses);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** The loss for output {@code i} of {@code outputs}. */
  public Loss loss(int i, int outputs) {
    if (losses.size() == 1) return losses.get(0);
    if (losses.size() != outputs) {
      throw DlnRuntimeException.value("the model has " + outputs + " outputs but " + losses.size() + " losses were given",
          "give one loss, or one per output");
    }
    return losses.get(i);
  }
}

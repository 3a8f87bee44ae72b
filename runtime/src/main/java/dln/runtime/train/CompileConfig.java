package dln.runtime.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dln.runtime.DlnRuntimeException;
import java.util.List;

/**
 * The settings of {@code model.compile}: optimiser, one loss per output (a single loss applies to
 * every output), metric names (scored on every output), and Keras's {@code loss_weights} (one
 * factor per output; the trained loss is {@code Σ weight·loss}; empty means 1 each). Keras 3's
 * per-output metrics ({@code metrics={"digit": ["accuracy"], "odd": []}}, or a list of lists) are
 * {@code outputMetrics}: one list per output, used instead of {@code metrics} when given.
 * Jackson-serialisable for model files. No loss at all is allowed (Keras's {@code compile(optimizer='adam')}
 * for a model whose own train_step computes its loss); asking such settings for a loss is an error.
 */
public record CompileConfig(Optimizer optimizer, List<Loss> losses, List<String> metrics,
    @JsonProperty("loss_weights") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Double> lossWeights,
    @JsonProperty("output_metrics") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<String>> outputMetrics) {
  public CompileConfig {
    if (optimizer == null) optimizer = Optimizer.byName("rmsprop");
    losses = losses == null ? List.of() : List.copyOf(losses);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    lossWeights = lossWeights == null ? List.of() : List.copyOf(lossWeights);
    outputMetrics = outputMetrics == null ? List.of() : outputMetrics.stream().map(List::copyOf).toList();
    if (!outputMetrics.isEmpty() && !metrics.isEmpty()) {
      throw DlnRuntimeException.value("metrics are given both for every output and per output", "give one of the two");
    }
    for (double w : lossWeights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw DlnRuntimeException.value("loss_weights must be finite and not negative, got " + w, "e.g. loss_weights=[1.0, 0.5]");
      }
    }
  }

  /** Settings without loss weights (every output's loss counts once). */
  public CompileConfig(Optimizer optimizer, List<Loss> losses, List<String> metrics) {
    this(optimizer, losses, metrics, List.of());
  }

  /** Settings whose metrics are scored on every output. */
  public CompileConfig(Optimizer optimizer, List<Loss> losses, List<String> metrics, List<Double> lossWeights) {
    this(optimizer, losses, metrics, lossWeights, List.of());
  }

  /** The metric names scored on output {@code i} of {@code outputs}. */
  public List<String> metricsFor(int i, int outputs) {
    if (outputMetrics.isEmpty()) return metrics;
    if (outputMetrics.size() != outputs) {
      throw DlnRuntimeException.value("the model has " + outputs + " output" + (outputs == 1 ? "" : "s") + " but metrics were given for "
          + outputMetrics.size(), "give one list of metrics per output, or a dict keyed by output names");
    }
    return outputMetrics.get(i);
  }

  /** Every metric name compiled, each once, in order of first appearance (Keras's {@code model.metrics} after the loss). */
  public List<String> allMetrics() {
    if (outputMetrics.isEmpty()) return metrics;
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    for (List<String> l : outputMetrics) all.addAll(l);
    return List.copyOf(all);
  }

  /** The loss for output {@code i} of {@code outputs}. */
  public Loss loss(int i, int outputs) {
    if (losses.isEmpty()) {
      throw DlnRuntimeException.value("the model was compiled without a loss", "compile with one, e.g. loss='mse'");
    }
    if (losses.size() == 1) return losses.get(0);
    if (losses.size() != outputs) {
      throw DlnRuntimeException.value("the model has " + outputs + " outputs but " + losses.size() + " losses were given",
          "give one loss, or one per output");
    }
    return losses.get(i);
  }

  /** The factor of output {@code i}'s loss in the trained total (Keras's loss_weights; 1 when none were given). */
  public double lossWeight(int i, int outputs) {
    if (lossWeights.isEmpty()) return 1.0;
    if (lossWeights.size() != outputs) {
      throw DlnRuntimeException.value("the model has " + outputs + " output" + (outputs == 1 ? "" : "s") + " but "
          + lossWeights.size() + " loss_weights were given", "give one weight per output, e.g. loss_weights=[1.0, 0.5]");
    }
    return lossWeights.get(i);
  }
}

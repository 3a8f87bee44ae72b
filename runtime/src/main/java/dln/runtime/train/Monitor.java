package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import java.util.Map;

/** A monitored quantity with a direction ("min" for losses, "max" for accuracies), as in Keras. */
final class Monitor {
  final String name;
  final boolean maximise;

  Monitor(String name, String mode) {
    this.name = name;
    String m = mode == null ? "auto" : mode.toLowerCase(java.util.Locale.ROOT);
    this.maximise = switch (m) {
      case "min" -> false;
      case "max" -> true;
      case "auto" -> name.contains("acc");
      default -> throw DlnRuntimeException.value("mode must be 'auto', 'min' or 'max', got '" + mode + "'");
    };
  }

  /** The monitored value, or a clear error naming what is available. */
  double value(Map<String, Double> logs, String who) {
    Double v = logs.get(name);
    if (v == null) {
      throw DlnRuntimeException.value(
          who + " monitors '" + name + "', which training does not report; available: " + String.join(", ", logs.keySet()),
          name.startsWith("val_") ? "pass validation_split=0.1 or validation_data=(x, y) to fit, or monitor='loss'" : null);
    }
    return v;
  }

  /** True when {@code value} beats {@code best} by more than {@code minDelta}. */
  boolean improved(double value, double best, double minDelta) {
    if (Double.isNaN(best)) return !Double.isNaN(value);
    return maximise ? value > best + minDelta : value < best - minDelta;
  }
}

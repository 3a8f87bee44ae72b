package dln.runtime.train;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model after epochs (Keras's ModelCheckpoint). The path may hold Keras-style fields:
 * {@code "ckpt-{epoch:02d}-{val_loss:.2f}.dlnm"} (epoch counts from 1). With save_best_only, only
 * epochs that improve the monitored value are saved.
 */
public final class ModelCheckpoint implements Callback {
  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_]+)(?::([^}]*))?}");

  private final String path;
  private final Monitor monitor;
  private final boolean saveBestOnly;
  private final ModelSaver saver;
  private double best = Double.NaN;
  private String lastSaved;

  public ModelCheckpoint(String path, String monitor, boolean saveBestOnly, String mode, ModelSaver saver) {
    this.path = path;
    this.monitor = new Monitor(monitor == null ? "val_loss" : monitor, mode);
    this.saveBestOnly = saveBestOnly;
    this.saver = saver;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    if (saveBestOnly) {
      double v = monitor.value(logs, "ModelCheckpoint");
      if (!monitor.improved(v, best, 0)) return;
      best = v;
    }
    lastSaved = format(path, epoch, logs);
    saver.save(context.model(), lastSaved);
  }

  /** The last path written, or null. */
  public String lastSaved() {
    return lastSaved;
  }

  static String format(String template, int epoch, Map<String, Double> logs) {
    Matcher m = FIELD.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String spec = m.group(2);
      Number value = key.equals("epoch") ? (Number) (epoch + 1) : logs.get(key);
      String text;
      if (value == null) {
        text = m.group();
      } else if (spec == null) {
        text = String.valueOf(value);
      } else if (spec.endsWith("d")) {
        text = String.format(Locale.ROOT, "%" + spec, Math.round(value.doubleValue()));
      } else {
        text = String.format(Locale.ROOT, "%" + spec, value.doubleValue());
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(text));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}

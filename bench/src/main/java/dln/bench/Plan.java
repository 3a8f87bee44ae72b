package dln.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one peer process measures, from {@code --key value} arguments (bench.py passes them):
 * which networks, how many samples are timed and how many train first as a warm-up.
 */
public final class Plan {
  public final String peer;
  public final List<String> nets;
  public final int mlpSamples;
  public final int mlpWarmup;
  public final int cnnSamples;
  public final int cnnWarmup;
  public final int inferSamples;
  public final int inferBatch;
  public final int repeats;

  private Plan(Map<String, String> a) {
    peer = a.getOrDefault("peer", "");
    nets = List.of(a.getOrDefault("nets", "mlp,cnn").split(","));
    mlpSamples = Integer.parseInt(a.getOrDefault("mlp-samples", "60000"));
    mlpWarmup = Integer.parseInt(a.getOrDefault("mlp-warmup", "2560"));
    cnnSamples = Integer.parseInt(a.getOrDefault("cnn-samples", "6000"));
    cnnWarmup = Integer.parseInt(a.getOrDefault("cnn-warmup", "640"));
    inferSamples = Integer.parseInt(a.getOrDefault("infer-samples", "10000"));
    inferBatch = Integer.parseInt(a.getOrDefault("infer-batch", "1000"));
    repeats = Integer.parseInt(a.getOrDefault("repeats", "1"));
  }

  public static Plan parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
      String key = args[i].substring(2);
      if (i + 1 >= args.length) throw new IllegalArgumentException("--" + key + " needs a value");
      a.put(key, args[++i]);
    }
    return new Plan(a);
  }
}

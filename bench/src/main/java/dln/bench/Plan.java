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
  /**
   * --seed: DLN's random stream (weights, shuffles) is seeded with it, as the PyTorch peer's
   * {@code torch.manual_seed}; null (no --seed) leaves DLN unseeded, a fresh draw per process.
   */
  public final Long seed;
  private final Map<String, String> args;

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
    seed = a.containsKey("seed") ? Long.valueOf(a.get("seed")) : null;
    args = a;
  }

  /** Timed training samples of a network: --mlp-samples, --cnn-samples, or --NET-samples (default 2,048). */
  public int samples(String net) {
    return net.equals("mlp") ? mlpSamples : net.equals("cnn") ? cnnSamples : Integer.parseInt(args.getOrDefault(net + "-samples", "2048"));
  }

  /** Warm-up training samples of a network (--NET-warmup, default 256). */
  public int warmup(String net) {
    return net.equals("mlp") ? mlpWarmup : net.equals("cnn") ? cnnWarmup : Integer.parseInt(args.getOrDefault(net + "-warmup", "256"));
  }

  /** Timed inference samples of a network (--NET-infer, default --infer-samples). */
  public int inferSamples(String net) {
    return Integer.parseInt(args.getOrDefault(net + "-infer", Integer.toString(inferSamples)));
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

package dln.bench;

import java.nio.file.Path;

/**
 * Entry point of the DLN peer, run on DLN's own classpath (interpreter/target/dln.jar + lib):
 * {@code --peer dln} trains and predicts with bench/dln/*.dln; {@code --peer eager} measures
 * eager op latency through the interpreter.
 */
public final class DlnMain {
  private DlnMain() {}

  public static void main(String[] args) throws Exception {
    Plan plan = Plan.parse(args);
    Report report = new Report(plan.peer);
    Driver driver = new Driver(plan, report);
    switch (plan.peer) {
      case "eager" -> {
        // -Dbench.eager.passes=N repeats the set in the same JVM: pass 1 includes the JIT's warm-up
        // of the parser and interpreter, later passes are the warm figures (tagged with "pass").
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "1.5"));
        int passes = Integer.getInteger("bench.eager.passes", 1);
        for (int pass = 1; pass <= passes; pass++) new EagerOps(report, seconds, passes > 1 ? pass : 0).run();
      }
      case "dln" -> {
        boolean mnist = plan.nets.stream().anyMatch(n -> n.equals("mlp") || n.equals("cnn") || n.equals("resbn"));
        Nd4jData data = mnist ? new Nd4jData(Mnist.load(Mnist.dataDir())) : null;
        Path scripts = Path.of(System.getProperty("bench.scripts", "bench/dln"));
        for (String net : plan.nets) driver.run(net, () -> net(net, data, scripts.resolve(net + ".dln"), plan));
      }
      default -> throw new IllegalArgumentException("unknown peer '" + plan.peer + "' (dln, eager)");
    }
    System.exit(driver.failed() ? 1 : 0);
  }

  /** The DLN network by name: MNIST for mlp, cnn and resbn; generated data ({@link Synthetic}) for the others. */
  private static BenchNet net(String net, Nd4jData data, Path script, Plan plan) {
    int n = plan.samples(net);
    int test = plan.inferSamples(net);
    return switch (net) {
      case "mlp" -> new DlnNets(plan.seed, data, script, false);
      case "cnn", "resbn" -> new DlnNets(plan.seed, data, script, true);
      case "resnet", "inception" -> new DlnNets(plan.seed, script, Synthetic.images(n, 1), Synthetic.images(test, 2));
      case "transfer" -> new DlnNets(plan.seed, script, Synthetic.images(n, 1, 224), Synthetic.images(test, 2, 224));
      case "lstm", "gru" -> new DlnNets(plan.seed, script, Synthetic.sequences(n, 1), Synthetic.sequences(test, 2));
      case "emb" -> new DlnNets(plan.seed, script, Synthetic.tokens(n, 1), Synthetic.tokens(test, 2));
      default -> throw new IllegalArgumentException("unknown network '" + net + "' (mlp, cnn, resbn, resnet, inception, lstm, gru, emb, transfer)");
    };
  }
}

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
        Nd4jData data = new Nd4jData(Mnist.load(Mnist.dataDir()));
        Path scripts = Path.of(System.getProperty("bench.scripts", "bench/dln"));
        for (String net : plan.nets) driver.run(net, () -> new DlnNets(data, scripts.resolve(net + ".dln"), net.equals("cnn")));
      }
      default -> throw new IllegalArgumentException("unknown peer '" + plan.peer + "' (dln, eager)");
    }
    System.exit(driver.failed() ? 1 : 0);
  }
}

package dln.bench;


/**
 * Entry point of one peer process on the peers' classpath (bench/target/lib):
 * {@code --peer samediff|dl4j|djl} measure the networks, {@code --peer roofline} measures GEMM.
 * DLN runs from {@link DlnMain} on DLN's own classpath.
 */
public final class PeerMain {
  private PeerMain() {}

  public static void main(String[] args) throws Exception {
    Plan plan = Plan.parse(args);
    Report report = new Report(plan.peer);
    if (plan.peer.equals("roofline")) {
      Roofline.run(report, Double.parseDouble(System.getProperty("bench.seconds", "0.6")));
      return;
    }
    Mnist mnist = Mnist.load(Mnist.dataDir());
    Driver driver = new Driver(plan, report);
    switch (plan.peer) {
      case "samediff", "dl4j" -> {
        Nd4jData data = new Nd4jData(mnist);
        boolean sd = plan.peer.equals("samediff");
        for (String net : plan.nets) {
          driver.run(net, () -> net.equals("cnn") ? (sd ? SameDiffNets.cnn(data) : Dl4jNets.cnn(data))
              : (sd ? SameDiffNets.mlp(data) : Dl4jNets.mlp(data)));
        }
      }
      case "djl" -> {
        for (String net : plan.nets) driver.run(net, () -> net.equals("cnn") ? DjlNets.cnn(mnist) : DjlNets.mlp(mnist));
      }
      default -> throw new IllegalArgumentException("unknown peer '" + plan.peer + "' (samediff, dl4j, djl, roofline)");
    }
    // DJL/libtorch threads can keep the JVM alive; the measurements are printed.
    System.exit(driver.failed() ? 1 : 0);
  }

}

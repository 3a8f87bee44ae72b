package dln.spark;

/**
 * The job jar's entry point: {@code spark-submit dln-spark-0.1.0-job.jar script.dln [args]} runs
 * a DLN script on the driver exactly as {@code ./dln script.dln} would; in the script,
 * {@code spark()} (no master) is the session spark-submit configured.
 */
public final class SubmitMain {
  private SubmitMain() {}

  public static void main(String[] args) {
    dln.cli.Main.main(args);
  }
}

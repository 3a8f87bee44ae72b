package dln.spark;

import dln.runtime.DlnRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Connecting to a cluster: a {@link SparkSession} for a master URL ({@code local[N]},
 * {@code spark://host:port}, {@code yarn}, {@code k8s://...}), checked first so that a typo or an
 * unreachable standalone master is a DLN error at once rather than Spark's minute of retries.
 * Under {@code spark-submit} the session it configured is used as is.
 */
public final class Cluster {
  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,\\s*\\d+)?])?");
  private static final int CONNECT_TIMEOUT_MS = 3000;

  private Cluster() {}

  /**
   * The session for a master (the running one when it has that master, e.g. under
   * spark-submit); null or empty takes the master spark-submit or {@code spark.master} gave.
   */
  public static SparkSession session(String master, String appName) {
    SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
        : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
    if (active != null && (master == null || master.isEmpty() || active.sparkContext().master().equals(master))) {
      return active;
    }
    if (master == null || master.isEmpty()) {
      master = System.getProperty("spark.master");
      if (master == null) {
        throw DlnRuntimeException.value("no Spark master given", "e.g. spark('local[2]') or spark('spark://host:7077')");
      }
    }
    check(master);
    if (master.startsWith("local")) return localSession(master, appName);
    try {
      return clusterBuilder(master, appName).getOrCreate();
    } catch (RuntimeException e) {
      throw DlnRuntimeException.io("cannot start a Spark session on '" + master + "': " + HadoopFiles.firstLine(e), null);
    }
  }

  /** A local session: Spark in this JVM with the given threads, no UI, loopback only. */
  public static SparkSession localSession(String master, String appName) {
    return SparkSession.builder().master(master).appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  /**
   * A session on a real cluster from a driver that spark-submit did not start: the executors get
   * DLN's jars (spark.jars, unless set) and the driver's native-build choice and OpenMP policy.
   * Other settings come as usual from {@code -Dspark.*} properties (e.g. spark.executor.memory).
   */
  private static SparkSession.Builder clusterBuilder(String master, String appName) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName(appName);
    if (System.getProperty("spark.jars") == null) b.config("spark.jars", ExecutorJars.forThisDriver());
    String extension = System.getProperty("org.bytedeco.javacpp.platform.extension");
    if (extension != null && System.getProperty("spark.executor.extraJavaOptions") == null) {
      b.config("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.platform.extension=" + extension
          + " -Dorg.bytedeco.javacpp.logger=slf4j");
    }
    String omp = System.getenv("OMP_WAIT_POLICY");
    if (omp != null) b.config("spark.executorEnv.OMP_WAIT_POLICY", omp);
    return b;
  }

  /** The master URL's form, and for a standalone master that something listens there. */
  static void check(String master) {
    if (LOCAL.matcher(master).matches() || master.equals("yarn") || master.startsWith("k8s://")) return;
    if (!master.startsWith("spark://")) {
      throw DlnRuntimeException.value("'" + master + "' is not a Spark master URL",
          "use 'local[2]', 'spark://host:7077', 'yarn' or 'k8s://https://host:port'");
    }
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      URI uri;
      try {
        uri = URI.create("spark://" + hostPort);
      } catch (IllegalArgumentException e) {
        throw DlnRuntimeException.value("'" + master + "' is not a valid master URL", "e.g. 'spark://host:7077'");
      }
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw DlnRuntimeException.value("'" + master + "' names no host and port", "e.g. 'spark://host:7077'");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MS);
        return;
      } catch (IOException e) {
        // try the next master of an HA list
      }
    }
    throw DlnRuntimeException.io("cannot reach the Spark master at '" + master + "'",
        "check the host and port (a standalone master listens on 7077) and that the master is running");
  }
}

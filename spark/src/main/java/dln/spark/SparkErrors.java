package dln.spark;

import dln.runtime.DlnRuntimeException;

/**
 * Spark's failures as DLN errors for the driver: a DLN error raised in a task comes back as
 * itself (found in the cause chain, or in the task failure text Spark forwards), a Spark analysis
 * error (no such path, no such column) as a DLN I/O or value error with its first line, and any
 * other task failure as a DLN error naming the stage, without a stack trace.
 */
public final class SparkErrors {
  private SparkErrors() {}

  /** The DLN error for a failure of a Spark call made on the driver (other exceptions unchanged). */
  public static RuntimeException translate(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DlnRuntimeException d) return d;
    }
    String name = e.getClass().getName();
    String first = HadoopFiles.firstLine(e);
    String dln = "dln.runtime.DlnRuntimeException: ";
    int at = messageOf(e).indexOf(dln);
    if (at >= 0) {
      String rest = messageOf(e).substring(at + dln.length());
      int nl = rest.indexOf('\n');
      return DlnRuntimeException.value(nl < 0 ? rest : rest.substring(0, nl), null);
    }
    if (name.endsWith("AnalysisException")) {
      if (first.contains("PATH_NOT_FOUND") || first.contains("Path does not exist")) {
        return DlnRuntimeException.io("the cluster cannot read the path: " + clean(first), "check the path and the cluster's access to it");
      }
      return DlnRuntimeException.value("Spark rejected the query: " + clean(first), null);
    }
    if (name.startsWith("org.apache.spark")) {
      return new DlnRuntimeException("cluster error", "a Spark job failed: " + clean(first),
          "see the Spark UI or the executors' logs for the task's error");
    }
    if (e instanceof RuntimeException r) return r;
    return new DlnRuntimeException("cluster error", "a Spark call failed: " + clean(first), null);
  }

  private static String messageOf(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) if (t.getMessage() != null) sb.append(t.getMessage()).append('\n');
    return sb.toString();
  }

  /** Drops Spark's "[ERROR_CLASS]" prefix and SQLSTATE suffix. */
  private static String clean(String s) {
    String out = s.replaceFirst("^\\[[A-Z_.]+\\]\\s*", "");
    return out.replaceFirst("\\s*SQLSTATE: \\w+\\s*$", "");
  }
}

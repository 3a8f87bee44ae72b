package dln.fuzz;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.Pos;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one DLN program in an embedded, sandboxed interpreter with a time and memory budget and
 * judges the outcome. The only acceptable outcomes are a normal result, or a {@link DlnException}
 * that
 * <ul>
 *   <li>has a kind and a message, and a {@link DlnException#format()} that works;
 *   <li>has a position whose line lies within its source and whose column within that line;
 *   <li>is not an internal failure in disguise: the evaluator wraps unexpected Java exceptions in
 *       a "runtime error"/"internal error" with the Java exception as cause, and a real
 *       {@code OutOfMemoryError} as "memory error: out of memory": both are bugs here;
 * </ul>
 * and the call must return within the timeout plus a grace period. Anything else (another
 * exception type, an {@code Error}, a hang) is a {@link Finding}.
 *
 * <p>The program runs on a thread with a 1 MiB stack (a typical host thread, smaller than the
 * CLI's main thread and the test JVM's 16 MiB), so deep recursion must be caught, not merely
 * survive a big stack.
 */
final class FuzzTarget implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** Past timeout + this the interpreter failed to stop: a hang. */
  static final Duration GRACE = Duration.ofSeconds(8);
  /** Small, so that allocations are refused long before the JVM notices. */
  static final long MAX_TENSOR_BYTES = 16L << 20;
  private static final int STACK_BYTES = 1 << 20;

  /** A bug: {@code signature} groups duplicates (exception class and first DLN frame). */
  record Finding(String signature, String description, String input) {}

  /** What one run did: null finding when it was acceptable; {@code kind} is "ok" or the error kind. */
  record Outcome(String kind, Finding finding, long nanos) {}

  private ExecutorService worker;
  private Dln dln;
  private int runsOnThisInterpreter;

  FuzzTarget() {
    fresh();
  }

  private void fresh() {
    if (worker != null) worker.shutdownNow();
    worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(null, r, "fuzz-worker", STACK_BYTES);
      t.setDaemon(true);
      return t;
    });
    Writer sink = Writer.nullWriter();
    dln = Dln.builder().out(sink).err(sink).timeout(TIMEOUT).maxTensorBytes(MAX_TENSOR_BYTES).maxDepth(1000).seed(1).build();
    runsOnThisInterpreter = 0;
  }

  /** A new interpreter's callable builtins, for the generator. */
  java.util.Map<String, Object> builtins() {
    return dln.interpreter().builtins().values();
  }

  Outcome run(String code) {
    // Variables are forgotten between inputs; a new interpreter now and then also drops caches.
    if (++runsOnThisInterpreter > 2000) fresh();
    else dln.reset();
    long t0 = System.nanoTime();
    Future<Outcome> f = worker.submit(() -> judge(code));
    try {
      Outcome o = f.get(TIMEOUT.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
      return new Outcome(o.kind(), o.finding(), System.nanoTime() - t0);
    } catch (TimeoutException e) {
      dln.cancel();
      Finding finding = new Finding("hang", "did not stop within " + TIMEOUT.plus(GRACE).toSeconds() + " s", code);
      fresh(); // the stuck thread is a daemon: abandon it
      return new Outcome("hang", finding, System.nanoTime() - t0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      fresh();
      return new Outcome("escaped", new Finding(signature("escaped", t), "escaped " + describe(t), code), System.nanoTime() - t0);
    }
  }

  private Outcome judge(String code) {
    try {
      dln.eval(code, "fuzz.dln");
      return new Outcome("ok", null, 0);
    } catch (DlnException e) {
      String problem = problem(e);
      if (problem == null) return new Outcome(e.kind(), null, 0);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new Outcome(e.kind(), new Finding(signature(problem, cause), problem + ": " + safeFormat(e)
          + (e.getCause() != null ? "\n  cause: " + describe(e.getCause()) : ""), code), 0);
    } catch (StackOverflowError e) {
      return new Outcome("escaped", new Finding(signature("escaped", e), "escaped StackOverflowError", code), 0);
    }
  }

  /** Why this DlnException is not acceptable, or null when it is. */
  static String problem(DlnException e) {
    if (e.kind() == null || e.kind().isBlank()) return "no kind";
    if (e.getMessage() == null || e.getMessage().isBlank()) return "no message";
    String formatted;
    try {
      formatted = e.format();
    } catch (RuntimeException ex) {
      return "format() threw " + ex;
    }
    if (formatted == null || formatted.isEmpty()) return "empty format()";
    Pos p = e.pos();
    if (p == null) return "no position";
    if (p.source() == null) return "position without source";
    int lines = p.source().text().split("\r\n|\r|\n", -1).length;
    if (p.line() < 1 || p.line() > lines) return "line " + p.line() + " outside 1.." + lines;
    int width = p.source().line(p.line()).length();
    if (p.col() < 0 || p.col() > width) return "column " + p.col() + " outside 0.." + width + " of line " + p.line();
    if ((e.kind().equals("runtime error") || e.kind().equals("internal error")) && e.getCause() != null
        && !(e.getCause() instanceof DlnException)) {
      return "internal failure";
    }
    if (e.kind().equals("memory error") && e.getMessage().equals("out of memory")) return "real OutOfMemoryError";
    return null;
  }

  private static String safeFormat(DlnException e) {
    try {
      return e.format();
    } catch (RuntimeException ex) {
      return e.kind() + ": " + e.getMessage();
    }
  }

  /** Exception class plus the first frame in DLN's own code: one bug, one signature. */
  static String signature(String problem, Throwable t) {
    StackTraceElement where = null;
    for (StackTraceElement el : t.getStackTrace()) {
      if (el.getClassName().startsWith("dln.") && !el.getClassName().startsWith("dln.fuzz.")) {
        where = el;
        break;
      }
    }
    if (where == null && t.getStackTrace().length > 0) where = t.getStackTrace()[0];
    return problem + " | " + t.getClass().getName() + " @ " + (where == null ? "?" : where.getClassName() + "." + where.getMethodName() + ":" + where.getLineNumber());
  }

  private static String describe(Throwable t) {
    StringWriter w = new StringWriter();
    w.append(t.toString());
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < Math.min(8, st.length); i++) w.append("\n      at ").append(st[i].toString());
    return w.toString();
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}

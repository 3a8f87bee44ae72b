package dln.bench;

import dln.Dln;
import java.io.Writer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eager op latency inside one warm JVM, three ways for each op:
 * {@code statement} — {@code Dln.eval("c = a + b")}, what one line at the prompt costs after
 * the REPL has read it (parse + evaluate + the op);
 * {@code loop} — the op inside a DLN {@code for} loop, minus the empty loop's cost per iteration
 * (the evaluator's cost for the op itself);
 * {@code nd4j} — the ND4J call DLN ends in ({@code INDArray.add}, {@code Nd4j.gemm}), the floor.
 * Each figure is the median over several timing windows after a warm-up.
 */
final class EagerOps {
  private final Dln dln = Dln.builder().out(Writer.nullWriter()).build();
  private final Report report;
  private final double seconds;
  private final int pass;

  /** {@code pass} > 0 tags each result with its pass number (see {@code -Dbench.eager.passes}). */
  EagerOps(Report report, double seconds, int pass) {
    this.report = report;
    this.seconds = seconds;
    this.pass = pass;
  }

  void run() {
    op("add 2x2", "a + b", rand(2, 2), rand(2, 2), false);
    op("add 512x512", "a + b", rand(512, 512), rand(512, 512), false);
    op("matmul 128x784 @ 784x512", "a @ b", rand(128, 784), rand(784, 512), true);
  }

  private static INDArray rand(long r, long c) {
    return Nd4j.rand(DataType.FLOAT, r, c);
  }

  private void op(String name, String expr, INDArray a, INDArray b, boolean matmul) {
    dln.set("a", a);
    dln.set("b", b);
    String statement = "c = " + expr;
    double stmt = median(() -> dln.eval(statement));
    int loopN = 200;
    String loop = "for i in range(" + loopN + "):\n    c = " + expr + "\n";
    String empty = "for i in range(" + loopN + "):\n    pass\n";
    double loopUs = median(() -> dln.eval(loop)) / loopN;
    double emptyUs = median(() -> dln.eval(empty)) / loopN;
    INDArray out = Nd4j.create(DataType.FLOAT, a.size(0), b.size(1));
    double raw = matmul ? median(() -> Nd4j.gemm(a, b, out, false, false, 1.0, 0.0)) : median(() -> a.add(b));
    Report.Line line = report.line("eager").put("op", name);
    if (pass > 0) line.put("pass", pass);
    line.put("statement_us", stmt).put("loop_us", loopUs - emptyUs).put("empty_loop_iteration_us", emptyUs)
        .put("nd4j_us", raw).print();
  }

  /** Median microseconds per call over 7 windows of seconds/7 each, after a warm-up window. */
  private double median(Runnable r) {
    double window = seconds / 8;
    time(r, window);
    double[] us = new double[7];
    for (int i = 0; i < us.length; i++) us[i] = time(r, window);
    Arrays.sort(us);
    return us[us.length / 2];
  }

  private static double time(Runnable r, double window) {
    long start = System.nanoTime();
    long reps = 0;
    do {
      r.run();
      reps++;
    } while (System.nanoTime() - start < window * 1e9 || reps < 3);
    return (System.nanoTime() - start) / 1e3 / reps;
  }
}

package dln.runtime.train;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs code with {@code System.out} muted. SameDiff M2.1 prints "Added differentiated op ..." with
 * System.out.println for every op when it builds a gradient graph; that must not reach users.
 */
final class Quiet {
  private Quiet() {}

  static synchronized void run(Runnable r) {
    PrintStream saved = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      r.run();
    } finally {
      System.setOut(saved);
    }
  }
}

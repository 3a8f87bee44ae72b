package dln.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs code with {@code System.out} muted. SameDiff M2.1 prints "Added differentiated op ..." with
 * System.out.println for every op when it builds a gradient graph; that must not reach users.
 * DLN's own output never goes through System.out directly (interpreters hold their own writers),
 * so muting it briefly loses nothing.
 */
public final class Muted {
  private Muted() {}

  public static synchronized <T> T call(Supplier<T> body) {
    PrintStream saved = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return body.get();
    } finally {
      System.setOut(saved);
    }
  }

  public static void run(Runnable body) {
    call(() -> {
      body.run();
      return null;
    });
  }
}

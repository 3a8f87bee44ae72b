package dln.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** cancel(), timeouts, and several interpreters on several threads. */
@Timeout(60)
class CancellationTest {
  @Test
  void cancelFromAnotherThreadStopsAnEndlessLoopAndTheInterpreterStaysUsable() throws Exception {
    Dln dln = Dln.builder().out(new StringWriter()).build();
    CountDownLatch running = new CountDownLatch(1);
    dln.register("started", args -> {
      running.countDown();
      return null;
    });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Object> f = pool.submit(() -> dln.eval("n = 0\nstarted()\nwhile true:\n    n += 1\n", "loop.dln"));
      assertTrue(running.await(20, TimeUnit.SECONDS));
      Thread.sleep(50);
      dln.cancel();
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(20, TimeUnit.SECONDS));
      DlnException d = (DlnException) e.getCause();
      assertEquals("interrupted", d.kind());
      assertEquals(3, d.pos().line(), "the error points into the loop");
      assertEquals("stopped: the program was cancelled", d.getMessage(), "an embedder's cancel is not called Ctrl-C");
      assertTrue(dln.get("n", Long.class) > 0, "variables keep what the loop did");
      assertEquals(3L, dln.eval("1 + 2"), "a normal eval works afterwards");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cancelReachesLoopsInsideFunctions() throws Exception {
    Dln dln = Dln.builder().out(new StringWriter()).build();
    CountDownLatch running = new CountDownLatch(1);
    dln.register("started", args -> {
      running.countDown();
      return null;
    });
    dln.eval("def spin():\n    started()\n    while true:\n        pass\n");
    Thread t = new Thread(() -> {
      try {
        running.await();
        dln.cancel();
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    t.start();
    DlnException e = org.junit.jupiter.api.Assertions.assertThrows(DlnException.class, () -> dln.call("spin"));
    assertEquals("interrupted", e.kind());
    t.join();
    assertEquals(4L, dln.eval("2 * 2"));
  }

  @Test
  void timeoutStopsAScriptWithAClearErrorAndTheNextEvalRuns() {
    Dln dln = Dln.builder().out(new StringWriter()).timeout(Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    DlnException e = org.junit.jupiter.api.Assertions.assertThrows(DlnException.class,
        () -> dln.eval("while true:\n    pass\n", "spin.dln"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals("timeout error", e.kind());
    assertEquals("the script ran longer than its time limit of 300 ms and was stopped", e.getMessage());
    assertEquals("spin.dln", e.pos().source().name());
    assertTrue(ms >= 250 && ms < 10_000, "stopped after " + ms + " ms");
    assertEquals(10L, dln.eval("sum(range(5))"), "the limit applies per eval; a short one passes");
    e = org.junit.jupiter.api.Assertions.assertThrows(DlnException.class, () -> dln.eval("i = 0\nwhile i >= 0:\n    i += 1\n"));
    assertEquals("timeout error", e.kind());
  }

  @Test
  void interpretersOnDifferentThreadsAreIndependent() throws Exception {
    int n = 4;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        int id = k;
        results.add(pool.submit(() -> {
          Dln dln = Dln.builder().out(new StringWriter()).build();
          dln.set("k", id);
          dln.set("x", new float[] {1, 2, 3});
          // Enough work that the threads overlap; every one uses the same variable names.
          dln.eval("total = 0\nfor i in range(20000):\n    total += k\ny = x * k + total");
          return dln.get("y", float[].class);
        }));
      }
      for (int k = 0; k < n; k++) {
        float t = 20000f * k;
        assertArrayEquals(new float[] {k + t, 2 * k + t, 3 * k + t}, results.get(k).get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void seedMakesRandomDrawsReproduciblePerInterpreterThread() throws Exception {
    float[] a = drawOnNewThread(42);
    float[] b = drawOnNewThread(42);
    float[] c = drawOnNewThread(7);
    assertArrayEquals(a, b);
    assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
  }

  private static float[] drawOnNewThread(long seed) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      return pool.submit(() -> {
        Dln dln = Dln.builder().out(new StringWriter()).seed(seed).build();
        dln.eval("r = rand(4)");
        return dln.get("r", float[].class);
      }).get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Issue 17: at the REPL (interactive) the stop is the user's Ctrl-C, and the message says only that. */
  @Test
  void interactiveCancelIsReportedAsCtrlCWithoutSpeakingOfAHost() throws Exception {
    Dln dln = Dln.builder().out(new StringWriter()).interactive(true).build();
    dln.register("started", args -> {
      dln.cancel();
      return null;
    });
    DlnException d = org.junit.jupiter.api.Assertions.assertThrows(DlnException.class,
        () -> dln.eval("started()\nwhile true:\n    pass\n", "loop.dln"));
    assertEquals("interrupted", d.kind());
    assertEquals("stopped by Ctrl-C", d.getMessage());
  }
}

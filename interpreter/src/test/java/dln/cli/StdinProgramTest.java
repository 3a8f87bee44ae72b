package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code printf '…' | dln} runs the piped program like {@code python3 -} (issue 17, part 3): no
 * prompts or JLine warnings, output only from the program, the first error ends it with status 1.
 * Runs the real {@code main} in a child JVM whose stdin is a pipe, as a shell pipeline gives it.
 */
class StdinProgramTest {
  /** Runs {@code dln ARGS} with {@code input} piped to stdin; returns "exit | stdout | stderr". */
  private static String pipe(String input, String... args) throws IOException, InterruptedException {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    // Drain stderr on the side so a chatty child cannot block on a full pipe.
    var err = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("dln did not finish reading a piped program");
    }
    return p.exitValue() + " | " + out.strip() + " | " + err.join().strip();
  }

  @Test
  void pipedProgramRunsWithoutPromptsAndStopsAtTheFirstErrorWithStatus1() throws Exception {
    assertEquals("""
        1 | 2 | <stdin>:3:7: name error: name 'foo' is not defined
            print(foo)
                  ^""", pipe("x = 2\nprint(x)\nprint(foo)\nprint('not reached')\n").replaceAll("\\n  hint:.*", ""));
  }

  @Test
  void aCleanPipedProgramExitsZeroAndDashReadsStdinToo() throws Exception {
    assertEquals("0 | 3 | ", pipe("print(1 + 2)\n"));
    assertEquals("0 | ['a'] | ", pipe("print(argv)\n", "-", "a"));
  }
}

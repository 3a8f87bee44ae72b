package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user running {@code dln script.dln} sees only the program's output: no logger set-up
 * warnings, no JavaCPP version warnings, no ND4J start-up banner, no SameDiff graph-building
 * lines, on stdout or stderr. The script runs in a fresh JVM through the real entry point
 * ({@link Main}), because logging is set up once per process, on first use of ND4J.
 */
class QuietOutputTest {
  /** A tiny fit, a prediction and a gradient: ND4J loads, a model trains, autodiff runs. */
  private static final String SCRIPT = """
      x = randn(32, 4)
      y = to_categorical(argmax(x[:, 0:2], axis=1), 2)
      m = Sequential([Input(4), Dense(8, activation='relu'), Dense(2, activation='softmax')])
      m.compile(optimizer=Adam(), loss='categorical_crossentropy', metrics=['accuracy'])
      h = m.fit(x, y, epochs=2, batch_size=8, verbose=0)
      print('epochs', len(h.history['loss']))
      print('rows', m.predict(x[:3]).shape[0])
      """;

  @TempDir Path dir;

  @Test
  void aScriptPrintsOnlyItsOwnOutput() throws Exception {
    Run r = dln(List.of(), script());
    assertEquals("", r.err(), "stderr");
    assertEquals("epochs 2\nrows 3\n", r.out(), "stdout");
    assertEquals(0, r.exit());
  }

  @Test
  void theSameDiffEngineIsQuietToo() throws Exception {
    // The reference engine builds a SameDiff graph, which logs every differentiated op at INFO.
    Run r = dln(List.of("-Ddln.engine=samediff"), script());
    assertEquals("", r.err(), "stderr");
    assertEquals("epochs 2\nrows 3\n", r.out(), "stdout");
  }

  @Test
  void verboseShowsTheLibrariesLog() throws Exception {
    Run r = dln(List.of(), "--verbose", script());
    assertTrue(r.err().contains("Loaded [CpuBackend] backend"), "ND4J's start-up report on stderr:\n" + r.err());
    assertEquals("epochs 2\nrows 3\n", r.out(), "stdout stays the program's");
  }

  private String script() throws IOException {
    Path p = dir.resolve("fit.dln");
    Files.writeString(p, SCRIPT, StandardCharsets.UTF_8);
    return p.toString();
  }

  private record Run(int exit, String out, String err) {}

  private Run dln(List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss16m");
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    pb.environment().put("OMP_WAIT_POLICY", "passive");
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("dln did not finish within 180 s");
    }
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }
}

package dln.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds and runs examples/embed the way an embedder would: its Java source compiled against the
 * DLN jars alone (this module's classpath stands in for the Maven dependency, since tests must not
 * install into the shared local repository), then run as its own JVM process.
 */
class ExampleProjectTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "embed");

  @Test
  @Timeout(300)
  void exampleCompilesAndPrintsTheExpectedResults(@TempDir Path classes) throws Exception {
    assertTrue(Files.isRegularFile(EXAMPLE.resolve("pom.xml")), "example project at " + EXAMPLE.toAbsolutePath());
    String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
    assertTrue(pom.contains("<artifactId>dln-interpreter</artifactId>") && pom.contains("<version>0.1.0</version>"),
        "the example depends on the published artifact");

    // The main classpath only: no test classes, no JUnit, as in the example's own build.
    String classpath = String.join(File.pathSeparator, Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes") && !e.contains("junit") && !e.contains("opentest4j") && !e.contains("apiguardian"))
        .toList());
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests need a JDK");
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath, "--release", "17", "-Xlint:all,-path", "-Werror"));
    args.addAll(sources);
    java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
    assertEquals(0, rc, "javac: " + diagnostics.toString(StandardCharsets.UTF_8));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", classes + File.pathSeparator + classpath, "example.EmbedExample")
        .redirectError(classes.resolve("stderr.txt").toFile())
        .directory(EXAMPLE.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "passive");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "example did not finish");
    String stderr = Files.readString(classes.resolve("stderr.txt"));
    assertEquals(0, p.exitValue(), output + stderr);
    // Quiet when embedded too (javax.script included): no logger, JavaCPP or ND4J lines.
    assertEquals("", stderr, "the embedding application's stderr");

    // scaled = [0, 64, 128, 255] / 255; scores = scaled * [0.5, 0.25, 0.125, 1] + 0.1
    float[] expected = new float[4];
    float[] px = {0, 64, 128, 255};
    float[] w = {0.5f, 0.25f, 0.125f, 1f};
    for (int i = 0; i < 4; i++) expected[i] = px[i] / 255f * w[i] + 0.1f;
    String line = lineStarting(output, "scores from Java: ");
    String[] parts = line.substring(line.indexOf('[') + 1, line.indexOf(']')).split(",\\s*");
    assertEquals(4, parts.length, line);
    for (int i = 0; i < 4; i++) assertEquals(expected[i], Float.parseFloat(parts[i]), 1e-6, line);

    assertTrue(output.contains("[host] [computed, 4, scores]"), output);
    assertTrue(output.contains("score([1, 1], [2, 3], 1) = [3.0, 4.0]"), output);
    assertTrue(output.contains("summary: {n=4, names=[a, b]}"), output);
    assertTrue(output.contains("first name: a"), output);
    assertTrue(output.contains("caught: type error at line 1"), output);
    assertTrue(output.contains("javax.script says: 15.0"), output);
  }

  private static String lineStarting(String output, String prefix) throws IOException {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + output));
  }
}

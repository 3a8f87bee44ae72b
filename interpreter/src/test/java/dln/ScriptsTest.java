package dln;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every workshop script in {@code scripts/} runs in CI, in its short form: a {@code # ci-args:}
 * line gives the command-line arguments (e.g. fewer epochs on a subset). The run must end without
 * an error, and each {@code # expect: TEXT} line's text must appear in the output, in order.
 */
class ScriptsTest {
  static final Path DIR = Path.of("..", "scripts");

  @TestFactory
  Stream<DynamicTest> workshopScripts() throws IOException {
    List<Path> scripts = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.filter(p -> p.toString().endsWith(".dln")).sorted().forEach(scripts::add);
    }
    assertFalse(scripts.isEmpty(), "scripts/ has workshop scripts");
    return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
  }

  private static void check(Path script) throws IOException {
    List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>();
    List<String> expects = new ArrayList<>();
    for (String l : lines) {
      String t = l.strip();
      if (t.startsWith("# ci-args:")) args.addAll(Arrays.asList(t.substring(10).strip().split("\\s+")));
      if (t.startsWith("# expect:")) expects.add(t.substring(9).strip());
    }
    String out = GoldenTest.run(script, args);
    assertFalse(out.contains(" error: "), script + " ended with an error:\n" + out);
    int from = 0;
    for (String e : expects) {
      int at = out.indexOf(e, from);
      assertTrue(at >= 0, script + ": expected output to contain, in order: " + e + "\n--- output ---\n" + out);
      from = at + e.length();
    }
  }
}

package dln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Every workshop script in {@code scripts/} runs in CI, in its short form: a {@code # ci-args:}
 * line gives the command-line arguments (e.g. fewer epochs on a subset). The run must end without
 * an error, and each {@code # expect: TEXT} line must match the output, in order. The text is
 * literal except for two things: {@code {LO..HI}} stands for one printed number that must lie
 * between LO and HI (inclusive; thousands separators allowed), so {@code # expect: Test accuracy:
 * {0.8..1}} checks the value, not only the label; and a run of spaces matches any run of spaces
 * (tables pad their columns).
 */
class ScriptsTest {
  static final Path DIR = Path.of("..", "scripts");
  private static final Pattern RANGE = Pattern.compile("\\{(-?[0-9.eE+-]+)\\.\\.(-?[0-9.eE+-]+)\\}");
  private static final Pattern SPACES = Pattern.compile("[ \\t]+");
  private static final String NUMBER = "(-?[0-9][0-9,]*(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|-?NaN|-?Infinity|-?nan|-?inf)";

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
    expectInOrder(script.toString(), expects, out);
  }

  /** Checks each expectation against the output, each after the previous one's match. */
  static void expectInOrder(String what, List<String> expects, String out) {
    int from = 0;
    for (String e : expects) {
      Expectation x = Expectation.parse(e);
      Matcher m = x.pattern.matcher(out);
      if (!m.find(from)) {
        throw new AssertionFailedError(what + ": expected output to contain, in order: " + e + "\n--- output ---\n" + out);
      }
      for (int i = 0; i < x.ranges.size(); i++) {
        double[] r = x.ranges.get(i);
        String printed = m.group(i + 1);
        double v = parse(printed);
        if (!(v >= r[0] && v <= r[1])) {
          throw new AssertionFailedError(what + ": in \"" + m.group() + "\" the number " + printed + " is outside ["
              + fmt(r[0]) + ", " + fmt(r[1]) + "] (expect: " + e + ")\n--- output ---\n" + out);
        }
      }
      from = m.end();
    }
  }

  private static double parse(String printed) {
    String s = printed.replace(",", "").toLowerCase();
    if (s.endsWith("nan")) return Double.NaN;
    if (s.endsWith("inf") || s.endsWith("infinity")) return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    return Double.parseDouble(s);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** An expect line as a pattern: literal text, with a number group for each {LO..HI}. */
  private record Expectation(Pattern pattern, List<double[]> ranges) {
    static Expectation parse(String text) {
      StringBuilder re = new StringBuilder();
      List<double[]> ranges = new ArrayList<>();
      Matcher m = RANGE.matcher(text);
      int at = 0;
      while (m.find()) {
        re.append(literal(text.substring(at, m.start()))).append(NUMBER);
        double lo = Double.parseDouble(m.group(1));
        double hi = Double.parseDouble(m.group(2));
        if (lo > hi) throw new IllegalArgumentException("empty range in expect line: " + text);
        ranges.add(new double[] {lo, hi});
        at = m.end();
      }
      re.append(literal(text.substring(at)));
      return new Expectation(Pattern.compile(re.toString()), ranges);
    }

    /** Literal text, each run of spaces matching any run of spaces. */
    private static String literal(String text) {
      StringBuilder re = new StringBuilder();
      Matcher spaces = SPACES.matcher(text);
      int at = 0;
      while (spaces.find()) {
        if (spaces.start() > at) re.append(Pattern.quote(text.substring(at, spaces.start())));
        re.append(SPACES.pattern());
        at = spaces.end();
      }
      if (at < text.length()) re.append(Pattern.quote(text.substring(at)));
      return re.toString();
    }
  }

  // ------------------------------------------------------------------ the checker itself

  @Test
  void rangesCheckTheNumberNotOnlyTheLabel() {
    String out = "epoch 1\nTest accuracy: 0.9125\nparams: 108,736\n";
    expectInOrder("out", List.of("Test accuracy: {0.9..1}", "params: {108736..108736}"), out);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> expectInOrder("out", List.of("Test accuracy: {0.95..1}"), out));
    assertTrue(e.getMessage().startsWith("out: in \"Test accuracy: 0.9125\" the number 0.9125 is outside [0.95, 1]"), e.getMessage());
    assertThrows(AssertionFailedError.class, () -> expectInOrder("out", List.of("Test loss: {0..1}"), out));
  }

  @Test
  void expectationsMatchInOrderAndLiterally() {
    String out = "a (1+1) = 2\nb = 3\nAdam        0.6821\n";
    expectInOrder("out", List.of("a (1+1) = {2..2}", "b = 3", "Adam {0..0.7}"), out);
    assertThrows(AssertionFailedError.class, () -> expectInOrder("out", List.of("b = 3", "a (1+1)"), out));
    assertThrows(AssertionFailedError.class, () -> expectInOrder("out", List.of("loss = {0..1}"), "loss = nan\n"));
    assertEquals(1, Expectation.parse("x {1..2} y").ranges().size());
  }
}

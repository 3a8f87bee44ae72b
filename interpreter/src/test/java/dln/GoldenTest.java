package dln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden scripts pin the language. Each {@code src/test/resources/golden/NAME.dln} runs in a fresh
 * interpreter; its output (and the formatted error that ends it, if any) must equal
 * {@code NAME.out} exactly. Run with {@code -Dgolden.update=true} to rewrite the .out files after
 * a deliberate change (then review the diff).
 */
class GoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden");

  @TestFactory
  Stream<DynamicTest> goldenScripts() throws IOException {
    List<Path> scripts = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.filter(p -> p.toString().endsWith(".dln")).sorted().forEach(scripts::add);
    }
    assertTrue(scripts.size() > 3, "golden scripts present");
    return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
  }

  /** Runs a script the way `dln FILE` does and returns what the user would see. */
  static String run(Path script, List<String> args) throws IOException {
    StringWriter buf = new StringWriter();
    PrintWriter w = new PrintWriter(buf, true);
    Dln dln = Dln.builder().out(w).err(w).sandbox(Sandbox.unrestricted()).build();
    dln.set("argv", new ArrayList<Object>(args));
    try {
      dln.eval(Files.readString(script, StandardCharsets.UTF_8), script.getFileName().toString());
    } catch (DlnException e) {
      w.println(e.format());
    }
    w.flush();
    return buf.toString();
  }

  private static void check(Path script) throws IOException {
    String actual = run(script, List.of());
    Path expected = Path.of(script.toString().replaceAll("\\.dln$", ".out"));
    if (Boolean.getBoolean("golden.update") || !Files.exists(expected)) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, script.toString());
  }
}

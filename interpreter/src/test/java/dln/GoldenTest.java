package dln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Golden scripts pin the language. Each {@code src/test/resources/golden/NAME.dln} runs in a fresh
 * interpreter; its output (and the formatted error that ends it, if any) must equal
 * {@code NAME.out} exactly; a script without its .out file fails. Run with
 * {@code -Dgolden.update=true} to write the .out files (a new script's, or all of them after a
 * deliberate change; then review the diff).
 */
class GoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  /** The system property that (re)writes the .out files from the current output. */
  static final String UPDATE = "golden.update";

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

  @Test
  void aScriptWithoutItsExpectedOutputFails(@TempDir Path tmp) throws IOException {
    Assumptions.assumeFalse(Boolean.getBoolean(UPDATE), "updating: a missing .out file is written");
    Path script = tmp.resolve("new_feature.dln");
    Files.writeString(script, "print(1 + 1)\n", StandardCharsets.UTF_8);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(script));
    assertTrue(e.getMessage().contains("has no expected output new_feature.out: write it with mvn test -Dgolden.update=true"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("new_feature.out")), "nothing written without -D" + UPDATE);
  }

  private static void check(Path script) throws IOException {
    String actual = run(script, List.of());
    Path expected = Path.of(script.toString().replaceAll("\\.dln$", ".out"));
    if (Boolean.getBoolean(UPDATE)) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
    } else if (!Files.exists(expected)) {
      fail(script + " has no expected output " + expected.getFileName() + ": write it with mvn test -D" + UPDATE
          + "=true -Dtest=GoldenTest (then review it), or commit the .out file");
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, script.toString());
  }
}

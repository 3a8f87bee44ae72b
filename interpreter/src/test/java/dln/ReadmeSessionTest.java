package dln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import dln.interp.value.None;
import dln.interp.value.Values;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regenerates the outputs the README's "A session" transcript shows (issue 17, point 7): every
 * {@code dln> } entry runs in one session, as the REPL runs it (echoing an expression's value, or
 * the located error), and the output printed under each entry in the README must be what DLN
 * prints now. Entries that load the full MNIST or train on it are left out (minutes of work, and
 * their timings differ on every machine): their shown lines are only checked for Keras's format.
 *
 * <p>Part of the default suite, so a README edit that no longer matches DLN fails CI.
 * On failure the message holds the regenerated transcript to paste.
 */
class ReadmeSessionTest {
  private static final List<String> EXPENSIVE = List.of("mnist(", ".fit(", ".evaluate(", "plot(");

  @Test
  void theSessionShownIsWhatDlnPrints() throws Exception {
    Path readme = Path.of("..", "README.md");
    List<String> lines = Files.readAllLines(readme);
    int start = lines.indexOf("## A session");
    assertTrue(start >= 0, "README.md has a '## A session' section");
    int open = lines.subList(start, lines.size()).indexOf("```") + start;
    int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
    List<String> block = lines.subList(open + 1, close);

    StringWriter buf = new StringWriter();
    PrintWriter w = new PrintWriter(buf, true);
    Dln dln = Dln.builder().out(w).err(w).sandbox(Sandbox.unrestricted()).build();
    List<String> regenerated = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < block.size(); i++) {
      String entry = block.get(i);
      if (!entry.startsWith("dln> ")) continue;
      List<String> out = new ArrayList<>();
      for (int j = i + 1; j < block.size() && !block.get(j).startsWith("dln> "); j++) out.add(block.get(j));
      String code = entry.substring(5).replaceAll("\\s+#.*$", "");
      if (EXPENSIVE.stream().anyMatch(code::contains)) {
        for (String o : out) {
          if (o.startsWith("Epoch ")) {
            assertTrue(o.matches("Epoch \\d+/\\d+ - \\S+ \\S+/step( - \\w+: \\d\\.\\d{4})+"), "Keras's epoch line format: " + o);
          }
        }
        continue;
      }
      buf.getBuffer().setLength(0);
      try {
        Object v = dln.eval(code, "<repl>");
        // The REPL echoes an expression's value (an assignment or a call returning none prints nothing).
        if (v != null && v != None.NONE) w.println(Values.repr(v));
      } catch (DlnException e) {
        w.println(e.format());
      }
      w.flush();
      shown.add(entry);
      shown.addAll(out);
      regenerated.add(entry);
      regenerated.addAll(buf.toString().lines().toList());
    }
    assertEquals(String.join("\n", shown), String.join("\n", regenerated),
        "README.md's session drifted; the cheap entries regenerated (paste into the README):\n" + String.join("\n", regenerated));
  }
}

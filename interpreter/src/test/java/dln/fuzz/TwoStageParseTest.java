package dln.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.interp.DlnException;
import dln.interp.Source;
import dln.interp.parse.Parsing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two-stage parse (SLL with bail-out, then LL) must be indistinguishable from the single LL
 * parse: the same AST for every valid input, the same error (kind, message, hint, position,
 * incompleteness) for every invalid one. Checked on every script in the repository and on
 * thousands of generated and mutated programs from the fuzzer, most of them valid or nearly so.
 */
class TwoStageParseTest {
  @Test
  void twoStageParseIsTheSingleStageParse() throws IOException {
    List<String> inputs = new ArrayList<>();
    Path root = Path.of("..");
    for (String dir : List.of("interpreter/src/test/resources", "scripts", "bench/dln", "perf", "stdlib/src/main/resources")) {
      Path d = root.resolve(dir);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> s = Files.walk(d)) {
        for (Path p : s.filter(x -> x.toString().endsWith(".dln")).sorted().toList()) {
          inputs.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        }
      }
    }
    int files = inputs.size();
    assertTrue(files >= 40, "the repository's scripts were found: " + files);
    // Inputs as the fuzzer makes them (Fuzzer.input), without its slow vetting of seed scripts.
    List<byte[]> seeds = Fuzzer.loadSeeds(Path.of("."));
    FuzzTarget target = new FuzzTarget();
    try {
      List<ProgramGenerator.Fn> builtins = ProgramGenerator.builtinsOf(target.builtins());
      for (long i = 0; i < 1000; i++) {
        Random r = new Random(20260101L + i);
        ProgramGenerator gen = new ProgramGenerator(r, builtins);
        if (i % 2 == 0) {
          inputs.add(gen.program());
        } else {
          byte[] base = i % 4 == 1 ? gen.program().getBytes(StandardCharsets.UTF_8) : seeds.get(r.nextInt(seeds.size()));
          inputs.add(new String(new ByteMutator(r).mutate(base, seeds), StandardCharsets.UTF_8));
        }
      }
    } finally {
      target.close();
    }
    int valid = 0;
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Source source = new Source(i < files ? "file" + i + ".dln" : "<fuzz " + i + ">", inputs.get(i));
      String single = outcome(source, false);
      String twoStage = outcome(source, true);
      if (!single.equals(twoStage)) differences.add(source.name() + ":\n" + source.text() + "\n  LL:        " + single + "\n  two-stage: " + twoStage);
      if (single.startsWith("ok")) valid++;
    }
    assertEquals(List.of(), differences.subList(0, Math.min(5, differences.size())), differences.size() + " differences");
    assertTrue(valid > inputs.size() / 4, "enough valid programs to compare trees: " + valid + " of " + inputs.size());
  }

  /** "ok " + the AST (records print their whole structure), or the error's every visible part. */
  private static String outcome(Source source, boolean twoStage) {
    try {
      return "ok " + Parsing.parse(source, twoStage);
    } catch (DlnException e) {
      return "error " + e.getClass().getSimpleName() + " " + e.kind() + ": " + e.getMessage() + " | " + e.hint() + " @ "
          + Objects.toString(e.pos()) + (Parsing.isIncomplete(e) ? " (incomplete)" : "");
    } catch (RuntimeException | StackOverflowError e) {
      return "crash " + e;
    }
  }
}

package dln;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Published Keras programs (keras.io examples, the TensorFlow quickstart), imports included, run as
 * written but for their epoch counts and training slices. Each prints "Test accuracy: X" and states
 * in its header the accuracy it must reach ({@code reaches: 0.8}); they train on MNIST from DLN_DATA.
 */
class KerasCorpusTest {
  static final Path DIR = Path.of("src/test/resources/keras_corpus");
  private static final Pattern REACHES = Pattern.compile("reaches: ([0-9.]+)");
  private static final Pattern ACCURACY = Pattern.compile("(?m)^Test accuracy: ([0-9.]+)$");

  @TestFactory
  Stream<DynamicTest> programs() throws IOException {
    List<Path> scripts = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.filter(p -> p.toString().endsWith(".dln")).sorted().forEach(scripts::add);
    }
    assertTrue(scripts.size() >= 2, "corpus present");
    return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
  }

  private static void check(Path script) throws IOException {
    Assumptions.assumeTrue(System.getenv("DLN_DATA") != null, "the corpus trains on MNIST from DLN_DATA");
    Matcher want = REACHES.matcher(Files.readString(script, StandardCharsets.UTF_8));
    assertTrue(want.find(), script + " states the accuracy it reaches");
    String out = GoldenTest.run(script, List.of());
    Matcher got = ACCURACY.matcher(out);
    assertTrue(got.find(), script + " ran to its accuracy line:\n" + out);
    double accuracy = Double.parseDouble(got.group(1));
    assertTrue(accuracy >= Double.parseDouble(want.group(1)), script + " reached only " + accuracy + ":\n" + out);
  }
}

package dln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The evaluator (the classes of {@code dln.interp} itself: Interpreter, Operators, Scope,
 * UserFunction, Failures, Formatting…) knows nothing of ND4J: tensors reach it as opaque values,
 * and their operators, conversions and errors live in the runtime ({@code TensorOps}) or the value
 * protocol ({@code dln.interp.value}). Read from the sources, so an {@code INDArray} creeping back
 * into the evaluator fails here.
 */
class EvaluatorLayeringTest {
  private static final Path EVALUATOR = Path.of("src/main/java/dln/interp");

  @Test
  void theEvaluatorNamesNoNd4jType() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(EVALUATOR)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertTrue(files.stream().anyMatch(p -> p.endsWith("Interpreter.java")), "the sources were found: " + files);
    List<String> offenders = files.stream().filter(EvaluatorLayeringTest::mentionsNd4j)
        .map(p -> p.getFileName().toString()).toList();
    assertEquals(List.of(), offenders, "evaluator classes that use ND4J directly");
  }

  private static boolean mentionsNd4j(Path file) {
    try {
      String code = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
      return code.contains("org.nd4j") || code.matches("(?s).*\\bINDArray\\b.*");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlnCompleterTest {
  private Dln dln;
  private DlnCompleter completer;

  @BeforeEach
  void setUp() {
    dln = Dln.builder().out(new PrintWriter(new StringWriter())).err(new PrintWriter(new StringWriter())).build();
    completer = new DlnCompleter(new Catalog(dln.interpreter()));
  }

  @Test
  void namesInScopeIncludeBuiltinsUserVariablesAndKeywords() {
    dln.eval("learning_rate = 0.1");
    // other libraries add builtins, so these check membership rather than whole lists
    List<String> l = completer.complete("l");
    assertTrue(l.containsAll(List.of("learning_rate", "len", "list", "lambda")), l.toString());
    assertTrue(l.stream().allMatch(n -> n.startsWith("l")), l.toString());
    assertTrue(completer.complete("x = pri").contains("print"));
  }

  @Test
  void importsCompleteModulePathsAndMembers() {
    assertEquals(List.of("numpy"), completer.complete("import nu"));
    assertTrue(completer.complete("import keras.").containsAll(List.of("keras.layers", "keras.optimizers.schedules")));
    assertTrue(completer.complete("import math, tensor").containsAll(List.of("tensorflow", "tensorflow.nn")));
    assertTrue(completer.complete("from keras.datas").containsAll(List.of("keras.datasets", "keras.datasets.mnist")));
    assertTrue(completer.complete("from keras.layers import Dense, Con").contains("Conv2D"));
    // after the import, the alias completes the module's members as np. always did
    dln.eval("import keras as K");
    assertTrue(completer.complete("K.layers.Den").contains("Dense"));
  }

  @Test
  void keywordArgumentsOfTheCalledBuiltin() {
    // a started keyword argument wins over builtins with the same prefix (seed, selu...)
    dln.interpreter().builtins().def("seed", "n", "Seeds.\nExample: seed(1)", a -> null);
    dln.interpreter().globals().parent().define("seed", dln.interpreter().builtins().get("seed"));
    assertEquals(List.of("sep="), completer.complete("print(1, 2, se"));
    assertEquals(List.of("seed"), completer.complete("print(1, 2, see"));
    // right after "(" the parameters are what Tab lists; names come once a word is started
    assertEquals(List.of("start=", "stop=", "step="), completer.complete("range("));
    List<String> names = completer.complete("range(l");
    assertTrue(names.contains("len") && names.contains("lambda"), names.toString());
    // statement keywords make no sense inside a call
    assertFalse(completer.complete("range(d").contains("def"));
  }

  @Test
  void keywordArgumentsAlreadyGivenAreNotOfferedAgain() {
    List<String> rest = completer.complete("range(start=1, ");
    assertFalse(rest.contains("start="));
    assertTrue(rest.contains("stop="));
  }

  @Test
  void keywordArgumentsOfUserFunctions() {
    dln.eval("def block(x, filters, kernel=3):\n    return x\n");
    assertEquals(List.of("filters="), completer.complete("block(1, fil"));
    assertEquals(List.of("x=", "filters=", "kernel="), completer.complete("block("));
    assertEquals(List.of("kernel="), completer.complete("block(1, filters=2, "));
  }

  @Test
  void enumLikeValuesAfterTheirKeyword() {
    assertEquals(List.of("'valid'", "'same'"), completer.complete("Conv2D(32, 3, padding="));
    // once a word is started, the values come first, then names in scope (a variable can hold the value)
    List<String> typed = completer.complete("Conv2D(32, 3, padding=s");
    assertEquals("same", typed.get(0));
    assertTrue(typed.contains("sum"));
    List<String> acts = completer.complete("Dense(64, activation=");
    assertTrue(acts.contains("'relu'") && acts.contains("'softmax'"), acts.toString());
    assertEquals(List.of("relu'"), completer.complete("Dense(64, activation='re"));
    assertTrue(completer.complete("model.compile(loss='").contains("categorical_crossentropy'"));
    assertTrue(completer.complete("model.compile(optimizer=").contains("'adam'"));
    assertTrue(completer.complete("model.compile(metrics=['").contains("accuracy'"));
  }

  @Test
  void anAssignmentOutsideACallIsNotAKeywordArgument() {
    List<String> r = completer.complete("padding = ");
    assertFalse(r.contains("'same'"));
    assertTrue(r.contains("print"));
  }

  @Test
  void membersAfterADotComeFromTheValuesType() {
    dln.eval("xs = [3, 1, 2]\nnames = {'a': 1}");
    List<String> listMembers = completer.complete("xs.");
    assertTrue(listMembers.contains("append"), listMembers.toString());
    assertEquals(List.of("append"), completer.complete("xs.app"));
    assertTrue(completer.complete("names.").contains("keys"));
    assertTrue(completer.complete("'abc'.").isEmpty(), "a literal before the dot is not evaluated");
    assertTrue(completer.complete("unknown.").isEmpty());
    assertTrue(completer.complete("f(xs).").isEmpty(), "nothing is called to complete");
  }

  @Test
  void fileNamesInsideStringsAndAfterLoad(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("neuron.dln"), "x = 1\n");
    Files.writeString(dir.resolve("net.dln"), "x = 2\n");
    Files.createDirectory(dir.resolve("nested"));
    String d = dir.toString();
    assertEquals(List.of(d + "/nested/", d + "/net.dln'", d + "/neuron.dln'"), completer.complete("open('" + d + "/ne"));
    assertEquals(List.of(d + "/neuron.dln"), completer.complete(":load " + d + "/neu"));
    assertEquals(List.of(d + "/neuron.dln"), completer.complete(":l " + d + "/neu"));
  }

  @Test
  void commandsAndTheirArguments() {
    assertEquals(List.of(":summary", ":save", ":script"), completer.complete(":s"));
    assertTrue(completer.complete(":help pri").contains("print"));
    assertEquals(List.of("sep="), completer.complete(":time print(1, se"));
  }

  @Test
  void nothingInsideComments() {
    assertTrue(completer.complete("x = 1  # pri").isEmpty());
  }

  @Test
  void theWordReplacedIsTheIdentifierBeforeTheCursor() {
    DlnCompleter.Result r = completer.analyze("print(1, se) + 1", 11);
    assertEquals("se", r.word());
    assertEquals(9, r.wordStart());
  }
}

package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real REPL in a terminal, as a person would: keys go in with tmux send-keys and the
 * screen is read back with capture-pane. The REPL runs from the test class path (so it needs no
 * packaged jar) on a private tmux server. Every test starts its own REPL with its own temporary
 * home (history file), so no test depends on what another typed, or on the order they run in.
 */
class ReplTerminalTest {
  private static final String SESSION = "dln-test";
  private static final long TIMEOUT_MS = 90_000;
  @TempDir
  Path home;
  private static String socket;
  /** What the launcher prints when the REPL's process has ended, followed by its exit status. */
  private static final String EXITED = "[the REPL exited with status ";

  @BeforeAll
  static void privateTmuxServer() {
    Assumptions.assumeTrue(tmuxAvailable(), "tmux is not installed: the terminal test of the REPL is skipped");
    socket = "dln-test-" + ProcessHandle.current().pid();
  }

  @BeforeEach
  void startRepl() throws Exception {
    Path launcher = home.resolve("repl.sh");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The pane outlives the REPL and says how it ended: a REPL that dies on start-up leaves its
    // output on the screen for the failure message (not a vanished tmux server).
    Files.writeString(launcher, "#!/bin/sh\nexport OMP_WAIT_POLICY=passive\ncd '" + home + "'\n'" + java
        + "' -Xss16m -Duser.home='" + home + "' -Dorg.bytedeco.javacpp.cachedir='" + javacppCache()
        + "' -cp \"$DLN_TEST_CLASSPATH\" dln.cli.Main\necho \"" + EXITED + "$?]\"\nsleep 600\n", StandardCharsets.UTF_8);
    tmux(List.of("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "50",
        "-e", "DLN_TEST_CLASSPATH=" + System.getProperty("java.class.path"), "sh " + launcher));
    waitForScreen("the first prompt", s -> s.contains(Repl.PROMPT));
  }

  /**
   * The real user's JavaCPP cache, where this test JVM already unpacked ND4J's natives: with the
   * temporary home alone the REPL would unpack ~330 MB again, which on a loaded machine can take
   * longer than the test waits.
   */
  private static String javacppCache() {
    String configured = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (configured != null) return configured;
    return Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString();
  }

  @AfterEach
  void stopRepl() throws Exception {
    tmux(List.of("kill-session", "-t", SESSION));
  }

  @AfterAll
  static void stopTmux() throws Exception {
    if (socket != null) tmux(List.of("kill-server"));
  }

  @Test
  void tabCompletesKeywordArgumentsAndListsThem() throws Exception {
    clear();
    keys("print(1, se", "Tab");
    waitForScreen("print's sep= keyword", s -> s.contains("print(1, sep="));
    keys("C-u", "C-l");
    keys("range(", "Tab");
    waitForScreen("range's parameters listed", s -> s.contains("start=") && s.contains("stop=") && s.contains("step="));
    keys("C-u", "C-l");
    keys("Dense(64, activation=", "Tab");
    waitForScreen("activation names", s -> s.contains("'relu'") && s.contains("'softmax'"));
    keys("C-u");
  }

  @Test
  void multiLineDefIsIndentedAutomaticallyAndEndsWithAnEmptyLine() throws Exception {
    clear();
    line("def twice(x):");
    waitForScreen("a continuation prompt", s -> s.contains(Repl.CONTINUATION));
    line("return 2 * x"); // typed without indentation: the REPL indents the block
    waitForScreen("the body echoed indented", s -> s.contains(Repl.CONTINUATION + "    return 2 * x"));
    line("");
    line("twice(21)");
    waitForScreen("the function's result", s -> s.lines().anyMatch(l -> l.strip().equals("42")));
  }

  @Test
  void pastedMultiLineCodeRunsAsOneEntry() throws Exception {
    clear();
    // A bracketed paste (what terminals send when code is pasted) of a def with its own indentation and a call.
    assertEquals(0, tmux(List.of("set-buffer", "-b", "code", "def cube(x):\n    y = x * x\n    return y * x\n\nprint('cube', cube(3))\n")));
    assertEquals(0, tmux(List.of("paste-buffer", "-p", "-b", "code", "-t", SESSION)));
    Thread.sleep(300);
    line("");
    String screen = waitForScreen("the pasted code's output", s -> s.contains("cube 27"));
    assertTrue(screen.contains(Repl.CONTINUATION + "    return y * x"), "indentation pasted as is:\n" + screen);
    // The same text arriving as plain fast keystrokes (a terminal without bracketed paste) works too.
    clear();
    assertEquals(0, tmux(List.of("set-buffer", "-b", "keys", "def sq(x):\n    return x * x\n\nprint('sq', sq(5))\n")));
    assertEquals(0, tmux(List.of("paste-buffer", "-b", "keys", "-t", SESSION)));
    screen = waitForScreen("the typed-ahead code's output", s -> s.contains("sq 25"));
    assertTrue(screen.contains(Repl.CONTINUATION + "    return x * x"), "no doubled indentation:\n" + screen);
  }

  @Test
  void ctrlRFindsAnEarlierEntry() throws Exception {
    clear();
    defineAndCallTwice();
    clear();
    line("0");
    clear();
    keys("C-r");
    keys("-l", "twice(");
    waitForScreen("the history search", s -> s.contains("twice(21)") && s.contains("search"));
    keys("Enter");
    waitForScreen("the recalled entry's result", s -> s.lines().filter(l -> l.strip().equals("42")).count() >= 1);
  }

  @Test
  void anErrorIsReportedAndTheNextLineWorks() throws Exception {
    clear();
    line("undefined_name + 1");
    waitForScreen("the name error", s -> s.contains("name 'undefined_name' is not defined"));
    line("40 + 2");
    waitForScreen("the next result", s -> s.lines().anyMatch(l -> l.strip().equals("42")));
  }

  @Test
  void ctrlCStopsALoopKeepsStateAndNeverExitsAtThePrompt() throws Exception {
    clear();
    interruptACountingLoop();
    clear();
    line("n > 0");
    waitForScreen("state kept after the interrupt", s -> s.lines().anyMatch(l -> l.strip().equals("true")));
    keys("C-c");
    keys("C-c");
    waitForScreen("the hint on Ctrl-C", s -> s.contains("Ctrl-D or :quit leaves DLN"));
    clear();
    line("6 * 7");
    waitForScreen("the REPL still running", s -> s.lines().anyMatch(l -> l.strip().equals("42")));
  }

  @Test
  void helpShowsSignatureDescriptionAndExample() throws Exception {
    clear();
    line(":help print");
    String screen = waitForScreen("print's help", s -> s.contains("Example:"));
    assertTrue(screen.contains("print(*values, sep?, end?, flush?, file?)"), screen);
    assertTrue(screen.contains("Prints values"), screen);
  }

  @Test
  void layersHaveHelpCompletionAndCtrlCStopsFitKeepingTheModel() throws Exception {
    clear();
    line(":help Dense");
    String help = waitForScreen("Dense's help", s -> s.contains("Dense(units") && s.contains("Example:"));
    assertTrue(help.contains("activation: "), help);
    clear();
    keys("-l", "c = Conv2D(32, 3, pad");
    keys("Tab");
    waitForScreen("Conv2D's padding= keyword", s -> s.contains("Conv2D(32, 3, padding="));
    clear();
    line("x = randn(20000, 20); y = to_categorical(argmax(x[:, 0:2], axis=1), 2)");
    line("m = Sequential([Input(20), Dense(256, relu), Dense(256, relu), Dense(2, softmax)])");
    line("m.compile(optimizer=Adam(), loss='categorical_crossentropy', metrics=['accuracy'])");
    line("h = m.fit(x, y, epochs=500, batch_size=16)");
    waitForScreen("training under way", s -> s.contains("Epoch 1/500"));
    Thread.sleep(1500);
    keys("C-c");
    waitForScreen("the prompt back after Ctrl-C", s -> s.strip().endsWith(Repl.PROMPT.strip()));
    // ND4J has loaded and a model trained: none of the libraries' log reached the terminal.
    String all = run(List.of("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION)).output;
    for (String noise : List.of("SLF4J", "[INFO]", "[WARN]", "Warning: Versions", "Added differentiated op")) {
      assertTrue(!all.contains(noise), "'" + noise + "' in the terminal:\n" + all);
    }
    clear();
    line("h.interrupted and len(m.predict(x[:3])) == 3");
    waitForScreen("history and model kept", s -> s.lines().anyMatch(l -> l.strip().equals("true")));
  }

  @Test
  void saveWritesTheSuccessfulEntriesAsARunnableScript() throws Exception {
    clear();
    defineAndCallTwice();
    assertEquals(0, tmux(List.of("set-buffer", "-b", "code", "def cube(x):\n    y = x * x\n    return y * x\n\nprint('cube', cube(3))\n")));
    assertEquals(0, tmux(List.of("paste-buffer", "-p", "-b", "code", "-t", SESSION)));
    Thread.sleep(300);
    line("");
    waitForScreen("the pasted code's output", s -> s.contains("cube 27"));
    line("undefined_name + 1");
    waitForScreen("the name error", s -> s.contains("name 'undefined_name' is not defined"));
    line("40 + 2");
    interruptACountingLoop();
    clear();
    line("broken(");
    line(")");
    line(":script session.dln");
    waitForScreen("the script message", s -> s.contains("wrote"));
    String script = Files.readString(home.resolve("session.dln"));
    assertTrue(script.contains("def twice(x):\n    return 2 * x\n"), script);
    assertTrue(script.contains("twice(21)\n"), script);
    assertTrue(script.contains("def cube(x):\n    y = x * x\n    return y * x\n\nprint('cube', cube(3))\n"), script);
    assertTrue(script.contains("40 + 2\nn = 0\n"), script);
    // failed, interrupted and syntax-error entries are left out
    assertTrue(!script.contains("undefined_name") && !script.contains("broken") && !script.contains("n += 1"), script);

    // :save keeps the state, :load brings it back in place of the current one (SessionStateTest has the details).
    line("kept = [n, 'text', tensor([1.5, 2.5])]");
    line(":save work.dlns");
    waitForScreen("the session save message", s -> s.contains("saved") && s.contains("twice — a function"));
    line(":reset");
    line(":load work.dlns");
    waitForScreen("the restore message", s -> s.contains("restored") && s.contains("not restored: twice"));
    line("print('back:', kept[1], kept[2][1])");
    waitForScreen("a restored value", s -> s.contains("back: text 2.5"));
  }

  @Test
  void ctrlDLeaves() throws Exception {
    clear();
    keys("C-d");
    waitForScreen("the REPL to exit with status 0 on Ctrl-D", s -> s.contains(EXITED + "0]"));
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Enters {@code def twice(x)} (typed without indentation) and {@code twice(21)}, and waits for 42. */
  private static void defineAndCallTwice() throws Exception {
    line("def twice(x):");
    line("return 2 * x");
    line("");
    line("twice(21)");
    waitForScreen("twice(21)'s result", s -> s.lines().anyMatch(l -> l.strip().equals("42")));
  }

  /** Enters {@code n = 0}, an endless loop counting n up, and stops it with Ctrl-C. */
  private static void interruptACountingLoop() throws Exception {
    line("n = 0");
    line("while true:");
    waitForScreen("a continuation prompt", s -> s.contains(Repl.CONTINUATION));
    line("n += 1");
    line("");
    Thread.sleep(1500);
    keys("C-c");
    waitForScreen("the interrupt message", s -> s.contains("interrupted"));
  }

  private static boolean tmuxAvailable() {
    try {
      return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int tmux(List<String> args) throws IOException, InterruptedException {
    return run(args).exitCode;
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    return new Result(p.exitValue(), out);
  }

  private static void keys(String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
    args.addAll(List.of(keys));
    assertEquals(0, tmux(args), "send-keys failed");
    Thread.sleep(150);
  }

  /** Types a line and presses Enter separately, as a person would (keys arriving together count as a paste). */
  private static void line(String text) throws Exception {
    if (!text.isEmpty()) keys("-l", text);
    keys("Enter");
    Thread.sleep(150);
  }

  /** Starts a step on an empty line and a clean screen, whatever the previous step left behind. */
  private static void clear() throws Exception {
    keys("C-e", "C-u", "C-l");
  }

  private static String screen() throws Exception {
    return run(List.of("capture-pane", "-p", "-J", "-t", SESSION)).output;
  }

  private static String waitForScreen(String what, Predicate<String> ok) throws Exception {
    long end = System.currentTimeMillis() + TIMEOUT_MS;
    String s = "";
    while (System.currentTimeMillis() < end) {
      s = screen();
      if (ok.test(s)) return s;
      Thread.sleep(100);
    }
    fail("waited " + TIMEOUT_MS / 1000 + " s for " + what + "; the screen shows:\n" + s);
    return s;
  }
}

package dln.cli;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.Failures;
import dln.interp.Interpreter;
import dln.interp.Source;
import dln.interp.call.TypeTable;
import dln.interp.sandbox.Sandbox;
import dln.interp.value.None;
import dln.interp.value.Values;
import dln.runtime.Engine;
import dln.runtime.io.AtomicFile;
import dln.runtime.nn.Names;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/**
 * The interactive prompt. Code runs on one worker thread so that Ctrl-C can cancel it (training
 * stops after the current batch) while the prompt thread stays responsive; no error ends the session.
 * The session's successful entries are kept so that {@code :save} can write them as a script.
 */
public final class Repl {
  static final String PROMPT = "dln> ";
  static final String CONTINUATION = "...> ";

  private final Terminal terminal;
  private final LineReader reader;
  private final Dln dln;
  private final Catalog catalog;
  private final PrintWriter out;
  private final boolean debug;
  /** Entries that ran without error since the start or the last :reset, for :save. */
  private final List<String> entries = new ArrayList<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dln-eval");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean evaluating;

  private Repl(Terminal terminal, boolean debug, PrintWriter out, Dln dln) {
    this.terminal = terminal;
    // Live displays (fit with a chart) clip and narrow to the terminal's width at each redraw.
    dln.interpreter().setColumns(terminal::getWidth);
    this.debug = debug;
    this.out = out;
    this.dln = dln;
    dln.set("argv", new ArrayList<Object>());
    this.catalog = new Catalog(dln.interpreter());
    Path history = Path.of(System.getProperty("user.home"), ".dln", "history");
    try {
      Files.createDirectories(history.getParent());
    } catch (IOException e) {
      // History is a convenience: without a writable home the REPL still works.
    }
    DlnCompleter completer = new DlnCompleter(catalog);
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("dln")
        .parser(new ReplParser(completer))
        .completer(completer)
        .highlighter(new DlnHighlighter(catalog))
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.HISTORY_SIZE, 2000)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .variable(LineReader.INDENTATION, 1) // ReplParser reports the indent in spaces
        .option(LineReader.Option.INSERT_BRACKET, false)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
        .build();
    keepPastedIndentation();
    indentWithTabAndBackspace();
  }

  /**
   * In the indentation of a continuation line, Tab indents to the next multiple of 4 (completion
   * there would only list every name) and Backspace removes a whole level, like an editor.
   */
  private void indentWithTabAndBackspace() {
    Widget complete = reader.getWidgets().get(LineReader.EXPAND_OR_COMPLETE);
    reader.getWidgets().put(LineReader.EXPAND_OR_COMPLETE, () -> {
      String before = lineBeforeCursor();
      if (before == null || !before.isBlank()) return complete.apply();
      reader.getBuffer().write(" ".repeat(ReplParser.INDENT - before.length() % ReplParser.INDENT));
      return true;
    });
    Widget backspace = reader.getWidgets().get(LineReader.BACKWARD_DELETE_CHAR);
    reader.getWidgets().put(LineReader.BACKWARD_DELETE_CHAR, () -> {
      String before = lineBeforeCursor();
      if (before == null || before.isEmpty() || !before.isBlank() || before.contains("\t")) return backspace.apply();
      int remove = before.length() % ReplParser.INDENT == 0 ? ReplParser.INDENT : before.length() % ReplParser.INDENT;
      reader.getBuffer().backspace(remove);
      return true;
    });
  }

  /** The current line of a continuation entry up to the cursor; null on the entry's first line. */
  private String lineBeforeCursor() {
    String before = reader.getBuffer().substring(0, reader.getBuffer().cursor());
    int nl = before.lastIndexOf('\n');
    return nl < 0 ? null : before.substring(nl + 1);
  }

  /**
   * Pasting code without bracketed paste delivers its lines as fast keystrokes, each already
   * indented; adding our auto-indent on top would double it. When more input is already waiting
   * as a new continuation line starts, the automatic indent is taken back.
   */
  private void keepPastedIndentation() {
    Widget accept = reader.getWidgets().get(LineReader.ACCEPT_LINE);
    reader.getWidgets().put(LineReader.ACCEPT_LINE, () -> {
      int before = reader.getBuffer().length();
      boolean r = accept.apply();
      int added = reader.getBuffer().length() - before - 1;
      if (added > 0 && typeahead()) reader.getBuffer().backspace(added);
      return r;
    });
  }

  private boolean typeahead() {
    try {
      NonBlockingReader in = terminal.reader();
      return in.peek(3) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs the REPL until :quit or Ctrl-D; returns the process exit code. */
  public static int start(boolean debug) {
    // Load ND4J in the background so the prompt appears before the natives are ready.
    Thread warm = new Thread(Engine::warmUp, "dln-warmup");
    warm.setDaemon(true);
    warm.start();
    // The interpreter is built while JLine opens the terminal; its output reaches the terminal once open.
    LateWriter late = new LateWriter();
    PrintWriter out = new PrintWriter(late, true);
    java.util.concurrent.CompletableFuture<Dln> dln = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> Dln.builder().out(out).err(out).interactive(true).sandbox(Sandbox.unrestricted()).build());
    try (Terminal terminal = TerminalBuilder.builder().name("dln").system(true).build()) {
      late.target(terminal.writer());
      return new Repl(terminal, debug, out, dln.join()).loop();
    } catch (IOException e) {
      System.err.println("dln: cannot open the terminal: " + e.getMessage());
      return 2;
    }
  }

  private int loop() {
    out.println("DLN " + Main.VERSION + " — a language for neural networks. :help for help, Ctrl-D to quit.");
    out.flush();
    terminal.handle(Terminal.Signal.INT, s -> {
      if (evaluating) dln.cancel();
    });
    while (true) {
      String line;
      try {
        line = reader.readLine(PROMPT);
      } catch (UserInterruptException e) {
        // Ctrl-C at the prompt drops the line; it never exits.
        if (e.getPartialLine().isBlank()) out.println("(Ctrl-D or :quit leaves DLN)");
        continue;
      } catch (EndOfFileException e) {
        out.println();
        return 0;
      }
      String text = line.strip();
      if (text.isEmpty()) continue;
      if (text.startsWith(":")) {
        if (!command(text)) return 0;
        continue;
      }
      String entry = line.stripTrailing();
      if (evaluate(new Source("<repl>", entry), true)) entries.add(entry);
    }
  }

  /** Runs code on the worker thread, printing the value of a final expression; true when it succeeded. */
  private boolean evaluate(Source source, boolean echo) {
    return onWorker(() -> dln.interpreter().run(source), echo ? Echo.VALUE : Echo.NOTHING);
  }

  /** What to print after a task on the worker: nothing, the value as the REPL shows values, or text as is. */
  private enum Echo { NOTHING, VALUE, TEXT }

  private boolean onWorker(java.util.concurrent.Callable<Object> task, Echo echo) {
    evaluating = true;
    try {
      Object result = waitFor(worker.submit(task));
      if (echo == Echo.TEXT && result instanceof String s) out.println(s);
      else if (echo != Echo.NOTHING && result != None.NONE && result != null) out.println(Values.repr(result));
      return true;
    } catch (DlnException e) {
      out.println(e.format());
      if (debug && e.getCause() != null) e.getCause().printStackTrace(out);
    } catch (Exception e) {
      // The interpreter reports every failure of the program as a DlnException: this is DLN's own.
      out.println(Failures.internal(e).format());
      if (debug) e.printStackTrace(out);
    } finally {
      evaluating = false;
      out.flush();
    }
    return false;
  }

  private static Object waitFor(Future<Object> f) throws Exception {
    while (true) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        // The prompt thread is not interrupted by design; keep waiting for the worker.
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof DlnException d) throw d;
        if (c instanceof Exception ex) throw ex;
        throw new RuntimeException(c);
      }
    }
  }

  /** REPL commands, with unique abbreviations; returns false to quit. */
  private boolean command(String text) {
    String[] parts = text.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    String name = resolveCommand(parts[0]);
    if (name == null) return true;
    switch (name) {
      case ":quit" -> {
        return false;
      }
      case ":help" -> out.println(Help.text(catalog, arg));
      case ":vars" -> out.print(Help.vars(catalog));
      case ":reset" -> {
        dln.interpreter().reset();
        dln.set("argv", new ArrayList<Object>());
        entries.clear();
        out.println("all variables cleared");
      }
      case ":load" -> load(arg);
      case ":save" -> save(arg);
      case ":script" -> script(arg);
      case ":summary" -> summary(arg);
      case ":info" -> Engine.info().forEach((k, v) -> out.printf("%-16s %s%n", k, v));
      case ":time" -> {
        if (arg.isEmpty()) {
          out.println(":time needs code to run, e.g. :time randn(500, 500) @ randn(500, 500)");
          break;
        }
        long t0 = System.nanoTime();
        boolean ok = evaluate(new Source("<repl>", arg), true);
        out.println("time: " + duration(System.nanoTime() - t0));
        if (ok) entries.add(arg);
      }
      default -> throw new IllegalStateException("command without a handler: " + name);
    }
    out.flush();
    return true;
  }

  /** The full command name for what was typed, or null after explaining why there is none. */
  private String resolveCommand(String typed) {
    if (typed.equals(":q") || typed.equals(":exit")) return ":quit";
    List<Catalog.Command> matches = Catalog.commandsMatching(typed);
    if (matches.size() == 1) return matches.get(0).name();
    if (matches.size() > 1) {
      out.println(typed + " could be " + matches.stream().map(Catalog.Command::name).collect(Collectors.joining(" or ")));
    } else {
      String close = Names.closest(typed, Catalog.COMMANDS.stream().map(Catalog.Command::name).toList());
      out.println("unknown command " + typed + (close != null ? " (did you mean " + close + "?)" : " (:help lists the commands)"));
    }
    out.flush();
    return null;
  }

  static String duration(long nanos) {
    double s = nanos / 1e9;
    if (s < 1e-3) return String.format("%.1f µs", s * 1e6);
    if (s < 1) return String.format("%.1f ms", s * 1e3);
    if (s < 60) return String.format("%.2f s", s);
    return String.format("%d min %.0f s", (long) (s / 60), s % 60);
  }

  private static String unquote(String arg) {
    return arg.replaceAll("^['\"]|['\"]$", "");
  }

  private void load(String arg) {
    if (arg.isEmpty()) {
      out.println(":load needs a file name: a session saved by :save (:load work.dlns) or a script (:load scripts/neuron.dln)");
      return;
    }
    String path = unquote(arg);
    if (isArchive(Path.of(path))) {
      restore(Path.of(path));
      return;
    }
    String code;
    try {
      code = Main.readUtf8(Path.of(path));
    } catch (NoSuchFileException e) {
      out.println("cannot read " + path + ": no such file");
      return;
    } catch (IOException e) {
      out.println("cannot read " + path + ": " + e.getMessage());
      return;
    }
    if (evaluate(new Source(path, code), false)) entries.add("# :load " + path + "\n" + code.stripTrailing());
  }

  /** Session files are zip archives; scripts are text (a script never starts with "PK\3\4"). */
  private static boolean isArchive(Path p) {
    try (java.io.InputStream in = Files.newInputStream(p)) {
      byte[] h = in.readNBytes(4);
      return h.length == 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4;
    } catch (IOException e) {
      return false;
    }
  }

  /** :load of a session file: everything is read and checked first; only then is the session replaced. */
  private void restore(Path file) {
    SessionState.Restored r;
    try {
      r = SessionState.load(file, dln.interpreter());
    } catch (DlnException e) {
      out.println(e.format());
      out.println("the session is unchanged");
      return;
    }
    dln.interpreter().reset();
    r.variables().forEach((name, value) -> dln.interpreter().globals().define(name, value));
    entries.clear();
    if (!r.transcript().isBlank()) entries.add(r.transcript().stripTrailing());
    out.println("restored " + r.variables().size() + " variable" + (r.variables().size() == 1 ? "" : "s") + " from " + file);
    r.skipped().forEach((name, why) -> out.println("  not restored: " + name + " — " + why));
  }

  /** :save FILE: the session's state (see {@link SessionState}), atomically, with the transcript. */
  private void save(String arg) {
    if (arg.isEmpty()) {
      out.println(":save needs a file name, e.g. :save work.dlns (:script FILE writes the entries as a script)");
      return;
    }
    Path file = Path.of(unquote(arg));
    if (file.toString().endsWith(".dln")) {
      out.println(":save writes a session file (state, not a script): use a name such as " + file + "s, or :script " + file
          + " for the entries as a script");
      return;
    }
    try {
      SessionState.Saved s = SessionState.save(file, dln.interpreter().globals().vars(), transcript());
      out.println("saved " + s.variables() + " variable" + (s.variables() == 1 ? "" : "s") + " to " + file
          + (s.skipped().isEmpty() ? "" : "; not saved:"));
      s.skipped().forEach((name, why) -> out.println("  " + name + " — " + why));
    } catch (DlnException e) {
      out.println(e.format());
    }
  }

  private String transcript() {
    StringBuilder sb = new StringBuilder();
    for (String e : entries) sb.append(e).append(e.contains("\n") ? "\n\n" : "\n");
    return sb.toString();
  }

  /** :script FILE: the session's successful entries as a runnable script (the transcript). */
  private void script(String arg) {
    if (arg.isEmpty()) {
      out.println(":script needs a file name, e.g. :script session.dln");
      return;
    }
    Path file = Path.of(unquote(arg));
    String text = "# DLN session transcript written by :script; run it with ./dln " + file + "\n" + transcript();
    try {
      AtomicFile.write(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
      out.println("wrote " + entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + " to " + file);
    } catch (IOException e) {
      out.println("cannot write " + file + ": " + e.getMessage());
    }
  }

  private void summary(String arg) {
    if (arg.isEmpty()) {
      out.println(":summary needs a model, e.g. :summary model");
      return;
    }
    Object v = catalog.resolve(arg);
    if (v == null) {
      String close = Names.closest(arg, catalog.interpreter().globals().vars().keySet());
      out.println("no variable named '" + arg + "'" + (close != null ? " (did you mean '" + close + "'?)" : ""));
      return;
    }
    if (TypeTable.method(v, "summary") == null) {
      out.println(arg + " is " + Help.article(Values.typeName(v)) + ", which has no summary; :summary works on models and layers");
      return;
    }
    Object method = TypeTable.getAttr(v, "summary");
    onWorker(() -> dln.interpreter().callFromHost(method, List.of(), Map.of()), Echo.TEXT);
  }

  /** For tests: the interpreter behind this REPL. */
  Interpreter interpreter() {
    return dln.interpreter();
  }
}

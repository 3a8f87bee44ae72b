package dln.cli;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.Interpreter;
import dln.interp.Source;
import dln.interp.sandbox.Sandbox;
import dln.interp.parse.Parsing;
import dln.interp.value.None;
import dln.interp.value.Values;
import dln.runtime.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt. Code runs on one worker thread so that Ctrl-C can cancel it (training
 * stops after the current batch) while the prompt thread stays responsive; no error ends the session.
 */
public final class Repl {
  static final String PROMPT = "dln> ";
  static final String CONTINUATION = "...> ";

  private final Terminal terminal;
  private final LineReader reader;
  private final Dln dln;
  private final PrintWriter out;
  private final boolean debug;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dln-eval");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean evaluating;

  private Repl(Terminal terminal, boolean debug) {
    this.terminal = terminal;
    this.debug = debug;
    this.out = terminal.writer();
    this.dln = Dln.builder().out(out).err(out).interactive(true).sandbox(Sandbox.unrestricted()).build();
    dln.set("argv", new java.util.ArrayList<Object>());
    Path history = Path.of(System.getProperty("user.home"), ".dln", "history");
    try {
      Files.createDirectories(history.getParent());
    } catch (IOException e) {
      // History is a convenience: without a writable home the REPL still works.
    }
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("dln")
        .parser(new ReplParser())
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .variable(LineReader.INDENTATION, 4)
        .option(LineReader.Option.INSERT_BRACKET, false)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
  }

  /** Runs the REPL until :quit or Ctrl-D; returns the process exit code. */
  public static int start(boolean debug) {
    // Load ND4J in the background so the prompt appears before the natives are ready.
    Thread warm = new Thread(Engine::warmUp, "dln-warmup");
    warm.setDaemon(true);
    warm.start();
    try (Terminal terminal = TerminalBuilder.builder().name("dln").system(true).build()) {
      return new Repl(terminal, debug).loop();
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
        continue; // Ctrl-C at the prompt drops the line; it never exits.
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
      evaluate(new Source("<repl>", line), true);
    }
  }

  /** Runs code on the worker thread, printing the value of a final expression. */
  private void evaluate(Source source, boolean echo) {
    evaluating = true;
    try {
      Future<Object> f = worker.submit(() -> dln.interpreter().run(source));
      Object result = waitFor(f);
      if (echo && result != None.NONE && result != null) out.println(Values.repr(result));
    } catch (DlnException e) {
      out.println(e.format());
      if (debug && e.getCause() != null) e.getCause().printStackTrace(out);
    } catch (Exception e) {
      out.println("internal error: " + e);
      if (debug) e.printStackTrace(out);
    } finally {
      evaluating = false;
      out.flush();
    }
  }

  private static Object waitFor(Future<Object> f) throws Exception {
    while (true) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        // The prompt thread is not interrupted by design; keep waiting for the worker.
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof DlnException d) throw d;
        if (c instanceof Exception ex) throw ex;
        throw new RuntimeException(c);
      }
    }
  }

  /** REPL commands; returns false to quit. */
  private boolean command(String text) {
    String[] parts = text.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    switch (parts[0]) {
      case ":quit", ":q", ":exit" -> {
        return false;
      }
      case ":help", ":h" -> out.println(Help.text(dln.interpreter(), arg));
      case ":vars" -> out.print(Help.vars(dln.interpreter()));
      case ":reset" -> {
        dln.interpreter().reset();
        dln.set("argv", new java.util.ArrayList<Object>());
        out.println("all variables cleared");
      }
      case ":load" -> {
        if (arg.isEmpty()) {
          out.println(":load needs a file name, e.g. :load scripts/neuron.dln");
          break;
        }
        String path = arg.replaceAll("^['\"]|['\"]$", "");
        try {
          evaluate(new Source(path, Main.readUtf8(Path.of(path))), false);
        } catch (IOException e) {
          out.println("cannot read " + path + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
      }
      case ":info" -> Engine.info().forEach((k, v) -> out.printf("%-16s %s%n", k, v));
      case ":time" -> {
        long t0 = System.nanoTime();
        evaluate(new Source("<repl>", arg), true);
        out.printf("time: %.3f s%n", (System.nanoTime() - t0) / 1e9);
      }
      default -> out.println("unknown command " + parts[0] + " (try :help)");
    }
    out.flush();
    return true;
  }

  /** Decides when an entry is complete: brackets closed, and a block ended by an empty line. */
  static boolean needsMore(String buffer) {
    String[] lines = buffer.split("\n", -1);
    if (lines.length > 0 && lines[0].strip().startsWith(":")) return false;
    boolean opensBlock = false;
    for (String l : lines) {
      String code = l.replaceAll("#.*$", "").stripTrailing();
      if (code.endsWith(":")) opensBlock = true;
    }
    if (opensBlock && !lines[lines.length - 1].isBlank()) return true;
    try {
      Parsing.parse(new Source("<repl>", buffer));
      return false;
    } catch (DlnException e) {
      return Parsing.isIncomplete(e) && !buffer.endsWith("\n\n");
    }
  }

  /** JLine parser that asks for continuation lines while {@link #needsMore} says so. */
  private static final class ReplParser extends org.jline.reader.impl.DefaultParser {
    @Override
    public org.jline.reader.ParsedLine parse(String line, int cursor, ParseContext context) {
      if (context == ParseContext.ACCEPT_LINE && needsMore(line)) {
        throw new org.jline.reader.EOFError(-1, -1, "incomplete input");
      }
      return super.parse(line, cursor, context);
    }
  }

  /** For tests: the interpreter behind this REPL. */
  Interpreter interpreter() {
    return dln.interpreter();
  }
}

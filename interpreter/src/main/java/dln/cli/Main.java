package dln.cli;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.Source;
import dln.interp.sandbox.Sandbox;
import dln.runtime.Engine;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code dln} command: REPL, scripts, {@code -e}, and information flags. Exit codes: 0 ok, 1 runtime error, 2 usage or syntax error. */
public final class Main {
  public static final String VERSION = "0.1.0";

  private static final String USAGE = """
      usage: dln                   start the REPL (with stdin not a terminal: run the program read from stdin)
             dln -                 run the program read from stdin, like `python3 -`
             dln -i                start the REPL even when stdin is not a terminal
             dln FILE.dln [ARGS…]  run a script (ARGS are visible to it as argv)
             dln -e 'CODE'         run code given on the command line
             dln kernel install    make DLN a Jupyter kernel (also: kernel remove; docs/jupyter.md)
             dln --info            backend, device, BLAS and threads
             dln --version         print the version
             dln --help            this help
      options: --debug             show Java stack traces for internal errors
               --verbose           show the libraries' log (ND4J, SameDiff, JavaCPP) on stderr
      """;

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(argv));
  }

  static int run(String[] argv) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    boolean debug = false;
    List<String> args = new ArrayList<>();
    for (String a : argv) {
      if (a.equals("--debug") && args.isEmpty()) debug = true;
      else if (a.equals("--verbose") && args.isEmpty()) verbose();
      else args.add(a);
    }
    if (args.isEmpty()) return stdinIsTerminal() ? Repl.start(debug) : runStdin(List.of(), out, err, debug);
    String first = args.get(0);
    switch (first) {
      case "-i" -> {
        return Repl.start(debug);
      }
      case "-" -> {
        return runStdin(args.subList(1, args.size()), out, err, debug);
      }
      case "--help", "-h" -> {
        out.print(USAGE);
        out.flush();
        return 0;
      }
      case "--version", "-V" -> {
        out.println("dln " + VERSION);
        return 0;
      }
      case "--info" -> {
        for (Map.Entry<String, String> e : Engine.info().entrySet()) out.printf("%-16s %s%n", e.getKey(), e.getValue());
        out.flush();
        return 0;
      }
      case "-e" -> {
        if (args.size() < 2) {
          err.println("dln: -e needs code to run, e.g. dln -e 'print(1 + 1)'");
          return 2;
        }
        return runSource(new Source("<-e>", args.get(1)), args.subList(2, args.size()), out, err, debug);
      }
      case "kernel" -> {
        // The ./dln launcher runs the kernel's own jar for this; only a direct java -jar dln.jar gets here.
        err.println("dln: the Jupyter kernel runs from jupyter/target/dln-jupyter.jar: use ./dln kernel " + String.join(" ", args.subList(1, args.size())));
        return 2;
      }
      default -> {
        if (first.startsWith("-")) {
          err.println("dln: unknown option " + first);
          err.print(USAGE);
          err.flush();
          return 2;
        }
        Path file = Path.of(first);
        String text;
        try {
          text = readUtf8(file);
        } catch (NoSuchFileException e) {
          err.println("dln: cannot open " + first + ": no such file");
          return 2;
        } catch (CharacterCodingException e) {
          err.println("dln: " + first + " is not UTF-8 text");
          return 2;
        } catch (IOException e) {
          err.println("dln: cannot read " + first + ": " + e.getMessage());
          return 2;
        }
        return runSource(new Source(first, text), args.subList(1, args.size()), out, err, debug);
      }
    }
  }

  /**
   * Lets the libraries' info lines through (ND4J's start-up report, SameDiff's graph building); by
   * default only their errors reach stderr. Must run before the first logger is made, that is
   * before ND4J is touched.
   */
  private static void verbose() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
  }

  /**
   * Whether stdin is a terminal. {@link System#console()} is null when either stdin or stdout is
   * redirected, so only a non-null console settles it; otherwise {@code test -t 0} on the inherited
   * stdin decides (so {@code ./dln | tee log} at a terminal still gets the REPL).
   */
  static boolean stdinIsTerminal() {
    if (System.console() != null) return true;
    try {
      Process p = new ProcessBuilder("test", "-t", "0").redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false; // No `test` to ask (not a Unix): treat stdin as a pipe, as a script runner must.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Reads the whole program from stdin, then runs it as a script named {@code <stdin>} (no prompts, stops at the first error). */
  static int runStdin(List<String> scriptArgs, PrintWriter out, PrintWriter err, boolean debug) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(System.in.readAllBytes())).toString();
    } catch (CharacterCodingException e) {
      err.println("dln: stdin is not UTF-8 text");
      return 2;
    } catch (IOException e) {
      err.println("dln: cannot read stdin: " + e.getMessage());
      return 2;
    }
    return runSource(new Source("<stdin>", text), scriptArgs, out, err, debug);
  }

  static String readUtf8(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
  }

  private static int runSource(Source source, List<String> scriptArgs, PrintWriter out, PrintWriter err, boolean debug) {
    Dln dln = Dln.builder().out(out).err(err).interactive(System.console() != null).sandbox(Sandbox.unrestricted()).build();
    dln.set("argv", new ArrayList<Object>(scriptArgs));
    Thread main = Thread.currentThread();
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> dln.cancel());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // No signal support: Ctrl-C simply ends the process.
    }
    try {
      dln.eval(source.text(), source.name());
      out.flush();
      return 0;
    } catch (DlnException e) {
      out.flush();
      err.println(e.format());
      if (debug && e.getCause() != null) e.getCause().printStackTrace(err);
      err.flush();
      return e.kind().equals("syntax error") ? 2 : 1;
    } finally {
      out.flush();
      if (main.isInterrupted()) Thread.interrupted();
    }
  }
}

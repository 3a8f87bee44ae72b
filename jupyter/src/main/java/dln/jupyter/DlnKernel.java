package dln.jupyter;

import dln.Dln;
import dln.cli.Assist;
import dln.cli.Main;
import dln.interp.DlnException;
import dln.interp.Failures;
import dln.interp.Source;
import dln.interp.sandbox.Sandbox;
import dln.interp.value.None;
import dln.interp.value.Values;
import dln.runtime.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DLN kernel: one interpreter per kernel process, driven by Jupyter's messages. A cell runs
 * like a REPL entry (variables persist, the last expression is the cell's result, {@code :help},
 * {@code :vars}, {@code :save}… work), its output becomes {@code stream} messages, DLN's pictures
 * {@code image/png} outputs, errors {@code error} messages with DLN's located text. Interrupting
 * (SIGINT or {@code interrupt_request}) is Ctrl-C at the REPL: a loop stops at its next
 * iteration, {@code fit} after the current batch with its weights and history kept.
 *
 * <p>jjava's {@link BaseKernel} brings the connection plumbing and the complete/inspect/is_complete
 * handlers; the handlers whose replies lack the {@code status} field the protocol requires
 * (kernel_info, history, shutdown, interrupt, comm_info), and execute, are DLN's own.
 */
public final class DlnKernel extends BaseKernel {
  static final String LANGUAGE = "dln";
  /** The session number of history entries: one session per kernel process. */
  static final int SESSION = 1;

  private final Dln dln;
  private final Assist assist;
  private final NotebookStream stdout;
  private final NotebookStream stderr;
  private final NotebookDisplay display;
  /** Cells that ran without error since the start or the last :reset, for :save. */
  private final List<String> entries = new ArrayList<>();
  private final CellHistory history = new CellHistory();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dln-output");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean evaluating;

  /** A kernel whose cells' output is cut after {@code outputLimit} characters each. */
  public DlnKernel(int outputLimit) {
    super("dln", Main.VERSION, languageInfo(), List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(),
        new Renderer(), null, null, false, new StringStyler.Builder().build());
    this.stdout = new NotebookStream(PublishStream.StreamType.OUT, outputLimit);
    this.stderr = new NotebookStream(PublishStream.StreamType.ERR, outputLimit);
    this.display = new NotebookDisplay(stdout, stderr);
    // interactive(false): no terminal escape codes; the notebook display draws progress instead.
    this.dln = Dln.builder().out(new PrintWriter(stdout, true)).err(new PrintWriter(stderr, true)).interactive(false)
        .sandbox(Sandbox.unrestricted()).build();
    dln.set("argv", argv());
    dln.interpreter().setDisplay(display);
    this.assist = new Assist(dln.interpreter());
    ticker.scheduleAtFixedRate(() -> {
      stdout.tick();
      stderr.tick();
    }, 100, 100, TimeUnit.MILLISECONDS);
  }

  public DlnKernel() {
    this(NotebookStream.DEFAULT_LIMIT);
  }

  /**
   * The notebook's {@code argv}, which {@code arg(name, default)} reads: the words of the
   * environment variable {@code DLN_ARGS} (e.g. {@code epochs=1 limit=2000}), so that a notebook
   * made from a script can run with quick settings, as {@code ./dln script.dln epochs=1} does.
   */
  static List<Object> argv() {
    String args = System.getenv("DLN_ARGS");
    List<Object> out = new ArrayList<>();
    if (args != null && !args.isBlank()) out.addAll(List.of(args.strip().split("\\s+")));
    return out;
  }

  private static LanguageInfo languageInfo() {
    // Python's highlighting fits DLN's Python-style syntax in the notebook editor.
    return new LanguageInfo.Builder(LANGUAGE).version(Main.VERSION).mimetype("text/x-dln").fileExtension(".dln")
        .pygments("python").codemirror("python").build();
  }

  /** The interpreter behind this kernel (tests read variables through it). */
  public Dln dln() {
    return dln;
  }

  @Override
  public String getBanner() {
    return "DLN " + Main.VERSION + " — a language for neural networks (Jupyter kernel, protocol " + Header.PROTOCOL_VERISON + ")";
  }

  // ------------------------------------------------------------------------------------ handlers

  /** The connection being served, when it is DLN's own (it can abort queued cells). */
  private KernelConnection connection;

  @Override
  public void becomeHandlerForConnection(JupyterConnection connection) {
    super.becomeHandlerForConnection(connection);
    if (connection instanceof KernelConnection k) this.connection = k;
    connection.setHandler(MessageType.EXECUTE_REQUEST, this::handleExecute);
    connection.setHandler(MessageType.KERNEL_INFO_REQUEST, (env, msg) -> {
      env.setBusyDeferIdle();
      Map<String, Object> c = ok();
      c.put("protocol_version", Header.PROTOCOL_VERISON);
      c.put("implementation", "dln");
      c.put("implementation_version", Main.VERSION);
      c.put("language_info", languageInfo());
      c.put("banner", getBanner());
      c.put("help_links", List.of());
      reply(env, MessageType.KERNEL_INFO_REPLY, c);
    });
    connection.setHandler(MessageType.HISTORY_REQUEST, (env, msg) -> {
      env.setBusyDeferIdle();
      Map<String, Object> c = ok();
      c.put("history", history.lookup(msg.getContent()));
      reply(env, MessageType.HISTORY_REPLY, c);
    });
    connection.setHandler(MessageType.COMM_INFO_REQUEST, (env, msg) -> {
      env.setBusyDeferIdle();
      Map<String, Object> c = ok();
      c.put("comms", Map.of());
      reply(env, MessageType.COMM_INFO_REPLY, c);
    });
    connection.setHandler(MessageType.INTERRUPT_REQUEST, (env, msg) -> {
      env.setBusyDeferIdle();
      interrupt();
      reply(env, MessageType.INTERRUPT_REPLY, ok());
    });
    connection.setHandler(MessageType.SHUTDOWN_REQUEST, (env, msg) -> {
      ShutdownRequest r = msg.getContent();
      env.setBusyDeferIdle();
      Map<String, Object> c = ok();
      c.put("restart", r.isRestart());
      env.defer();
      reply(env, MessageType.SHUTDOWN_REPLY, c);
      onShutdown(r.isRestart());
      env.resolveDeferrals();
      env.markForShutdown();
    });
  }

  private static Map<String, Object> ok() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("status", "ok");
    return c;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void reply(ShellReplyEnvironment env, MessageType<?> type, Map<String, Object> content) {
    env.reply(new Message(env.getContext(), type, content));
  }

  /** Runs one cell: execute_input, streams and pictures while it runs, then its result or error, then the reply. */
  private synchronized void handleExecute(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
    commManager.setMessageContext(message);
    ExecuteRequest request = message.getContent();
    String code = request.getCode() == null ? "" : request.getCode();
    boolean silent = request.isSilent();
    boolean store = request.shouldStoreHistory() && !silent;
    int count = store ? executionCount.getAndIncrement() : Math.max(1, executionCount.get() - 1);
    env.setBusyDeferIdle();
    if (!silent) env.publish(new PublishExecuteInput(code, count));
    stdout.attach(env);
    stderr.attach(env);
    display.attach(env);
    try {
      DisplayData result = runCell(code, count);
      endOutput();
      if (result != null && !silent) env.publish(new PublishExecuteResult(count, result));
      if (store) history.add(count, code, result == null ? null : (String) result.getData(MIMEType.TEXT_PLAIN));
      // Written as a map: jjava's ExecuteReply cannot serialise user_expressions in the protocol's shape.
      Map<String, Object> reply = ok();
      reply.put("execution_count", count);
      reply.put("user_expressions", userExpressions(request.getUserExpr()));
      env.defer();
      reply(env, MessageType.EXECUTE_REPLY, reply);
    } catch (DlnException e) {
      endOutput();
      if (store) history.add(count, code, null);
      List<String> traceback = traceback(e);
      env.publish(new PublishError(e.kind(), evalue(e), traceback));
      ErrorReply error = new ErrorReply(e.kind(), evalue(e), traceback);
      error.setExecutionCount(count);
      env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
      // As IPython: cells queued behind a failed one ("Run All") are not run.
      if (request.shouldStopOnError() && !silent && connection != null) connection.abortQueuedExecutes();
    }
  }

  /**
   * The request's user_expressions, evaluated after the cell as IPython does (front ends use them to
   * show a value without a cell of its own): each a result bundle or the error it raised.
   */
  private Map<String, Object> userExpressions(Map<String, String> expressions) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (expressions == null) return out;
    for (Map.Entry<String, String> e : expressions.entrySet()) {
      Map<String, Object> value = new LinkedHashMap<>();
      try {
        DisplayData d = bundle(run(new Source("<user_expression " + e.getKey() + ">", e.getValue())));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/plain", d == null ? "None" : d.getData(MIMEType.TEXT_PLAIN));
        if (d != null && d.hasDataForType(MIMEType.TEXT_HTML)) data.put("text/html", d.getData(MIMEType.TEXT_HTML));
        value.put("status", "ok");
        value.put("data", data);
        value.put("metadata", Map.of());
      } catch (DlnException ex) {
        value.put("status", "error");
        value.put("ename", ex.kind());
        value.put("evalue", evalue(ex));
        value.put("traceback", traceback(ex));
      }
      out.put(e.getKey(), value);
    }
    return out;
  }

  private void endOutput() {
    stdout.detach();
    stderr.detach();
    display.detach();
  }

  /** The error's one-line form: where, what, and the hint. */
  static String evalue(DlnException e) {
    StringBuilder sb = new StringBuilder();
    if (e.pos() != null) sb.append(e.pos()).append(": ");
    sb.append(e.getMessage());
    if (e.hint() != null) sb.append(" (hint: ").append(e.hint()).append(')');
    return sb.toString();
  }

  /** DLN's error text (location, source line with a caret, hint) as the notebook shows it: the first line in red. */
  static List<String> traceback(DlnException e) {
    List<String> lines = new ArrayList<>(List.of(e.format().split("\n")));
    lines.set(0, "\u001b[0;31m" + lines.get(0) + "\u001b[0m");
    return lines;
  }

  /** Runs a cell (code or a REPL command); returns its result bundle, or null when it has none. */
  private DisplayData runCell(String code, int count) {
    String text = code.strip();
    if (text.startsWith(":") && !text.contains("\n")) return command(text, count);
    Object value = run(new Source("In[" + count + "]", code));
    entries.add(code.stripTrailing());
    return bundle(value);
  }

  /** Runs source in the interpreter, as the REPL's worker does: every failure becomes a DlnException. */
  private Object run(Source source) {
    evaluating = true;
    try {
      return dln.interpreter().run(source);
    } catch (DlnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Failures.internal(e);
    } catch (StackOverflowError e) {
      throw new DlnException("recursion error", "the program nested too deeply for the kernel's stack", null, null);
    } finally {
      evaluating = false;
    }
  }

  /** The execute_result of a value: text/plain always; HTML for tensors and for built models (their summary). */
  static DisplayData bundle(Object value) {
    if (value == null || value == None.NONE) return null;
    DisplayData d = new DisplayData(Values.repr(value));
    if (value instanceof INDArray t) d.putHTML(Html.tensor(t));
    if (value instanceof dln.runtime.nn.Model m) {
      try {
        d.putHTML(Html.summary(m.summaryTable()));
      } catch (RuntimeException e) {
        // A model without its graph yet (no input shape) has no summary: its text repr says what it is.
      }
    }
    return d;
  }

  /** The REPL's commands in a cell of their own. */
  private DisplayData command(String text, int count) {
    String[] parts = text.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    StringBuilder why = new StringBuilder();
    String name = Assist.command(parts[0], why);
    PrintWriter out = dln.interpreter().out();
    if (name == null) {
      out.println(why);
      return null;
    }
    switch (name) {
      case ":help" -> out.println(assist.help(arg));
      case ":vars" -> out.print(assist.vars());
      case ":reset" -> {
        dln.interpreter().reset();
        dln.set("argv", argv());
        entries.clear();
        out.println("all variables cleared");
      }
      case ":info" -> Engine.info().forEach((k, v) -> out.printf("%-16s %s%n", k, v));
      case ":quit" -> out.println("a notebook's kernel keeps running: use Kernel > Shut Down (or restart) in Jupyter");
      case ":summary" -> {
        if (arg.isEmpty()) out.println(":summary needs a model, e.g. :summary model");
        else run(new Source("In[" + count + "]", arg + ".summary()"));
      }
      case ":time" -> {
        if (arg.isEmpty()) {
          out.println(":time needs code to run, e.g. :time randn(500, 500) @ randn(500, 500)");
          break;
        }
        long t0 = System.nanoTime();
        Object v = run(new Source("In[" + count + "]", arg));
        entries.add(arg);
        out.println("time: " + String.format(java.util.Locale.ROOT, "%.3f s", (System.nanoTime() - t0) / 1e9));
        return bundle(v);
      }
      case ":load" -> load(unquote(arg), out);
      case ":save" -> save(unquote(arg), out);
      default -> out.println(name + " is not available in a notebook");
    }
    out.flush();
    return null;
  }

  private static String unquote(String arg) {
    return arg.replaceAll("^['\"]|['\"]$", "");
  }

  private void load(String path, PrintWriter out) {
    if (path.isEmpty()) {
      out.println(":load needs a file name, e.g. :load scripts/neuron.dln");
      return;
    }
    String code;
    try {
      code = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      out.println("cannot read " + path + ": no such file");
      return;
    } catch (IOException | RuntimeException e) {
      out.println("cannot read " + path + ": " + e.getMessage());
      return;
    }
    run(new Source(path, code));
    entries.add("# :load " + path + "\n" + code.stripTrailing());
  }

  private void save(String path, PrintWriter out) {
    if (path.isEmpty()) {
      out.println(":save needs a file name, e.g. :save session.dln");
      return;
    }
    StringBuilder sb = new StringBuilder("# DLN session saved by :save; run it with ./dln " + path + "\n");
    for (String e : entries) sb.append(e).append(e.contains("\n") ? "\n\n" : "\n");
    try {
      Files.writeString(Path.of(path), sb, StandardCharsets.UTF_8);
      out.println("saved " + entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + " to " + path);
    } catch (IOException | RuntimeException e) {
      out.println("cannot write " + path + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------------- BaseKernel's hooks

  @Override
  public Object evalRaw(String source) {
    Object v = run(new Source("<eval>", source));
    return v == None.NONE ? null : v;
  }

  @Override
  public DisplayData eval(String expr) {
    return bundle(evalRaw(expr));
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    String topic = Assist.topicAt(code, at);
    if (!assist.knows(topic)) return null;
    return new DisplayData(assist.help(topic));
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    Assist.Completion c = assist.complete(code, at);
    return new ReplacementOptions(c.matches(), c.start(), c.end());
  }

  @Override
  public String isComplete(String code) {
    Assist.Readiness r = Assist.readiness(code);
    return switch (r.status()) {
      case Assist.Readiness.COMPLETE -> IS_COMPLETE_YES;
      case Assist.Readiness.INVALID -> IS_COMPLETE_BAD;
      default -> r.indent();
    };
  }

  /** Ctrl-C: the running cell stops at its next check (a loop iteration, a training batch). */
  @Override
  public void interrupt() {
    if (evaluating) dln.cancel();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    if (evaluating) dln.cancel();
    ticker.shutdownNow();
  }
}

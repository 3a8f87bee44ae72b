package dln;

import dln.interp.DlnException;
import dln.interp.Failures;
import dln.interp.Interpreter;
import dln.interp.Source;
import dln.interp.ast.Stmt;
import dln.interp.call.Builtin;
import dln.interp.call.Callable;
import dln.interp.parse.Parsing;
import dln.interp.sandbox.ResourceLimits;
import dln.interp.sandbox.Sandbox;
import dln.interp.value.JavaValues;
import dln.interp.value.Values;
import dln.runtime.Rng;
import dln.runtime.nn.Names;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The embedding API: one independent DLN interpreter inside a Java application.
 *
 * <pre>{@code
 * Dln dln = Dln.builder()
 *     .out(writer)                                  // print() goes here
 *     .sandbox(Sandbox.allowRead(modelsDir))        // default: no file access at all
 *     .timeout(Duration.ofSeconds(30))              // each eval stops after 30 s
 *     .seed(42)
 *     .build();
 * dln.set("x", new float[] {1, 2, 3});
 * dln.eval("y = x * 2 + 1");
 * float[] y = dln.get("y", float[].class);         // {3, 5, 7}
 * }</pre>
 *
 * <p><b>Values</b> cross the boundary through {@link JavaValues}: Java numbers, strings,
 * booleans, arrays ({@code float[]}, {@code double[][]}…), {@code INDArray}s, {@code List}s and
 * {@code Map}s become DLN values, and come back as {@code Long}, {@code Double}, {@code Boolean},
 * {@code String}, {@code INDArray}, {@code List}, {@code Map}, or whatever type
 * {@link #get(String, Class)} asks for. Tensors are shared, not copied.
 *
 * <p><b>Errors</b>: everything a script does wrong, and every failure inside DLN, surfaces as an
 * unchecked {@link DlnException} with a kind ("type error", "sandbox error", "timeout error"…), a
 * message, a hint and the source position; {@link DlnException#format()} renders it like the
 * command line does. No internal exception escapes.
 *
 * <p><b>Threads</b>: each {@code Dln} has its own variables, output, limits and cancellation, so
 * several can run on different threads at once. One {@code Dln} runs one call at a time: calls
 * from other threads wait their turn. DLN's random generator ({@link Rng}) belongs to the calling
 * thread, so {@link Builder#seed(long)} seeds the thread that runs the first call (and any other
 * thread that later calls in); two interpreters sharing one thread share its generator.
 *
 * <p><b>Security</b>: scripts have no builtin that reaches Java classes, processes, the network
 * or environment variables; files only through the {@link Sandbox} (none by default). Only
 * functions the host {@link #register registers} extend that.
 */
public final class Dln {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One daemon thread fires every interpreter's timeouts; it only sets flags. */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dln-timeouts");
    t.setDaemon(true);
    return t;
  });

  private final Interpreter interpreter;
  private final Object lock = new Object();
  private final Duration timeout;
  private final Long seed;
  private Thread seededThread;
  private volatile boolean timedOut;

  private Dln(Interpreter interpreter, Duration timeout, Long seed) {
    this.interpreter = interpreter;
    this.timeout = timeout;
    this.seed = seed;
  }

  /** An interpreter with the default settings: System.out/err, no file access, no time limit. */
  public static Dln create() {
    return builder().build();
  }

  /** Starts configuring an interpreter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs code; returns the value of a final expression statement converted to Java (null for none). */
  public Object eval(String code) {
    return eval(code, "<eval>");
  }

  /** Runs code, naming it {@code name} in error positions. */
  public Object eval(String code, String name) {
    Objects.requireNonNull(code, "code");
    Source source = new Source(name, code);
    return execute(() -> interpreter.run(source));
  }

  /**
   * Runs a script file (read with the host's rights: the sandbox governs what the script itself
   * opens, not which script the host chooses to run).
   */
  public Object eval(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DlnException("file error", "cannot read " + file + ": " + e.getMessage());
    }
    return eval(text, file.toString());
  }

  /** Runs a script from a reader, naming it {@code name} in error positions. */
  public Object eval(Reader reader, String name) {
    StringWriter w = new StringWriter();
    try {
      reader.transferTo(w);
    } catch (IOException e) {
      throw new DlnException("file error", "cannot read " + name + ": " + e.getMessage());
    }
    return eval(w.toString(), name);
  }

  /**
   * Parses code once without running it (syntax errors are thrown here), for {@link #run(List)}
   * many times: the JSR-223 {@code CompiledScript} uses this.
   */
  public List<Stmt> parse(String code, String name) {
    try {
      return Parsing.parse(new Source(name, code));
    } catch (DlnException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Failures.internal(e);
    }
  }

  /** Runs statements from {@link #parse}; returns like {@link #eval(String)}. */
  public Object run(List<Stmt> program) {
    return execute(() -> interpreter.run(program));
  }

  /** A variable's value converted to Java (see {@link JavaValues#toJava(Object)}), or null when undefined or none. */
  public Object get(String name) {
    synchronized (lock) {
      return JavaValues.toJava(interpreter.globals().lookup(name));
    }
  }

  /**
   * A variable's value as {@code type}: {@code INDArray}, {@code float[]}, {@code double[]},
   * {@code int[]}, {@code long[]}, {@code float[][]}, {@code double[][]}, numbers (boxed or
   * primitive classes), {@code String}, {@code Boolean}, {@code List}, {@code Map}, or a class the
   * value already is (a model, a layer). None gives null. Throws a "name error" when the variable
   * is undefined and a "type error" when the value cannot become {@code type}.
   */
  public <T> T get(String name, Class<T> type) {
    synchronized (lock) {
      Object v = interpreter.globals().lookup(name);
      if (v == null) throw undefined(name);
      try {
        return JavaValues.toJava(v, type, "variable '" + name + "'");
      } catch (DlnException e) {
        throw e;
      } catch (RuntimeException e) {
        throw Failures.internal(e);
      }
    }
  }

  /** True when a variable (or builtin) of that name exists. */
  public boolean has(String name) {
    synchronized (lock) {
      return interpreter.globals().lookup(name) != null;
    }
  }

  /** The names of the script's global variables (not the builtins). */
  public List<String> variables() {
    synchronized (lock) {
      return new ArrayList<>(interpreter.globals().vars().keySet());
    }
  }

  /** Sets a global variable, converting {@code value} with {@link JavaValues#toDln}. */
  public void set(String name, Object value) {
    requireIdentifier(name);
    Object v = JavaValues.toDln(value);
    synchronized (lock) {
      interpreter.globals().define(name, v);
    }
  }

  /** Removes a global variable; false when there was none. */
  public boolean remove(String name) {
    synchronized (lock) {
      return interpreter.globals().remove(name);
    }
  }

  /**
   * Calls the DLN function {@code functionName} (defined by the script, or a builtin) with
   * arguments converted by {@link JavaValues#toDln}; returns its result converted to Java.
   */
  public Object call(String functionName, Object... args) {
    return call(functionName, args == null ? List.of() : java.util.Arrays.asList(args), Map.of());
  }

  /** Like {@link #call(String, Object...)} with keyword arguments, e.g. {@code epochs=3}. */
  public Object call(String functionName, List<?> args, Map<String, ?> keywords) {
    Object fn;
    synchronized (lock) {
      fn = interpreter.globals().lookup(functionName);
    }
    if (fn == null) throw undefined(functionName);
    if (!(fn instanceof Callable)) {
      throw DlnException.type("'" + functionName + "' is " + Values.typeName(fn) + ", not a function");
    }
    return invoke(fn, args, keywords);
  }

  /**
   * Calls a DLN callable the host holds (a function value from {@link #get}, a bound method such as
   * a model's {@code predict}), with converted arguments and result.
   */
  public Object invoke(Object callable, List<?> args, Map<String, ?> keywords) {
    if (!(callable instanceof Callable)) throw DlnException.type(Values.typeName(callable) + " is not callable");
    List<Object> positional = new ArrayList<>();
    for (Object a : args) positional.add(JavaValues.toDln(a));
    Map<String, Object> kw = new LinkedHashMap<>();
    keywords.forEach((k, v) -> kw.put(k, JavaValues.toDln(v)));
    return execute(() -> interpreter.callFromHost(callable, positional, kw));
  }

  /**
   * Exposes Java code to scripts as a builtin called {@code name}; it survives {@link #reset()}.
   * Give the host's own powers (a database, a file, a clock) to scripts only this way.
   */
  public void register(String name, HostFunction function) {
    register(name, "A function provided by the host application.", function);
  }

  /** Like {@link #register(String, HostFunction)} with a help text shown by {@code :help name}. */
  public void register(String name, String doc, HostFunction function) {
    requireIdentifier(name);
    Objects.requireNonNull(function, "function");
    Builtin builtin = new Builtin(name, "*args", doc, a -> {
      List<Object> in = a.rest();
      Object[] javaArgs = new Object[in.size()];
      for (int i = 0; i < javaArgs.length; i++) javaArgs[i] = JavaValues.toJava(in.get(i));
      Object result;
      try {
        result = function.call(javaArgs);
      } catch (RuntimeException e) {
        throw Failures.host(name, e);
      }
      return JavaValues.toDln(result);
    });
    synchronized (lock) {
      interpreter.defineBuiltin(name, builtin);
    }
  }

  /**
   * Stops the call running now (from any thread) at its next check: loops check every iteration,
   * training every batch. The call throws an "interrupted" DlnException; the interpreter and its
   * variables stay usable. Without a running call this does nothing.
   */
  public void cancel() {
    interpreter.cancel();
  }

  /** Forgets every script variable (registered functions stay). */
  public void reset() {
    synchronized (lock) {
      interpreter.reset();
    }
  }

  /** The sandbox this interpreter runs under. */
  public Sandbox sandbox() {
    return interpreter.sandbox();
  }

  /** The underlying interpreter (REPL and tools). */
  public Interpreter interpreter() {
    return interpreter;
  }

  // ------------------------------------------------------------------------------------ running

  /** Runs one host call: seeding, time limit, and nothing but DlnExceptions coming out. */
  private Object execute(Supplier<Object> body) {
    synchronized (lock) {
      seedCallingThread();
      timedOut = false;
      ScheduledFuture<?> timer = null;
      if (timeout != null) {
        // Repeats until the call ends: a single cancel could land before run() clears stale flags.
        long ms = Math.max(1, timeout.toMillis());
        timer = TIMER.scheduleAtFixedRate(() -> {
          timedOut = true;
          interpreter.cancel();
        }, ms, 20, TimeUnit.MILLISECONDS);
      }
      try {
        return JavaValues.toJava(body.get());
      } catch (DlnException e) {
        if (timedOut && "interrupted".equals(e.kind())) {
          throw new DlnException("timeout error", "the script ran longer than its time limit of " + describe(timeout)
              + " and was stopped", "the host application sets the limit (Dln.builder().timeout(...))", e.pos());
        }
        throw e;
      } catch (RuntimeException e) {
        throw Failures.internal(e);
      } finally {
        if (timer != null) timer.cancel(false);
      }
    }
  }

  private void seedCallingThread() {
    if (seed != null && seededThread != Thread.currentThread()) {
      Rng.seed(seed);
      seededThread = Thread.currentThread();
    }
  }

  private static String describe(Duration d) {
    if (d.toMillis() < 1000) return d.toMillis() + " ms";
    double s = d.toMillis() / 1000.0;
    return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + " s";
  }

  private DlnException undefined(String name) {
    String close = Names.closest(name, interpreter.globals().vars().keySet());
    return DlnException.name("name '" + name + "' is not defined", close != null ? "did you mean '" + close + "'?" : null);
  }

  private static void requireIdentifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw DlnException.name("'" + name + "' is not a valid DLN name", "use letters, digits and _, not starting with a digit");
    }
  }

  /** Configures a new {@link Dln}. Every setting has a safe default. */
  public static final class Builder {
    private PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    private PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    private boolean interactive;
    private int maxDepth = 1000;
    private Sandbox sandbox = Sandbox.none();
    private Duration timeout;
    private Long seed;
    private Long maxTensorBytes;

    private Builder() {}

    /** Where {@code print} and other output go (default System.out). */
    public Builder out(Writer w) {
      this.out = w instanceof PrintWriter p ? p : new PrintWriter(w, true);
      return this;
    }

    /** Where warnings and progress go (default System.err). */
    public Builder err(Writer w) {
      this.err = w instanceof PrintWriter p ? p : new PrintWriter(w, true);
      return this;
    }

    /** Output goes to a terminal: progress bars redraw in place and colours are used (default false). */
    public Builder interactive(boolean on) {
      this.interactive = on;
      return this;
    }

    /** Maximum depth of nested DLN function calls before a "recursion error" (default 1000). */
    public Builder maxDepth(int depth) {
      if (depth < 1) throw new IllegalArgumentException("maxDepth must be at least 1, got " + depth);
      this.maxDepth = depth;
      return this;
    }

    /**
     * Which files scripts may read and write (default {@link Sandbox#none()}: none). The command
     * line uses {@link Sandbox#unrestricted()}.
     */
    public Builder sandbox(Sandbox sandbox) {
      this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
      return this;
    }

    /** Each eval/call stops with a "timeout error" after this long (default: no limit). */
    public Builder timeout(Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Seeds the random generator (rand, randn, weight initialisation, dropout, shuffling) of the
     * thread that runs this interpreter's calls, like a script's own {@code seed(n)}.
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The largest tensor a script may create, in bytes (default {@link ResourceLimits#defaults()}). */
    public Builder maxTensorBytes(long bytes) {
      this.maxTensorBytes = bytes;
      return this;
    }

    /** A new, independent interpreter. */
    public Dln build() {
      Interpreter interp = new Interpreter(new Interpreter.Options(out, err, interactive, maxDepth));
      interp.setSandbox(sandbox);
      interp.setHelp(value -> dln.cli.Help.of(interp, value));
      if (maxTensorBytes != null) interp.setLimits(new ResourceLimits(maxTensorBytes));
      return new Dln(interp, timeout, seed);
    }
  }
}

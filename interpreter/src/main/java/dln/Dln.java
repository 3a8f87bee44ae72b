package dln;

import dln.interp.DlnException;
import dln.interp.Interpreter;
import dln.interp.Source;
import dln.interp.value.None;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedding API: one independent DLN interpreter.
 *
 * <pre>{@code
 * Dln dln = Dln.builder().out(writer).build();
 * dln.eval("x = tensor([1, 2]) * 2");
 * INDArray x = dln.get("x", INDArray.class);
 * }</pre>
 *
 * Every error a script causes surfaces as a {@link DlnException} with its position and message.
 */
public final class Dln {
  private final Interpreter interpreter;

  private Dln(Interpreter interpreter) {
    this.interpreter = interpreter;
  }

  /** An interpreter writing to System.out and System.err. */
  public static Dln create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs code; returns the value of a final expression statement (null for none). */
  public Object eval(String code) {
    return eval(code, "<eval>");
  }

  /** Runs code, naming it in error positions. */
  public Object eval(String code, String name) {
    Object r = interpreter.run(new Source(name, code));
    return r == None.NONE ? null : r;
  }

  /** Runs a script file. */
  public Object eval(Path file) {
    try {
      return eval(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new DlnException("file error", "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Runs a script from a reader. */
  public Object eval(Reader reader, String name) {
    StringWriter w = new StringWriter();
    try {
      reader.transferTo(w);
    } catch (IOException e) {
      throw new DlnException("file error", "cannot read " + name + ": " + e.getMessage());
    }
    return eval(w.toString(), name);
  }

  /** A global variable's value, or null when undefined. */
  public Object get(String name) {
    Object v = interpreter.globals().lookup(name);
    return v == None.NONE ? null : v;
  }

  /** Sets a global variable (Java numbers, strings and INDArrays are used as they are). */
  public void set(String name, Object value) {
    interpreter.globals().define(name, value == null ? None.NONE : value);
  }

  /** Stops a running eval from another thread; the interpreter stays usable. */
  public void cancel() {
    interpreter.cancel();
  }

  /** The underlying interpreter (REPL and tools). */
  public Interpreter interpreter() {
    return interpreter;
  }

  /** Configures a new {@link Dln}. */
  public static final class Builder {
    private PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    private PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    private boolean interactive;
    private int maxDepth = 1000;

    public Builder out(Writer w) {
      this.out = w instanceof PrintWriter p ? p : new PrintWriter(w, true);
      return this;
    }

    public Builder err(Writer w) {
      this.err = w instanceof PrintWriter p ? p : new PrintWriter(w, true);
      return this;
    }

    /** Output goes to a terminal: progress bars redraw in place and colours are used. */
    public Builder interactive(boolean on) {
      this.interactive = on;
      return this;
    }

    /** Maximum depth of nested DLN function calls. */
    public Builder maxDepth(int depth) {
      this.maxDepth = depth;
      return this;
    }

    public Dln build() {
      return new Dln(new Interpreter(new Interpreter.Options(out, err, interactive, maxDepth)));
    }
  }
}

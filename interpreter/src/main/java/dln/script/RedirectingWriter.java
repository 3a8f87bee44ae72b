package dln.script;

import java.io.IOException;
import java.io.Writer;

/** A writer that forwards to whichever writer the current ScriptContext names. */
final class RedirectingWriter extends Writer {
  private volatile Writer target;

  RedirectingWriter(Writer target) {
    this.target = target;
  }

  void target(Writer w) {
    this.target = w;
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    target.write(cbuf, off, len);
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  @Override
  public void close() throws IOException {
    target.flush();
  }
}

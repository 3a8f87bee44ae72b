package dln.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer whose destination is known only later: the REPL builds the interpreter while JLine opens
 * the terminal (both take a good part of a second), and the interpreter needs its output writer at
 * once. Anything written before the terminal exists is kept and passed on when it arrives.
 */
final class LateWriter extends Writer {
  private Writer target;
  private final StringBuilder early = new StringBuilder();

  synchronized void target(Writer w) throws IOException {
    target = w;
    if (early.length() > 0) {
      w.write(early.toString());
      early.setLength(0);
      w.flush();
    }
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) throws IOException {
    if (target != null) target.write(buf, off, len);
    else early.append(buf, off, len);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (target != null) target.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    if (target != null) target.close();
  }
}

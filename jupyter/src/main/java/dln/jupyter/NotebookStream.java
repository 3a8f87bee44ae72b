package dln.jupyter;

import java.io.Writer;
import java.util.Locale;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

/**
 * {@code print} output of the running cell as Jupyter {@code stream} messages. Text is gathered
 * and sent at most every {@link #MIN_GAP_NANOS} (a ticker sends what waits), so a loop of prints
 * makes a few messages rather than one per line. A cell's output is capped at {@link #limit}
 * characters: the rest is counted, not sent, and a note says how much was left out, so a runaway
 * loop cannot flood the notebook or the kernel's memory.
 */
final class NotebookStream extends Writer {
  static final int DEFAULT_LIMIT = 200_000;
  private static final long MIN_GAP_NANOS = 50_000_000L;

  private final PublishStream.StreamType type;
  private final int limit;
  private final StringBuilder pending = new StringBuilder();
  private ReplyEnvironment env;
  private long written;
  private long dropped;
  private long lastSend;
  /** Set whenever a flush was asked for but held back; the ticker then sends. */
  private boolean due;

  NotebookStream(PublishStream.StreamType type, int limit) {
    this.type = type;
    this.limit = limit;
  }

  /** Starts a cell: output goes to its reply environment (parent header), the count starts again. */
  synchronized void attach(ReplyEnvironment env) {
    this.env = env;
    written = 0;
    dropped = 0;
    pending.setLength(0);
  }

  /** Ends a cell: sends what waits and, when output was cut, the note saying so. */
  synchronized void detach() {
    send();
    if (dropped > 0 && env != null) {
      env.publish(new PublishStream(type, String.format(Locale.ROOT,
          "%n[output truncated: %,d more characters not shown (the cell's limit is %,d)]%n", dropped, limit)));
    }
    env = null;
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    long room = Math.max(0, limit - written);
    int take = (int) Math.min(room, len);
    if (take > 0) {
      pending.append(buf, off, take);
      written += take;
    }
    dropped += len - take;
  }

  @Override
  public synchronized void flush() {
    if (System.nanoTime() - lastSend >= MIN_GAP_NANOS) send();
    else due = true;
  }

  /** Called by the kernel's ticker: sends output held back by {@link #flush()}. */
  synchronized void tick() {
    if (due) send();
  }

  /** Sends what is pending now (before a picture, so that text and pictures keep their order). */
  synchronized void send() {
    due = false;
    if (pending.length() == 0 || env == null) return;
    env.publish(new PublishStream(type, pending.toString()));
    pending.setLength(0);
    lastSend = System.nanoTime();
  }

  @Override
  public void close() {
    flush();
  }
}

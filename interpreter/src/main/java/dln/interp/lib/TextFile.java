package dln.interp.lib;

import dln.interp.DlnException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A text file opened by {@code open(path, mode)}: UTF-8, read with Python's universal newlines
 * ({@code \r\n} and {@code \r} read as {@code \n}), written through at once so that nothing is
 * lost when a script ends without {@code close()}. Iterating it gives its lines.
 */
final class TextFile implements Iterable<Object> {
  private final String name;
  private final String mode;
  private final BufferedReader reader;
  private final Writer writer;
  private boolean closed;

  private TextFile(String name, String mode, BufferedReader reader, Writer writer) {
    this.name = name;
    this.mode = mode;
    this.reader = reader;
    this.writer = writer;
  }

  /** Opens {@code path} (already checked by the sandbox); {@code mode} is r, w or a, optionally with t. */
  static TextFile open(String name, Path path, String mode) {
    String m = mode.replace("t", "");
    if (mode.contains("b")) {
      throw DlnException.value("binary mode '" + mode + "' is not supported", "open text files with 'r', 'w' or 'a'; use np.load/np.save for arrays");
    }
    if (!m.equals("r") && !m.equals("w") && !m.equals("a")) {
      throw DlnException.value("invalid mode: '" + mode + "'", "use 'r' to read, 'w' to write (replacing the file) or 'a' to append");
    }
    if (Files.isDirectory(path)) throw new DlnException("file error", "is a directory: '" + name + "'");
    try {
      if (m.equals("r")) {
        if (!Files.exists(path)) {
          throw new DlnException("file not found error", "no such file or directory: '" + name + "'",
              "check the path; it is relative to the folder DLN was started in", null);
        }
        return new TextFile(name, mode, Files.newBufferedReader(path, StandardCharsets.UTF_8), null);
      }
      StandardOpenOption how = m.equals("w") ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
      Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, how);
      return new TextFile(name, mode, null, w);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new DlnException("file not found error", "no such file or directory: '" + name + "'",
          "the folder it would be written in does not exist", null);
    } catch (IOException e) {
      throw new DlnException("file error", "cannot open '" + name + "': " + e.getMessage());
    }
  }

  String name() {
    return name;
  }

  String mode() {
    return mode;
  }

  boolean closed() {
    return closed;
  }

  /** The rest of the file, or at most {@code size} characters (all when negative). */
  String read(long size) {
    BufferedReader r = readable();
    StringBuilder sb = new StringBuilder();
    try {
      int c;
      while ((size < 0 || sb.length() < size) && (c = next(r)) >= 0) sb.append((char) c);
    } catch (IOException e) {
      throw failed(e);
    }
    return sb.toString();
  }

  /** The next line with its {@code \n}; "" at the end, as in Python. */
  String readline() {
    BufferedReader r = readable();
    StringBuilder sb = new StringBuilder();
    try {
      int c;
      while ((c = next(r)) >= 0) {
        sb.append((char) c);
        if (c == '\n') break;
      }
    } catch (IOException e) {
      throw failed(e);
    }
    return sb.toString();
  }

  List<Object> readlines() {
    List<Object> out = new ArrayList<>();
    for (String line = readline(); !line.isEmpty(); line = readline()) out.add(line);
    return out;
  }

  /** Writes {@code s} and returns the number of characters written. */
  long write(String s) {
    if (closed) throw closedError();
    if (writer == null) throw notAllowed("writable");
    try {
      writer.write(s);
      writer.flush();
    } catch (IOException e) {
      throw failed(e);
    }
    return s.length();
  }

  void close() {
    if (closed) return;
    closed = true;
    try {
      if (reader != null) reader.close();
      if (writer != null) writer.close();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public Iterator<Object> iterator() {
    readable();
    return new Iterator<>() {
      private String line = readline();

      @Override
      public boolean hasNext() {
        return !line.isEmpty();
      }

      @Override
      public Object next() {
        if (line.isEmpty()) throw new NoSuchElementException();
        String out = line;
        line = closed ? "" : readline();
        return out;
      }
    };
  }

  /** One character with \r\n and a lone \r read as \n. */
  private static int next(BufferedReader r) throws IOException {
    int c = r.read();
    if (c != '\r') return c;
    r.mark(1);
    if (r.read() != '\n') r.reset();
    return '\n';
  }

  private BufferedReader readable() {
    if (closed) throw closedError();
    if (reader == null) throw notAllowed("readable");
    return reader;
  }

  private DlnException notAllowed(String what) {
    return new DlnException("file error", "the file '" + name + "' is not " + what + " (opened with mode '" + mode + "')",
        what.equals("readable") ? "open it with 'r' to read it" : "open it with 'w' or 'a' to write it", null);
  }

  private DlnException closedError() {
    return new DlnException("value error", "I/O operation on closed file '" + name + "'",
        "use the file inside its with block, or before close()", null);
  }

  private DlnException failed(IOException e) {
    return new DlnException("file error", "'" + name + "': " + e.getMessage());
  }

  @Override
  public String toString() {
    return "<file name='" + name + "' mode='" + mode + "' encoding='UTF-8'>";
  }
}

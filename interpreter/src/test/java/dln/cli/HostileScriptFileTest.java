package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken script files given to the {@code dln} command: exact message and exit code (issue 8). */
class HostileScriptFileTest {
  @TempDir Path tmp;

  /** Runs {@code dln FILE}; returns "exit code | stderr". */
  private String run(byte[] content) throws IOException {
    Path f = tmp.resolve("bad.dln");
    Files.write(f, content);
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      rc = Main.run(new String[] {f.toString()});
    } finally {
      System.setErr(saved);
    }
    return rc + " | " + err.toString(StandardCharsets.UTF_8).replace(tmp.toString(), "TMP").strip();
  }

  @Test
  void nonUtf8BytesAreRefusedBeforeParsing() throws IOException {
    assertEquals("2 | dln: TMP/bad.dln is not UTF-8 text", run(new byte[] {'x', ' ', '=', ' ', (byte) 0xC3, '(', '\n'}));
    assertEquals("2 | dln: TMP/bad.dln is not UTF-8 text", run(new byte[] {(byte) 0xFF, (byte) 0xFE, 'x'}));
  }

  @Test
  void nulBytesAreASyntaxErrorWithAPosition() throws IOException {
    assertEquals("""
        2 | TMP/bad.dln:2:2: syntax error: the source contains a NUL byte
            y\0
             ^
          hint: is this a binary file?""".replace("\0", ""),
        run("x = 1\ny\0\n".getBytes(StandardCharsets.UTF_8)).replace("\0", ""));
  }

  @Test
  void emptyAndBlankFilesRunAndDoNothing() throws IOException {
    assertEquals("0 | ", run(new byte[0]));
    assertEquals("0 | ", run("\n\n   \n# only a comment\n".getBytes(StandardCharsets.UTF_8)));
  }
}

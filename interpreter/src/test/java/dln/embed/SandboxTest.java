package dln.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.call.Builtin;
import dln.interp.sandbox.Sandbox;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sandbox, checked the way builtins use it: through the Invoker, from a script. The two
 * builtins here do exactly what the Sandbox Javadoc asks of real file builtins.
 */
class SandboxTest {
  @TempDir Path tmp;
  Path granted;
  Path outside;

  @BeforeEach
  void files() throws IOException {
    granted = Files.createDirectories(tmp.resolve("granted"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(granted.resolve("in.txt"), "inside");
    Files.writeString(outside.resolve("secret.txt"), "secret");
  }

  private static Dln withFileBuiltins(Sandbox sandbox) {
    Dln dln = Dln.builder().out(new StringWriter()).sandbox(sandbox).build();
    dln.interpreter().defineBuiltin("read_text", new Builtin("read_text", "path", "Reads a text file.", a -> {
      try {
        return Files.readString(a.invoker().checkRead(a.string("path")), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }));
    dln.interpreter().defineBuiltin("write_text", new Builtin("write_text", "path, text", "Writes a text file.", a -> {
      try {
        Files.writeString(a.invoker().checkWrite(a.string("path")), a.string("text"), StandardCharsets.UTF_8);
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }));
    return dln;
  }

  private static String q(Path p) {
    return "'" + p.toString().replace("\\", "\\\\") + "'";
  }

  @Test
  void embeddedInterpretersHaveNoFileAccessByDefault() {
    Dln dln = withFileBuiltins(Dln.create().sandbox());
    assertTrue(Dln.create().sandbox() == Sandbox.none());
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("x = 1\nread_text(" + q(granted.resolve("in.txt")) + ")", "s.dln"));
    assertEquals("sandbox error", e.kind());
    assertEquals(2, e.pos().line());
    assertTrue(e.getMessage().startsWith("reading '" + granted.resolve("in.txt") + "'"), e.getMessage());
    assertTrue(e.getMessage().endsWith("is not allowed: this interpreter has no file access"), e.getMessage());
    assertTrue(e.hint().contains("Sandbox.allowRead"), e.hint());
  }

  @Test
  void readGrantAllowsFilesInsideOnly() throws IOException {
    Path real = granted.toRealPath();
    Dln dln = withFileBuiltins(Sandbox.allowRead(granted));
    assertEquals("inside", dln.eval("read_text(" + q(granted.resolve("in.txt")) + ")"));
    assertEquals("inside", dln.eval("read_text('in.txt')"), "relative paths resolve against the granted folder");
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("read_text(" + q(outside.resolve("secret.txt")) + ")"));
    assertEquals("sandbox error", e.kind());
    assertTrue(e.getMessage().endsWith("this interpreter may read only under " + real), e.getMessage());
    e = assertThrows(DlnException.class, () -> dln.eval("write_text('new.txt', 'x')"));
    assertEquals("sandbox error", e.kind());
    assertTrue(e.getMessage().contains("may not write files"), e.getMessage());
    assertFalse(Files.exists(granted.resolve("new.txt")));
  }

  /** Python's open() goes through the same checks: read grants read, write grants write, nothing else. */
  @Test
  void openReadsAndWritesOnlyWhereGranted() throws IOException {
    Path real = granted.toRealPath();
    Dln reader = Dln.builder().sandbox(Sandbox.allowRead(granted)).build();
    assertEquals("inside", reader.eval("with open('in.txt') as f:\n    text = f.read()\ntext"));
    DlnException e = assertThrows(DlnException.class, () -> reader.eval("open('out.txt', 'w')"));
    assertEquals("sandbox error", e.kind());
    e = assertThrows(DlnException.class, () -> reader.eval("open(" + q(outside.resolve("secret.txt")) + ")"));
    assertEquals("sandbox error", e.kind());
    assertEquals("true", reader.eval("try:\n    open(" + q(outside.resolve("secret.txt")) + ")\n    r = false\nexcept PermissionError:\n    r = true\nstr(r)"));
    Dln writer = Dln.builder().sandbox(Sandbox.allowWrite(granted)).build();
    writer.eval("with open('out.txt', 'w') as f:\n    print('written', file=f)");
    assertEquals("written\n", Files.readString(real.resolve("out.txt")));
  }

  @Test
  void dotDotCannotEscape() {
    Dln dln = withFileBuiltins(Sandbox.allowRead(granted));
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("read_text('../outside/secret.txt')"));
    assertEquals("sandbox error", e.kind());
    assertTrue(e.getMessage().contains("'../outside/secret.txt' ("), "names the path the script gave and where it leads: " + e.getMessage());
    e = assertThrows(DlnException.class, () -> dln.eval("read_text(" + q(granted.resolve("sub/../../outside/secret.txt")) + ")"));
    assertEquals("sandbox error", e.kind());
  }

  @Test
  void symbolicLinksOutOfAGrantedFolderAreFollowedAndDenied() throws IOException {
    Path link = granted.resolve("link.txt");
    Path dirLink = granted.resolve("escape");
    try {
      Files.createSymbolicLink(link, outside.resolve("secret.txt"));
      Files.createSymbolicLink(dirLink, outside);
    } catch (UnsupportedOperationException | IOException e) {
      org.junit.jupiter.api.Assumptions.abort("symbolic links not supported here: " + e);
    }
    Dln dln = withFileBuiltins(Sandbox.allowWrite(granted));
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("read_text('link.txt')"));
    assertEquals("sandbox error", e.kind());
    e = assertThrows(DlnException.class, () -> dln.eval("write_text('escape/new.txt', 'x')"));
    assertEquals("sandbox error", e.kind(), "a file to be created is checked by where its folder really is");
    assertFalse(Files.exists(outside.resolve("new.txt")));
  }

  @Test
  void writeGrantAllowsWritingAndReadingBack() throws IOException {
    Dln dln = withFileBuiltins(Sandbox.allowRead(outside).allowWrite(granted));
    dln.eval("write_text('sub_result.txt', 'done')\nback = read_text('sub_result.txt')");
    assertEquals("done", Files.readString(granted.resolve("sub_result.txt")));
    assertEquals("done", dln.get("back", String.class));
    assertEquals("secret", dln.eval("read_text(" + q(outside.resolve("secret.txt")) + ")"));
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("write_text(" + q(outside.resolve("x.txt")) + ", 'x')"));
    assertTrue(e.getMessage().contains("may write only under " + granted.toRealPath()), e.getMessage());
  }

  @Test
  void dataGrantNamesTheDataFolderAndAllowsReadingIt() throws IOException {
    Sandbox s = Sandbox.allowData(granted);
    assertEquals(granted.toRealPath(), s.dataDirectory().orElseThrow());
    assertEquals(granted.toRealPath().resolve("in.txt"), s.checkRead("in.txt"));
    assertThrows(DlnException.class, () -> s.checkWrite("in.txt"));
    assertFalse(s.allowsNetwork());
    assertTrue(Sandbox.none().dataDirectory().isEmpty());
  }

  private static Path dataDir() {
    return dln.runtime.DataDir.fromEnvironment();
  }

  @Test
  void mnistNeedsADataGrantAndNeverDownloadsWhenSandboxed() {
    DlnException e = assertThrows(DlnException.class, () -> Dln.create().eval("mnist(limit=5)", "m.dln"));
    assertEquals("sandbox error", e.kind());
    assertEquals("mnist() needs a data folder and the application embedding DLN granted none", e.getMessage());
    assertEquals(1, e.pos().line());
    // A granted folder without the files: an error, not a download.
    Dln empty = Dln.builder().out(new StringWriter()).err(new StringWriter()).sandbox(Sandbox.allowData(tmp)).build();
    e = assertThrows(DlnException.class, () -> empty.eval("mnist(limit=5)"));
    assertFalse(Files.exists(tmp.resolve("mnist")), "nothing was downloaded into the data folder");
    dln.runtime.SharedData.require("mnist");
    Dln dln = Dln.builder().out(new StringWriter()).err(new StringWriter()).sandbox(Sandbox.allowData(dataDir())).build();
    dln.eval("(x, y), (xt, yt) = mnist(limit=5, flat=true)");
    assertEquals(List.of(5L, 784L), dln.eval("list(x.shape)"));
  }

  @Test
  void csvAndPicturesGoThroughTheSandbox() throws IOException {
    Files.writeString(outside.resolve("d.csv"), "a,b\n1,2\n");
    Files.writeString(granted.resolve("d.csv"), "a,b\n1,2\n3,4\n");
    Dln dln = Dln.builder().out(new StringWriter()).err(new StringWriter()).sandbox(Sandbox.allowWrite(granted)).build();
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("csv(" + q(outside.resolve("d.csv")) + ")"));
    assertEquals("sandbox error", e.kind());
    dln.eval("x, y = csv('d.csv')");
    assertEquals(List.of(2L, 1L), dln.eval("list(x.shape)"));
    e = assertThrows(DlnException.class, () -> dln.eval("save_image(zeros(4, 4), " + q(outside.resolve("p.png")) + ")"));
    assertEquals("sandbox error", e.kind());
    assertFalse(Files.exists(outside.resolve("p.png")));
    dln.eval("save_image(zeros(4, 4), 'p.png')");
    assertTrue(Files.size(granted.resolve("p.png")) > 0);
  }

  @Test
  void unrestrictedChecksNothing() {
    var s = Sandbox.unrestricted();
    assertEquals(Path.of("/etc/hosts"), s.checkRead("/etc/hosts"));
    assertEquals(Path.of("out.dlnm"), s.checkWrite("out.dlnm"));
    assertTrue(s.allowsNetwork());
    assertThrows(IllegalStateException.class, () -> s.allowRead(Path.of("/tmp")));
  }

  @Test
  void scriptsCannotReachTheHost() {
    Dln dln = Dln.create();
    // open() exists, but only through the sandbox (openReadsAndWritesOnlyWhereGranted).
    for (String name : List.of("exec", "eval", "system", "getenv", "environ", "__import__", "compile",
        "globals", "input", "exit", "java", "Class", "os", "sys", "subprocess", "socket", "urlopen", "getattr")) {
      DlnException e = assertThrows(DlnException.class, () -> dln.eval(name), name + " must not exist");
      assertEquals("name error", e.kind(), name);
    }
    // Imports reach DLN's own modules only: no subprocess, and os holds nothing but os.path.
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("import subprocess"));
    assertEquals("import error", e.kind());
    DlnException system = assertThrows(DlnException.class, () -> dln.eval("import os\nos.system('ls')"));
    assertEquals("attribute error", system.kind());
  }

  /**
   * A tripwire over the builtin libraries' source: none may start processes, read the
   * environment, open network connections or use reflection. (File access is allowed only through
   * checkRead/checkWrite, which the tests above cover.)
   */
  @Test
  void builtinLibrariesUseNoHostApis() throws IOException {
    Path lib = Path.of("src", "main", "java", "dln", "interp", "lib");
    Pattern forbidden = Pattern.compile("ProcessBuilder|Runtime\\.getRuntime\\(\\)\\.exec|System\\.getenv|System\\.exit"
        + "|Class\\.forName|java\\.net\\.|getDeclaredMethod|setAccessible|MethodHandles|ClassLoader");
    try (Stream<Path> files = Files.walk(lib)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        var m = forbidden.matcher(text);
        assertFalse(m.find(), () -> f + " uses " + m.group());
      }
    }
  }
}

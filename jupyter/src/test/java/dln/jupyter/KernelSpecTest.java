package dln.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dln kernel install/remove}: where the kernelspec goes and what its argv says. */
class KernelSpecTest {
  @TempDir
  Path prefix;

  @Test
  void installWritesAKernelspecThatStartsThisJvmAndRemoveDeletesIt() throws Exception {
    KernelSpec.Options o = KernelSpec.Options.parse(List.of("--prefix", prefix.toString(), "--name", "dln-test"));
    Path dir = KernelSpec.install(o);
    assertEquals(prefix.resolve("share/jupyter/kernels/dln-test"), dir);
    JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"), StandardCharsets.UTF_8)).getAsJsonObject();
    List<String> argv = new ArrayList<>();
    spec.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
    assertTrue(argv.get(0).endsWith("/bin/java"), argv.toString());
    // The JVM options of the running JVM (here surefire's argLine, from the launcher its own) are kept.
    assertTrue(argv.contains("-Xss16m"), argv.toString());
    assertEquals(List.of("run", "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
    assertEquals("dln", spec.get("language").getAsString());
    assertEquals("signal", spec.get("interrupt_mode").getAsString());
    assertEquals("DLN (dln-test)", spec.get("display_name").getAsString());

    KernelSpec.remove(o);
    assertFalse(Files.exists(dir));
    assertThrows(java.io.IOException.class, () -> KernelSpec.remove(o));
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThrows(KernelSpec.UsageException.class, () -> KernelSpec.Options.parse(List.of("--name", "a/b")));
    assertThrows(KernelSpec.UsageException.class, () -> KernelSpec.Options.parse(List.of("--prefix")));
    assertThrows(KernelSpec.UsageException.class, () -> KernelSpec.Options.parse(List.of("--sideways")));
    assertEquals(2, KernelMain.run(new String[] {"bogus"}));
  }
}

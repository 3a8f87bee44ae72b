package dln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages depend one way: the graph ({@code nn}) knows nothing of training, and no
 * two packages import each other, however indirectly. Read from the sources, so a new import that
 * closes a cycle fails here rather than in a reader's head. Every package counts on its own: the
 * layers ({@code nn.layers}) build on the graph ({@code nn}), never the other way round.
 */
class PackageLayeringTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern REFERENCE = Pattern.compile("\\b(dln\\.runtime(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void nnImportsNothingFromTrain() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertTrue(deps.containsKey("dln.runtime.nn"), "the sources were found: " + deps.keySet());
    for (String d : deps.get("dln.runtime.nn")) assertFalse(d.startsWith("dln.runtime.train"), "nn uses " + d);
  }

  @Test
  void theGraphKnowsNoConcreteLayer() throws IOException {
    assertFalse(dependencies().get("dln.runtime.nn").contains("dln.runtime.nn.layers"),
        "nn uses nn.layers: the layer list belongs in nn.layers, the graph's own InputLayer in nn");
  }

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    List<String> cycles = new ArrayList<>();
    for (String from : deps.keySet()) {
      for (String to : deps.get(from)) {
        if (reaches(deps, to, from, new TreeSet<>())) cycles.add(from + " -> " + to);
      }
    }
    assertEquals(List.of(), cycles, "imports that close a cycle");
  }

  private static boolean reaches(Map<String, Set<String>> deps, String from, String target, Set<String> seen) {
    if (from.equals(target)) return true;
    if (!seen.add(from)) return false;
    for (String next : deps.getOrDefault(from, Set.of())) if (reaches(deps, next, target, seen)) return true;
    return false;
  }

  /** Package to the runtime packages it names (imports and qualified names). */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path f : files) {
      String text = Files.readString(f);
      Matcher pm = PACKAGE.matcher(text);
      if (!pm.find()) continue;
      String pkg = pm.group(1);
      Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
      Matcher m = REFERENCE.matcher(text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", ""));
      while (m.find()) {
        String to = m.group(1);
        if (!to.equals(pkg)) out.add(to);
      }
    }
    return deps;
  }
}

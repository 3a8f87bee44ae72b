package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.Interpreter;
import dln.interp.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model zoo ({@code mlp}, {@code lenet5}, {@code resnet}, …), written in DLN in
 * {@code dln/zoo/zoo.dln}. Each name is a builtin that loads the zoo into the interpreter on first
 * use and calls the DLN function; its help text is the function's docstring.
 */
public final class ZooLib implements Library {
  static final String RESOURCE = "/dln/zoo/zoo.dln";
  private static final Pattern DEF = Pattern.compile(
      "^def (\\w+)\\(([^\\n]*)\\):\\s*\\n\\s*\"\"\"(.*?)\"\"\"", Pattern.MULTILINE | Pattern.DOTALL);

  @Override
  public void install(Globals g) {
    String text = source();
    Matcher m = DEF.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      String params = toParams(m.group(2));
      String doc = m.group(3).strip().replaceAll("\\n\\s+", "\n");
      g.def(name, params, doc + "\n(defined in DLN: the model zoo)", a -> {
        Interpreter in = (Interpreter) a.invoker();
        Object fn = in.module("zoo", () -> new Source("zoo.dln", text)).lookup(name);
        List<Object> positional = new ArrayList<>();
        java.util.Map<String, Object> keywords = new java.util.LinkedHashMap<>();
        for (String p : Globals.paramNames(params)) {
          if (a.get(p) != null) keywords.put(p, a.get(p));
        }
        return in.call(fn, positional, keywords);
      });
    }
  }

  /** "x, filters, stride=1" to the builtin parameter syntax "x, filters, stride?". */
  private static String toParams(String defParams) {
    List<String> out = new ArrayList<>();
    // Split on top-level commas only: defaults such as input_shape=(28, 28, 1) contain commas.
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < defParams.length(); i++) {
      char c = defParams.charAt(i);
      if (c == '(' || c == '[') depth++;
      else if (c == ')' || c == ']') depth--;
      else if (c == ',' && depth == 0) {
        parts.add(defParams.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(defParams.substring(start));
    for (String p : parts) {
      String t = p.strip();
      if (t.isEmpty()) continue;
      int eq = t.indexOf('=');
      out.add(eq >= 0 ? t.substring(0, eq).strip() + "?" : t);
    }
    return String.join(", ", out);
  }

  static String source() {
    try (InputStream in = ZooLib.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing " + RESOURCE);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DlnException("file error", "cannot read the model zoo: " + e.getMessage());
    }
  }
}

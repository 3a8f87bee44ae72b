package dln.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Measurements go to stdout as single lines {@code RESULT {json}} that bench.py collects; anything
 * else a framework prints is ignored. JSON is written by hand: the peers' classpaths differ, and a
 * flat object of strings and numbers needs no library.
 */
public final class Report {
  private final String peer;

  public Report(String peer) {
    this.peer = peer;
  }

  /** Starts one result line for a workload. */
  public Line line(String workload) {
    return new Line(peer, workload);
  }

  /** One result: a flat JSON object. */
  public static final class Line {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    Line(String peer, String workload) {
      fields.put("peer", peer);
      fields.put("workload", workload);
    }

    public Line put(String key, Object value) {
      fields.put(key, value);
      return this;
    }

    public void print() {
      StringBuilder sb = new StringBuilder("RESULT {");
      boolean first = true;
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        if (!first) sb.append(", ");
        first = false;
        sb.append(quote(e.getKey())).append(": ").append(value(e.getValue()));
      }
      System.out.println(sb.append('}'));
      System.out.flush();
    }

    private static String value(Object v) {
      if (v == null) return "null";
      if (v instanceof Double d) return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6g", d);
      if (v instanceof Float f) return value(f.doubleValue());
      if (v instanceof Number || v instanceof Boolean) return v.toString();
      return quote(v.toString());
    }

    private static String quote(String s) {
      StringBuilder sb = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
      return sb.append('"').toString();
    }
  }
}

package dln.interp.call;

import java.util.ArrayList;
import java.util.List;

/**
 * A builtin's parameter list, written like a Python signature:
 * {@code "units, activation?, use_bias?, strides|stride?, *args, **kwargs"}.
 * A trailing {@code ?} marks an optional parameter (its default lives in the implementation and in
 * the doc string); {@code a|b} gives aliases (first is the canonical name); {@code *name} collects
 * extra positional arguments and {@code **name} extra keywords. Parameters after {@code *} or
 * {@code *args} are keyword-only.
 */
public final class Params {
  /** One parameter. */
  public record Param(String name, List<String> aliases, boolean optional, boolean keywordOnly) {}

  private final List<Param> params;
  private final String varargs;
  private final String varkw;
  private final String text;

  private Params(List<Param> params, String varargs, String varkw, String text) {
    this.params = params;
    this.varargs = varargs;
    this.varkw = varkw;
    this.text = text;
  }

  public static Params parse(String spec) {
    List<Param> ps = new ArrayList<>();
    String varargs = null;
    String varkw = null;
    boolean kwOnly = false;
    if (!spec.isBlank()) {
      for (String raw : spec.split(",")) {
        String p = raw.trim();
        if (p.equals("*")) {
          kwOnly = true;
        } else if (p.startsWith("**")) {
          varkw = p.substring(2);
        } else if (p.startsWith("*")) {
          varargs = p.substring(1);
          kwOnly = true;
        } else {
          boolean opt = p.endsWith("?");
          if (opt) p = p.substring(0, p.length() - 1);
          List<String> names = List.of(p.split("\\|"));
          ps.add(new Param(names.get(0), names.subList(1, names.size()), opt, kwOnly));
        }
      }
    }
    return new Params(List.copyOf(ps), varargs, varkw, spec);
  }

  public List<Param> params() {
    return params;
  }

  /** Name of the *args parameter, or null. */
  public String varargs() {
    return varargs;
  }

  /** Name of the **kwargs parameter, or null. */
  public String varkw() {
    return varkw;
  }

  /** Finds a parameter by name or alias. */
  public Param find(String name) {
    for (Param p : params) if (p.name().equals(name) || p.aliases().contains(name)) return p;
    return null;
  }

  /** All accepted keyword names (for "did you mean" and completion). */
  public List<String> keywordNames() {
    List<String> out = new ArrayList<>();
    for (Param p : params) {
      out.add(p.name());
      out.addAll(p.aliases());
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}

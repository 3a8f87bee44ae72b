package dln.interp;

import dln.interp.ast.Stmt;
import dln.interp.value.Namespace;
import dln.runtime.nn.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code import} and {@code from … import …}: binds names of the current scope to the modules
 * of the builtin table ({@link dln.interp.lib.Globals#modules()}) or to their members. Nothing is
 * read from disk: a module DLN does not provide is a located error naming those it does.
 */
final class Imports {
  private final Map<String, Namespace> modules;

  Imports(Map<String, Namespace> modules) {
    this.modules = modules;
  }

  /** {@code import a.b.c} binds a; {@code import a.b.c as n} binds n to a.b.c. */
  void run(Stmt.Import s, Scope scope) {
    for (Stmt.ImportedName n : s.names()) {
      Namespace m = module(n.name(), n.pos());
      if (n.alias() != null) {
        scope.define(n.alias(), m);
      } else {
        String top = n.name().contains(".") ? n.name().substring(0, n.name().indexOf('.')) : n.name();
        scope.define(top, modules.get(top));
      }
    }
  }

  /** {@code from m import x, y as z}; with no names, {@code from m import *} binds every member. */
  void run(Stmt.FromImport s, Scope scope) {
    Namespace m = module(s.module(), s.pos());
    if (s.names().isEmpty()) {
      m.members().forEach(scope::define);
      return;
    }
    for (Stmt.ImportedName n : s.names()) {
      Object v = m.get(n.name());
      if (v == null) {
        String close = Names.closest(n.name(), m.members().keySet());
        throw new DlnException("import error", "cannot import name '" + n.name() + "' from '" + s.module() + "'",
            (close != null ? "did you mean '" + close + "'? " : "") + "'" + s.module() + "' has: "
                + summary(new ArrayList<>(m.members().keySet())), n.pos());
      }
      scope.define(n.alias() != null ? n.alias() : n.name(), v);
    }
  }

  private Namespace module(String path, Pos pos) {
    Namespace m = modules.get(path);
    if (m != null) return m;
    List<String> tops = new ArrayList<>();
    for (String p : modules.keySet()) if (!p.contains(".") && !p.equals("os") || p.equals("os.path")) tops.add(p);
    String close = Names.closest(path, modules.keySet());
    throw new DlnException("import error", "no module named '" + path + "'",
        (close != null ? "did you mean '" + close + "'? " : "") + "DLN provides the modules " + String.join(", ", tops)
            + " (with keras.layers, keras.optimizers, tf.keras, np.random, ...); other Python packages are not available",
        pos);
  }

  private static String summary(List<String> names) {
    return names.size() <= 12 ? String.join(", ", names) : String.join(", ", names.subList(0, 12)) + ", ... (" + names.size() + " names)";
  }
}

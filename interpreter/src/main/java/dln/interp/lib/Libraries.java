package dln.interp.lib;

import java.util.List;

/** The builtin table: every library a fresh interpreter installs, in order (later ones may wrap earlier names). */
public final class Libraries {
  private Libraries() {}

  public static final List<Library> ALL = List.of(
      new CoreLib(),
      new AutodiffLib(),
      new DataLib());

  public static Globals createGlobals() {
    Globals g = new Globals();
    for (Library lib : ALL) lib.install(g);
    return g;
  }
}

package dln.interp.lib;

import java.util.List;

/**
 * The builtin table: every library a fresh interpreter installs, in order. Later libraries may wrap
 * earlier names (autodiff wraps the tensor math so it also accepts traced values).
 */
public final class Libraries {
  private Libraries() {}

  public static final List<Library> ALL = List.of(
      new CoreLib(),
      new ErrorsLib(),
      new TensorLib(),
      new DataLib(),
      new AutodiffLib(),
      new PictureLib(),
      new ModelLib(),
      new ModelIoLib(),
      new ZooLib(),
      new NameConstantsLib(),
      new NumpyLib(),
      new ModulesLib());

  public static Globals createGlobals() {
    Globals g = new Globals();
    for (Library lib : ALL) lib.install(g);
    return g;
  }
}

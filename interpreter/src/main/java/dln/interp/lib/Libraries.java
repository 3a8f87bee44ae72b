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
      new FilesLib(),
      new TensorLib(),
      new DataLib(),
      new AutodiffLib(),
      new PictureLib(),
      new ModelLib(),
      new ModelIoLib(),
      new ZooLib(),
      new NameConstantsLib(),
      new NumpyLib(),
      new ModulesLib(),
      new TfOpsLib(),
      new CustomLayerLib(),
      new CustomModelLib(),
      new GradientTapeLib(),
      new TrainStepLib());

  /**
   * Libraries of optional modules on the class path (e.g. dln-spark's {@code spark(...)}), found
   * once with {@code java.util.ServiceLoader} ({@link dln.interp.Plugins}) ({@code META-INF/services/dln.interp.lib.Library}) and
   * installed after the core ones; the core itself depends on none of them.
   */
  public static final List<Library> PLUGINS = dln.interp.Plugins.libraries();

  public static Globals createGlobals() {
    Globals g = new Globals();
    for (Library lib : ALL) lib.install(g);
    for (Library lib : PLUGINS) lib.install(g);
    return g;
  }
}

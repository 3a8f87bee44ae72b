package dln.interp.lib;

/**
 * A group of builtins (tensors, layers, data sets, pictures…). Each library installs its names into
 * the global table; {@link Libraries#ALL} lists them, so adding a library is one class plus one line.
 */
public interface Library {
  void install(Globals g);
}

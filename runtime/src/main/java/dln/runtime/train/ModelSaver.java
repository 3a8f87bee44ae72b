package dln.runtime.train;

import dln.runtime.nn.Model;

/** Writes a model to a path; supplied by the caller of {@link ModelCheckpoint} (model files live elsewhere). */
@FunctionalInterface
public interface ModelSaver {
  void save(Model model, String path);
}

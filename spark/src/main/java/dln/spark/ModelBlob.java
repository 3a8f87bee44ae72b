package dln.spark;

import dln.runtime.DlnRuntimeException;
import dln.runtime.io.ModelFiles;
import dln.runtime.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model as the bytes of its DLN model file: what the driver broadcasts once per fit or predict
 * (architecture, compile settings and weights). The file format is the one {@code model.save}
 * writes, so workers build exactly the layers the driver has.
 */
final class ModelBlob {
  private ModelBlob() {}

  static byte[] of(Model model, boolean withOptimizer) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("dln-model", ".dlnm");
      ModelFiles.save(model, tmp, withOptimizer);
      return Files.readAllBytes(tmp);
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot serialise model '" + model.name() + "' for the cluster: " + e.getMessage(), null);
    } finally {
      deleteQuietly(tmp);
    }
  }

  static Model load(byte[] bytes) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("dln-model", ".dlnm");
      Files.write(tmp, bytes);
      return ModelFiles.load(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  static void deleteQuietly(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A temporary file left behind is harmless; the OS cleans its temp folder.
    }
  }
}

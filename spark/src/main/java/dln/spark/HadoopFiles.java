package dln.spark;

import dln.runtime.DlnRuntimeException;
import dln.runtime.io.ModelFiles;
import dln.runtime.nn.Model;
import dln.runtime.train.ModelSaver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * DLN model files on any Hadoop-compatible file system (local paths, {@code file://},
 * {@code hdfs://}, {@code s3a://}): written to a local temporary file in DLN's format, then copied
 * (the target is replaced only when the copy is complete on stores with atomic rename).
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** A saver for {@code ModelCheckpoint}: the whole model, with optimiser state and history. */
  public static ModelSaver saver(Configuration conf) {
    return (model, path) -> save(model, path, conf);
  }

  public static void save(Model model, String path, Configuration conf) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("dln-checkpoint", ".dlnm");
      ModelFiles.save(model, tmp, true);
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = target.getFileSystem(conf);
      org.apache.hadoop.fs.Path partial = target.suffix(".partial");
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(tmp.toUri()), partial);
      if (fs.exists(target)) fs.delete(target, false);
      if (!fs.rename(partial, target)) throw new IOException("cannot rename " + partial + " to " + target);
    } catch (IOException | IllegalArgumentException e) {
      throw DlnRuntimeException.io("cannot write checkpoint '" + path + "': " + firstLine(e),
          "check the path and that the cluster can write there");
    } finally {
      ModelBlob.deleteQuietly(tmp);
    }
  }

  /** Reads a model file (a checkpoint) from a Hadoop path: weights, compile settings, optimiser state, history. */
  public static Model load(String path, Configuration conf) {
    Path tmp = null;
    try {
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = source.getFileSystem(conf);
      if (!fs.exists(source)) {
        throw DlnRuntimeException.io("no model file at '" + path + "'", "check the path (a checkpoint is written after each epoch)");
      }
      tmp = Files.createTempFile("dln-checkpoint", ".dlnm");
      fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
      return ModelFiles.load(tmp);
    } catch (IOException | IllegalArgumentException e) {
      throw DlnRuntimeException.io("cannot read model '" + path + "': " + firstLine(e), "check the path and its permissions");
    } finally {
      ModelBlob.deleteQuietly(tmp);
    }
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}

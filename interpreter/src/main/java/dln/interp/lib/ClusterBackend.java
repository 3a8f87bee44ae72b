package dln.interp.lib;

import dln.interp.call.Args;
import dln.runtime.nn.Model;
import dln.runtime.train.Callback;
import dln.runtime.train.ProgressListener;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The interpreter's seam to a cluster engine, so that the core knows no cluster: a value that
 * implements this (the language's {@code spark(...)} session, from the optional dln-spark module,
 * a {@link Library} found with {@link java.util.ServiceLoader}) takes over {@code model.fit} and
 * {@code model.predict} when passed as {@code cluster=}, or when the data itself is a
 * {@link Data} of that cluster. Without such a plugin on the class path, {@code cluster=} is an
 * error that says how to get one.
 */
public interface ClusterBackend {
  /** Data that lives on a cluster (a Spark data set): {@code model.fit(data)} runs there without cluster=. */
  interface Data {
    ClusterBackend cluster();
  }

  /**
   * The Keras arguments of {@code fit} as the interpreter parsed them (callbacks include the
   * always-on divergence guard, the progress bar follows verbose=).
   */
  record Fit(int epochs, int batchSize, boolean shuffle, Long seed, int initialEpoch, List<Callback> callbacks,
      ProgressListener progress, BooleanSupplier shouldStop) {}

  /**
   * {@code model.fit(x, y?, ..., cluster=this)}: x is this cluster's data or an in-memory tensor
   * (then y is its labels); extra keywords ({@code local_steps}, {@code checkpoint}) and the
   * validation ones ({@code validation_data}, {@code validation_split}) are in args.
   * Returns the History.
   */
  Object fit(Model model, Args args, Fit fit);

  /** {@code model.predict(x, batch_size?, cluster=this)}: a cluster data set with the outputs added. */
  Object predict(Model model, Args args);
}

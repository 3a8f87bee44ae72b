package dln.bench;

/**
 * One network (the MLP or the CNN) built in one framework. It holds the MNIST data already
 * converted to the framework's own tensors, so the timed calls measure training and inference,
 * not conversion.
 */
public interface BenchNet extends AutoCloseable {
  /** Trains one epoch over the first {@code n} training samples, shuffled, batch 128; returns a training loss (the epoch mean or the last batch's: a sanity value, accuracy is the real check). */
  double trainEpoch(int n);

  /** Predicts the first {@code n} test samples in batches of {@code batch}; returns the accuracy. */
  double predict(int n, int batch);

  @Override
  default void close() {}
}

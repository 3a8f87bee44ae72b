package dln.runtime.tensor;

/** One {@code start:stop:step} part of an index like {@code x[:, 1:3]}; null means "not given". */
public record Slice(Long start, Long stop, Long step) {
  /** The full slice {@code :}. */
  public static final Slice ALL = new Slice(null, null, null);
}

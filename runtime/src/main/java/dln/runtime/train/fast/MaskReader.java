package dln.runtime.train.fast;

/**
 * A step that reads the mask of padded steps on its input (a recurrent layer, Bidirectional, the
 * masked mean): the plan hands it the mask before each forward.
 */
interface MaskReader {
  /**
   * Sets the mask of the next forward: batch-major (batch·steps values, sample n's step t at
   * {@code n·steps + t}), 1 for a kept step and 0 for a padded one; null for none. The array is
   * the producer's buffer, valid until its next forward.
   */
  void mask(float[] keep);
}

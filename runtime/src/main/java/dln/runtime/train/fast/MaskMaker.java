package dln.runtime.train.fast;

/** A step whose output carries a mask of padded steps it computes (Embedding with mask_zero, Masking). */
interface MaskMaker {
  /** The mask of the last forward, batch-major as {@link MaskReader#mask} takes it. */
  float[] mask();
}

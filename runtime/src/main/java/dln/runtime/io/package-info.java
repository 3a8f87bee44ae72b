/**
 * Model files: architectures as JSON ({@link dln.runtime.io.ModelJson}), weights in a documented
 * binary layout ({@link dln.runtime.io.TensorBlob}), and whole models as one checked zip archive
 * ({@link dln.runtime.io.ModelFiles}). The layout is described in docs/model-format.md.
 */
package dln.runtime.io;

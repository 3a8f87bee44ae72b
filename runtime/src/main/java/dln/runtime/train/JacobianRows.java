package dln.runtime.train;

import dln.runtime.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The cotangents a Jacobian's reverse passes are seeded with, and the Jacobian put together from
 * the gradients those passes give (one per pass), in TensorFlow's shapes.
 */
final class JacobianRows {
  private JacobianRows() {}

  /** {@code tape.jacobian}'s pass k: one at target element k (row-major), zeros elsewhere. */
  static void seedElement(INDArray cotangent, int k) {
    cotangent.putScalar(k, 1f);
  }

  /** {@code tape.batch_jacobian}'s pass k: one at element k of every sample's row. */
  static void seedColumn(INDArray cotangent, int k) {
    long batch = cotangent.size(0);
    cotangent.reshape('c', batch, cotangent.length() / batch).getColumn(k).assign(1f);
  }

  /** The Jacobian of shape {@code target.shape + source.shape} from the gradients of each target element. */
  static INDArray stacked(INDArray[] rows, long[] target) {
    long[] source = rows[0].shape();
    long size = Shapes.size(source);
    INDArray j = Nd4j.create(DataType.FLOAT, rows.length, size);
    for (int k = 0; k < rows.length; k++) j.getRow(k).assign(rows[k].reshape(size));
    return j.reshape('c', joined(target, source));
  }

  /**
   * The per-sample Jacobians, shape {@code (batch,) + target.shape[1:] + source.shape[1:]}, from the
   * gradients of each row element k (all samples' seeded at once: sample b's gradient row is its own).
   */
  static INDArray perSample(INDArray[] rows, long[] target, long[] source) {
    long batch = target[0];
    long per = Shapes.size(source) / batch;
    INDArray j = Nd4j.create(DataType.FLOAT, batch, rows.length, per);
    for (int k = 0; k < rows.length; k++) {
      j.get(NDArrayIndex.all(), NDArrayIndex.point(k), NDArrayIndex.all()).assign(rows[k].reshape('c', batch, per));
    }
    return j.reshape('c', joined(target, Arrays.copyOfRange(source, 1, source.length)));
  }

  /** Zeros of the per-sample Jacobians' shape (a source the target does not reach). */
  static INDArray perSampleZeros(long[] target, long[] source) {
    return Nd4j.zeros(DataType.FLOAT, joined(target, Arrays.copyOfRange(source, 1, source.length)));
  }

  private static long[] joined(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

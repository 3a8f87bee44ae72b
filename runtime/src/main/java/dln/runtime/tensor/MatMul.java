package dln.runtime.tensor;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Matrix product with numpy's {@code matmul} semantics: 1-D operands are promoted to a row (left)
 * or a column (right) and the added axis is removed again, and operands of rank above 2 are stacks
 * of matrices whose leading (batch) axes broadcast. Every 2-D product goes through
 * {@link Nd4j#gemm}, which is several times faster than {@code INDArray.mmul} at MLP shapes.
 */
final class MatMul {
  private MatMul() {}

  static INDArray matmul(INDArray a, INDArray b) {
    if (a.rank() == 0 || b.rank() == 0) {
      throw DlnRuntimeException.shape("matmul: " + Shapes.str(a.shape()) + " @ " + Shapes.str(b.shape())
          + ": matmul needs tensors with at least 1 dimension", "use * to multiply by a number");
    }
    NativeMemory.poll(); // each product is a new native buffer (see Elementwise.binary)
    DataType common = DTypes.wider(a.dataType(), b.dataType());
    // BLAS multiplies floats only: integer products are computed in float64 and converted back.
    DataType compute = DTypes.isFloat(common) ? common : DataType.DOUBLE;
    DataType result = common == DataType.BOOL ? DataType.LONG : common;
    INDArray x = DTypes.as(a, compute);
    INDArray y = DTypes.as(b, compute);
    boolean rowVector = x.rank() == 1;
    boolean colVector = y.rank() == 1;
    if (rowVector) x = x.reshape(1, x.length());
    if (colVector) y = y.reshape(y.length(), 1);
    long inner = x.size(-1);
    long innerB = y.size(-2);
    if (inner != innerB) {
      throw DlnRuntimeException.shape("matmul: " + Shapes.str(a.shape()) + " @ " + Shapes.str(b.shape())
          + ": inner dimensions " + inner + " and " + innerB + " differ",
          "the last axis of the left operand must match the " + (b.rank() == 1 ? "only" : "second-to-last")
              + " axis of the right one; transpose one of them (x.T) if they are the wrong way round");
    }
    INDArray out;
    if (x.rank() == 2 && y.rank() == 2) {
      out = gemm(x, y);
    } else {
      out = batched(a, b, x, y);
    }
    long[] shape = out.shape();
    if (rowVector || colVector) {
      long[] s = new long[shape.length - (rowVector ? 1 : 0) - (colVector ? 1 : 0)];
      int n = shape.length;
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (rowVector && i == n - 2) continue;
        if (colVector && i == n - 1) continue;
        s[k++] = shape[i];
      }
      out = out.reshape('c', s);
    }
    return out.dataType() == result ? out : out.castTo(result);
  }

  /** The 2-D fast path. */
  static INDArray gemm(INDArray x, INDArray y) {
    if (x.size(0) == 0 || y.size(1) == 0 || x.size(1) == 0) {
      return Nd4j.zeros(x.dataType(), x.size(0), y.size(1));
    }
    return Nd4j.gemm(x, y, false, false);
  }

  /** Stacks of matrices: batch axes broadcast, then one gemm per matrix pair. */
  private static INDArray batched(INDArray a, INDArray b, INDArray x, INDArray y) {
    long[] bx = Arrays.copyOf(x.shape(), x.rank() - 2);
    long[] by = Arrays.copyOf(y.shape(), y.rank() - 2);
    long[] batch = Shapes.tryBroadcast(bx, by);
    if (batch == null) {
      throw DlnRuntimeException.shape("matmul: " + Shapes.str(a.shape()) + " @ " + Shapes.str(b.shape())
          + ": batch dimensions " + Shapes.str(bx) + " and " + Shapes.str(by) + " cannot be broadcast", null);
    }
    long n = x.size(-2);
    long k = x.size(-1);
    long m = y.size(-1);
    long count = Shapes.size(batch);
    INDArray xs = Tensors.broadcastTo(x, concat(batch, n, k)).reshape('c', new long[] {count, n, k});
    INDArray ys = Tensors.broadcastTo(y, concat(batch, k, m)).reshape('c', new long[] {count, k, m});
    INDArray out = Nd4j.create(x.dataType(), count, n, m);
    for (long i = 0; i < count; i++) {
      INDArray xi = xs.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
      INDArray yi = ys.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
      out.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).assign(gemm(xi, yi));
    }
    return out.reshape('c', concat(batch, n, m));
  }

  private static long[] concat(long[] head, long p, long q) {
    long[] s = Arrays.copyOf(head, head.length + 2);
    s[head.length] = p;
    s[head.length + 1] = q;
    return s;
  }
}

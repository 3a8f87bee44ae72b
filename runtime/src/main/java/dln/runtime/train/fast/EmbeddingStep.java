package dln.runtime.train.fast;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Embedding on integer indices (batch, steps): the forward pass copies one table row per index
 * (a gather on the host), the backward pass adds each position's gradient into its row of the
 * table gradient; no one-hot matrix and no GEMM. Only the rows a batch touched are non-zero, and
 * only those are cleared again after the gradient has been handed over. With mask_zero the step
 * also marks the positions whose index is 0 as padding in the mask it hands on.
 */
final class EmbeddingStep extends LayerStep implements MaskMaker {
  private final Weight table;
  private final int vocabulary;
  private final int dim;
  private final int steps;
  private final boolean maskZero;
  private final INDArray dTable;
  private final float[] tableHost;
  private final float[] dTableHost;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  /** rows: the table row of each position of the last forward; keep: 1 where its index is not 0. */
  private record Buffers(INDArray out, float[] indices, int[] rows, float[] outHost, float[] grad, float[] keep) {}

  EmbeddingStep(Weight table, long steps, boolean maskZero) {
    this.table = table;
    this.vocabulary = (int) table.shape()[0];
    this.dim = (int) table.shape()[1];
    this.steps = (int) steps;
    this.maskZero = maskZero;
    this.dTable = Nd4j.create(DataType.FLOAT, vocabulary, dim);
    this.tableHost = new float[vocabulary * dim];
    this.dTableHost = new float[vocabulary * dim];
    this.buffers = new PerBatch<>(b -> {
      int n = (int) b * this.steps;
      return new Buffers(Nd4j.create(DataType.FLOAT, b, this.steps, dim), new float[n], new int[n], new float[n * dim],
          new float[n * dim], maskZero ? new float[n] : null);
    });
  }

  @Override
  List<Weight> weights() {
    return List.of(table);
  }

  @Override
  List<INDArray> gradients() {
    return List.of(dTable);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    Host.read(in, b.indices());
    // The table is re-read every step: the optimiser (or the user) changes it in native memory.
    Host.read(table.value(), tableHost);
    float[] out = b.outHost();
    for (int p = 0; p < b.rows().length; p++) {
      int row = rowOf(b.indices()[p]);
      b.rows()[p] = row;
      System.arraycopy(tableHost, row * dim, out, p * dim, dim);
      if (maskZero) b.keep()[p] = row == 0 ? 0f : 1f;
    }
    Host.write(b.out(), out);
    last = b;
    return b.out();
  }

  /** The mask_zero mask of the last forward (null without mask_zero). */
  @Override
  public float[] mask() {
    return last.keep();
  }

  private int rowOf(float index) {
    int row = (int) index;
    if (row != index || row < 0 || row >= vocabulary) {
      throw DlnRuntimeException.value("Embedding index " + (row == index ? String.valueOf(row) : String.valueOf(index))
              + " is not a whole number in 0.." + (vocabulary - 1),
          "the Embedding's input_dim (" + vocabulary + ") must exceed every index in the data");
    }
    return row;
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    // Indices have no gradient; the compiler puts an Embedding only where no weights lie upstream.
    if (!weightGrads) return null;
    float[] g = last.grad();
    Host.read(dOut, g);
    int[] rows = last.rows();
    for (int p = 0; p < rows.length; p++) {
      int base = rows[p] * dim;
      int from = p * dim;
      for (int j = 0; j < dim; j++) dTableHost[base + j] += g[from + j];
    }
    Host.write(dTable, dTableHost);
    for (int row : rows) java.util.Arrays.fill(dTableHost, row * dim, row * dim + dim, 0f);
    return null;
  }
}

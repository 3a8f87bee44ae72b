package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A convolution's backward GEMMs on its patch matrix ({@link Im2Col}), a few images at a time:
 * for each chunk of the batch, its input pixels are copied in, its patch rows written, {@code dW
 * += colsᵀ·dZ} taken on them, and (for the adjoint input gradient) {@code dCols = dZ·Wᵀ} written
 * into the same memory and added back onto the chunk's pixels. The batch's whole patch matrix (75
 * MB for a 16→16 3×3 layer on 128 images of 32×32) never exists: a chunk of about {@link
 * #CHUNK_BYTES} is read by the GEMM while it is still in cache, where the whole matrix went out to
 * memory and back. Images never share patch rows or input pixels, so chunks are whole images.
 */
final class PatchChunks {
  /** The patch rows a chunk aims at, in bytes: a few times a core's L2 (1 MB chunks ran slower, ≈ 2× the CPU time at 128 chunks a batch). */
  static final long CHUNK_BYTES = 4L << 20;

  private final Im2Col im2col;
  private final int imageSize;
  private final int imagesPerChunk;
  private final LayerStep.PerBatch<Buffers> buffers;

  /**
   * A chunk's patch matrix (then its patch gradient), the same for the batch's last, shorter chunk
   * (its own, shorter matrix), and host copies of the chunk's input pixels and their gradient.
   */
  private record Buffers(INDArray cols, INDArray tailCols, float[] x, float[] dx) {}

  /** Chunks of about {@code chunkBytes} of patch rows (at least one image each). */
  PatchChunks(Im2Col im2col, long imageSize, long chunkBytes) {
    this.im2col = im2col;
    this.imageSize = (int) imageSize;
    long imageBytes = 4L * im2col.rowsPerImage() * im2col.patch();
    this.imagesPerChunk = (int) Math.min(Integer.MAX_VALUE, Math.max(1, chunkBytes / imageBytes));
    this.buffers = new LayerStep.PerBatch<>(n -> {
      int chunk = (int) Math.min(n, imagesPerChunk);
      INDArray cols = Nd4j.create(DataType.FLOAT, im2col.rows(chunk), im2col.patch());
      int tail = (int) (n % chunk);
      INDArray tailCols = tail == 0 ? cols : Nd4j.create(DataType.FLOAT, im2col.rows(tail), im2col.patch());
      return new Buffers(cols, tailCols, new float[chunk * this.imageSize], new float[chunk * this.imageSize]);
    });
  }

  /** Images per chunk. */
  int imagesPerChunk() {
    return imagesPerChunk;
  }

  /**
   * Fills {@code dW} ([patch, filters], null: none wanted) with {@code colsᵀ·dZ} and {@code dIn}
   * (the input's shape, null: none wanted) with the adjoint {@code dZ·Wᵀ} added back onto the
   * pixels, for the batch {@code x} and its output gradient {@code dz} ([rows, filters], plain);
   * {@code w} is the kernel as [patch, filters].
   */
  void backward(INDArray x, INDArray dz, INDArray dW, INDArray w, INDArray dIn) {
    int n = (int) x.size(0);
    Buffers b = buffers.get(n);
    INDArray plainX = Host.plain(x);
    int perImage = im2col.rowsPerImage();
    long t0 = StepProfile.start();
    long fillNanos = 0;
    long weightNanos = 0;
    long adjointNanos = 0;
    for (int from = 0; from < n; from += imagesPerChunk) {
      int count = Math.min(imagesPerChunk, n - from);
      INDArray cols = count == imagesPerChunk ? b.cols() : b.tailCols();
      INDArray dzChunk = dz.get(NDArrayIndex.interval((long) from * perImage, (long) (from + count) * perImage), NDArrayIndex.all());
      if (dW != null) {
        Host.read(plainX, (long) from * imageSize, b.x(), count * imageSize);
        im2col.fill(b.x(), cols, count);
        long t1 = StepProfile.start();
        fillNanos += t1 - t0;
        Nd4j.gemm(cols, dzChunk, dW, true, false, 1.0, from == 0 ? 0.0 : 1.0);
        t0 = StepProfile.start();
        weightNanos += t0 - t1;
      }
      if (dIn != null) {
        Nd4j.gemm(dzChunk, w, cols, false, true, 1.0, 0.0);
        im2col.accumulate(cols, b.dx(), count);
        Host.write(dIn, (long) from * imageSize, b.dx(), count * imageSize);
        long t1 = StepProfile.start();
        adjointNanos += t1 - t0;
        t0 = t1;
      }
    }
    if (dW != null) {
      StepProfile.detail("conv bwd patch matrix", fillNanos);
      StepProfile.detail("conv bwd weight GEMMs", weightNanos);
    }
    if (dIn != null) StepProfile.detail("conv bwd adjoint GEMM + scatter", adjointNanos);
  }
}

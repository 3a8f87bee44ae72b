package dln.runtime.train.fast;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Conv2D backward passes {@link Conv2DStep} chooses between, side by side on one shape,
 * interleaved (each repetition runs every variant four times), wall-clock and CPU ({@link CpuClock})
 * medians in ms per batch: libnd4j's {@code conv2d_bp}; the weight gradient on the patch matrix
 * with the input gradient as a stride-1 convolution with the transposed kernel; the patch matrix
 * with the adjoint GEMM {@code dZ·Wᵀ}; the forward pass for scale. Not a test: run it by hand.
 *
 * <pre>
 * OMP_WAIT_POLICY=passive java -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2 \
 *   -cp runtime/target/classes:runtime/target/test-classes:$CP dln.runtime.train.fast.ConvBackwardBench \
 *   batch size inChannels outChannels kernel stride same|valid reps
 * </pre>
 */
final class ConvBackwardBench {
  private ConvBackwardBench() {}

  private static void exec(String op, INDArray[] in, INDArray[] out, int[] args) {
    Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(args).build());
  }

  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    int h = Integer.parseInt(a[1]);
    int c = Integer.parseInt(a[2]);
    int o = Integer.parseInt(a[3]);
    int k = Integer.parseInt(a[4]);
    int s = Integer.parseInt(a[5]);
    boolean same = a[6].equals("same");
    int reps = Integer.parseInt(a[7]);
    int oh = same ? (h + s - 1) / s : (h - k) / s + 1;
    INDArray x = Nd4j.rand(DataType.FLOAT, n, h, h, c).subi(0.5);
    INDArray w = Nd4j.rand(DataType.FLOAT, k, k, c, o).subi(0.5);
    INDArray b = Nd4j.rand(DataType.FLOAT, o);
    INDArray z = Nd4j.create(DataType.FLOAT, n, oh, oh, o);
    INDArray dz = Nd4j.rand(DataType.FLOAT, n, oh, oh, o).subi(0.5);
    INDArray dx = Nd4j.create(DataType.FLOAT, n, h, h, c);
    INDArray dxTransposed = dx.like();
    INDArray dxAdjoint = dx.like();
    INDArray dw = Nd4j.create(DataType.FLOAT, k, k, c, o);
    INDArray dwPatch = dw.like();
    INDArray db = Nd4j.create(DataType.FLOAT, o);
    INDArray dbPatch = db.like();
    int[] args = {k, k, s, s, 0, 0, 1, 1, same ? 1 : 0, 1, 0};
    Im2Col im = new Im2Col(new long[] {h, h, c}, new long[] {oh, oh, o}, new int[] {k, k}, new int[] {s, s}, same);
    INDArray cols = Nd4j.create(DataType.FLOAT, im.rows(n), im.patch());
    INDArray ones = Nd4j.ones(DataType.FLOAT, im.rows(n), 1);
    float[] xHost = new float[(int) x.length()];
    float[] dxHost = new float[(int) x.length()];
    INDArray dz2 = dz.reshape('c', im.rows(n), o);
    Runnable patchWeights = () -> {
      Host.read(x, xHost);
      im.fill(xHost, cols, n);
      Nd4j.gemm(cols, dz2, dwPatch.reshape('c', im.patch(), o), true, false, 1.0, 0.0);
      Nd4j.gemm(ones, dz2, dbPatch.reshape('c', 1, o), true, false, 1.0, 0.0);
    };
    // The transposed kernel [k, k, o, c]: flipped in space, channels swapped (as Conv2DStep builds it).
    INDArray flipped = Nd4j.create(DataType.FLOAT, k, k, o, c);
    float[] wHost = new float[k * k * c * o];
    float[] flippedHost = new float[k * k * c * o];
    int pad = same ? 0 : k - 1;
    int[] transposedArgs = {k, k, 1, 1, pad, pad, 1, 1, same ? 1 : 0, 1, 0};
    Runnable transposed = () -> {
      Host.read(w, wHost);
      for (int ky = 0; ky < k; ky++) for (int kx = 0; kx < k; kx++) for (int i = 0; i < c; i++) for (int q = 0; q < o; q++) {
        flippedHost[((ky * k + kx) * o + q) * c + i] = wHost[(((k - 1 - ky) * k + (k - 1 - kx)) * c + i) * o + q];
      }
      Host.write(flipped, flippedHost);
      exec("conv2d", new INDArray[] {dz, flipped}, new INDArray[] {dxTransposed}, transposedArgs);
    };
    String[] names = {"forward (conv2d)", "conv2d_bp", "patch dW + transposed dx", "patch dW + adjoint dx"};
    Runnable[] variants = {
      () -> exec("conv2d", new INDArray[] {x, w, b}, new INDArray[] {z}, args),
      () -> exec("conv2d_bp", new INDArray[] {x, w, b, dz}, new INDArray[] {dx, dw, db}, args),
      () -> {
        patchWeights.run();
        if (s == 1) transposed.run();
      },
      () -> {
        patchWeights.run();
        Nd4j.gemm(dz2, w.reshape('c', im.patch(), o), cols, false, true, 1.0, 0.0);
        im.accumulate(cols, dxHost, n);
        Host.write(dxAdjoint, dxHost);
      },
    };
    for (Runnable v : variants) for (int i = 0; i < 2; i++) v.run();
    System.out.printf("%d × %d×%d×%d → %d, %d×%d stride %d %s; load %s%n", n, h, h, c, o, k, k, s, a[6],
        Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf("  agreement with conv2d_bp (max |difference|): dW %.2g of %.2g, db %.2g, dx transposed %s, adjoint %.2g of %.2g%n",
        dwPatch.sub(dw).amaxNumber().doubleValue(), dw.amaxNumber().doubleValue(), dbPatch.sub(db).amaxNumber().doubleValue(),
        s == 1 ? String.format("%.2g", dxTransposed.sub(dx).amaxNumber().doubleValue()) : "(stride 1 only)",
        dxAdjoint.sub(dx).amaxNumber().doubleValue(), dx.amaxNumber().doubleValue());
    double[][] wall = new double[variants.length][reps];
    double[][] cpu = new double[variants.length][reps];
    for (int rep = 0; rep < reps; rep++) {
      for (int v = 0; v < variants.length; v++) {
        long c0 = CpuClock.nanos();
        long t0 = System.nanoTime();
        for (int j = 0; j < 4; j++) variants[v].run();
        wall[v][rep] = (System.nanoTime() - t0) / 4e6;
        cpu[v][rep] = (CpuClock.nanos() - c0) / 4e6;
      }
    }
    for (int v = 0; v < variants.length; v++) {
      Arrays.sort(wall[v]);
      Arrays.sort(cpu[v]);
      System.out.printf("  %-26s wall median %7.1f min %7.1f | CPU median %7.1f min %7.1f%n", names[v], wall[v][reps / 2], wall[v][0],
          cpu[v][reps / 2], cpu[v][0]);
    }
  }
}

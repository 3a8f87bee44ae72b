package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.layers.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BatchNormStep}'s tiled passes (float partial sums over tiles of whole rows, flushed into
 * double) against the textbook formulas in double: channel counts below, at and above a tile's
 * 512 values, row counts that end in a partial tile, enough rows for several flushes and two
 * parallel blocks, and inputs far from zero mean (where Σx² − n·mean² cancels), with and without
 * the absorbed relu.
 */
class BatchNormTilesTest {
  @Test
  void tiledPassesMatchDoublePrecisionFormulas() {
    // (batch, height, width, channels): 2,000 rows of 3 (≈ 12 tiles of 170 rows), 40,320 rows of
    // 16 (> 64 tiles per block), 6,000 rows of 600 (a tile of one row).
    int[][] shapes = {{2, 25, 40, 3}, {35, 32, 36, 16}, {60, 10, 10, 600}};
    for (int[] s : shapes) {
      for (boolean relu : new boolean[] {false, true}) check(s[0], s[1], s[2], s[3], relu);
    }
  }

  /** The absorbed relu's branch-free mask: exactly 1 for every positive float, 0 for zeros of either sign and negatives. */
  @Test
  void reluMaskIsOneExactlyForPositiveValues() {
    float[] positive = {Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, 1e-20f, 0.5f, 1f, 3e38f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
    float[] notPositive = {0f, -0f, -Float.MIN_VALUE, -1e-30f, -1f, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
    for (float v : positive) assertEquals(1f, BatchNormStep.reluMask(v), "mask of " + v);
    for (float v : notPositive) assertEquals(0f, Math.abs(BatchNormStep.reluMask(v)), "mask of " + v);
    assertEquals(Float.floatToRawIntBits(-2.75f), Float.floatToRawIntBits(-2.75f * BatchNormStep.reluMask(1e-45f)), "a passed gradient keeps its bits");
  }

  private static void check(int n, int h, int w, int c, boolean relu) {
    Rng.seed(5 + c);
    long[] sample = {h, w, c};
    INDArray x = Rng.normal(new long[] {n, h, w, c}, 4.0, 0.5);
    INDArray dy = Rng.normal(new long[] {n, h, w, c}, 0, 1);
    BatchNormalization layer = new BatchNormalization(new BatchNormalization.Config(0.9, 0.001, true, true), null);
    layer.apply(Input.of(h, w, c));
    layer.weight("gamma").value().assign(Rng.normal(new long[] {c}, 1, 0.3));
    layer.weight("beta").value().assign(Rng.normal(new long[] {c}, 0, 0.3));
    BatchNormStep step = new BatchNormStep(layer, sample);
    if (relu) step.absorbRelu();
    float[] out = Host.read(step.forward(x, true));
    float[] dx = Host.read(step.backward(dy, true, true));
    float[] dGamma = Host.read(step.gradients().get(0));
    float[] dBeta = Host.read(step.gradients().get(1));

    float[] xv = Host.read(x);
    float[] dyv = Host.read(dy);
    float[] g = Host.read(layer.weight("gamma").value());
    float[] b = Host.read(layer.weight("beta").value());
    int rows = n * h * w;
    double[] mean = new double[c];
    double[] var = new double[c];
    for (int r = 0; r < rows; r++) for (int k = 0; k < c; k++) mean[k] += xv[r * c + k];
    for (int k = 0; k < c; k++) mean[k] /= rows;
    for (int r = 0; r < rows; r++) for (int k = 0; k < c; k++) var[k] += Math.pow(xv[r * c + k] - mean[k], 2);
    double[] inv = new double[c];
    for (int k = 0; k < c; k++) inv[k] = 1 / Math.sqrt(var[k] / rows + 0.001);
    double[] d = new double[rows * c];
    double[] sumD = new double[c];
    double[] sumDx = new double[c];
    String what = n + "×" + h + "×" + w + "×" + c + (relu ? " with relu" : "");
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < c; k++) {
        int i = r * c + k;
        double xhat = (xv[i] - mean[k]) * inv[k];
        double y = xhat * g[k] + b[k];
        double expected = relu ? Math.max(y, 0) : y;
        assertEquals(expected, out[i], 1e-4 * (1 + Math.abs(expected)), what + " output " + i);
        d[i] = relu && y <= 0 ? 0 : dyv[i];
        sumD[k] += d[i];
        sumDx[k] += d[i] * xhat;
      }
    }
    for (int k = 0; k < c; k++) {
      assertEquals(sumDx[k], dGamma[k], 1e-4 * (1 + Math.abs(sumDx[k])), what + " dGamma " + k);
      assertEquals(sumD[k], dBeta[k], 1e-4 * (1 + Math.abs(sumD[k])), what + " dBeta " + k);
    }
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < c; k++) {
        int i = r * c + k;
        double xhat = (xv[i] - mean[k]) * inv[k];
        double expected = g[k] * inv[k] * (d[i] - sumD[k] / rows - xhat * sumDx[k] / rows);
        assertEquals(expected, dx[i], 1e-4 * (1 + Math.abs(expected)), what + " input gradient " + i);
      }
    }
  }
}

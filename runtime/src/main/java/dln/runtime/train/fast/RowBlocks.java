package dln.runtime.train.fast;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Host loops over the rows of a channels-last activation, split into one block per core: ND4J's
 * ops use every core, so a single-threaded Java pass over a large activation would leave the
 * others idle. Small inputs run on the caller's thread.
 */
final class RowBlocks {
  private static final int BLOCKS = Runtime.getRuntime().availableProcessors();
  /** Below this many rows a pass is too short to be worth handing out. */
  private static final int MIN_ROWS_PER_BLOCK = 2048;

  private RowBlocks() {}

  /** A pass over rows [from, to). */
  @FunctionalInterface
  interface Pass {
    void run(int from, int to);
  }

  /** A pass over rows [from, to) adding into per-block accumulators. */
  @FunctionalInterface
  interface SumPass {
    void run(int from, int to, double[] acc);
  }

  private static int blocks(int rows) {
    return Math.max(1, Math.min(BLOCKS, rows / MIN_ROWS_PER_BLOCK));
  }

  static void run(int rows, Pass pass) {
    int n = blocks(rows);
    if (n == 1) {
      pass.run(0, rows);
      return;
    }
    IntStream.range(0, n).parallel().forEach(b -> pass.run(start(rows, n, b), start(rows, n, b + 1)));
  }

  /** A pass over tiles [from, to) of a flat array, split into one range per core when there are at least two tiles a core. */
  static void runTiles(int tiles, Pass pass) {
    int n = Math.max(1, Math.min(BLOCKS, tiles / 2));
    if (n == 1) {
      pass.run(0, tiles);
      return;
    }
    IntStream.range(0, n).parallel().forEach(b -> pass.run(start(tiles, n, b), start(tiles, n, b + 1)));
  }

  /** Runs the pass on blocks with their own accumulators of {@code width} values, then adds them up in block order. */
  static double[] sumPerChannel(int rows, int width, SumPass pass) {
    int n = blocks(rows);
    double[][] acc = new double[n][width];
    if (n == 1) {
      pass.run(0, rows, acc[0]);
      return acc[0];
    }
    IntStream.range(0, n).parallel().forEach(b -> pass.run(start(rows, n, b), start(rows, n, b + 1), acc[b]));
    for (int b = 1; b < n; b++) for (int c = 0; c < width; c++) acc[0][c] += acc[b][c];
    return acc[0];
  }

  /** How many blocks of at least {@code minRows} rows each {@code rows} rows make, at most one a core. */
  static int count(int rows, int minRows) {
    return Math.max(1, Math.min(BLOCKS, rows / minRows));
  }

  /** Runs {@code block.accept(b)} for b < n, one per core side by side (the caller's thread takes one). */
  static void runEach(int n, IntConsumer block) {
    if (n == 1) block.accept(0);
    else IntStream.range(0, n).parallel().forEach(block);
  }

  /** The first row of block {@code block} of {@code blocks} over {@code rows} rows (the last block's end: {@code rows}). */
  static int start(int rows, int blocks, int block) {
    return (int) ((long) rows * block / blocks);
  }
}

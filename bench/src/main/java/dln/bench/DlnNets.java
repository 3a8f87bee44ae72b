package dln.bench;

import dln.Dln;
import java.io.Writer;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The MLP or the CNN written in DLN ({@code bench/dln/mlp.dln}, {@code bench/dln/cnn.dln}) and run
 * through the embedding API, exactly as a user's script runs. The script defines the model and two
 * functions, {@code train_epoch(x, y)} and {@code predict(x)}; the data are handed in as globals
 * (images channels-last, as Keras and DLN expect; labels one-hot), so the timed call is the
 * script's own {@code model.fit}/{@code model.predict}.
 */
final class DlnNets implements BenchNet {
  private final Dln dln = Dln.builder().out(Writer.nullWriter()).build();
  private final INDArray trainX;
  private final INDArray trainY;
  private final INDArray testX;
  private final Nd4jData data;

  DlnNets(Nd4jData data, Path script, boolean cnn) {
    this.data = data;
    long n = data.trainX.size(0);
    this.trainX = cnn ? data.trainX.reshape(n, 28, 28, 1) : data.trainX;
    this.trainY = data.trainY;
    this.testX = cnn ? data.testX.reshape(data.testX.size(0), 28, 28, 1) : data.testX;
    dln.eval(script);
  }

  @Override
  public double trainEpoch(int n) {
    dln.set("x_epoch", first(trainX, n));
    dln.set("y_epoch", first(trainY, n));
    Object loss = dln.eval("train_epoch(x_epoch, y_epoch)");
    return loss instanceof Number num ? num.doubleValue() : Double.NaN;
  }

  @Override
  public double predict(int n, int batch) {
    dln.set("x_predict", first(testX, n));
    dln.set("predict_batch", (long) batch);
    Object out = dln.eval("predict(x_predict, predict_batch)");
    if (!(out instanceof INDArray probs)) throw new IllegalStateException("predict() returned " + out + ", not a tensor");
    return data.correct(probs.reshape(n, -1).castTo(DataType.FLOAT), 0) / (double) n;
  }

  /** The first n samples, as a contiguous copy (a view would share the full array's offset). */
  private static INDArray first(INDArray a, int n) {
    if (n == a.size(0)) return a;
    INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
    idx[0] = NDArrayIndex.interval(0, n);
    for (int i = 1; i < idx.length; i++) idx[i] = NDArrayIndex.all();
    return a.get(idx).dup();
  }
}

package dln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The MLP and the CNN hand-written in SameDiff, the way an expert would: mmul + add (not
 * sd.nn.linear, which can diverge in M2.1), a fused softmax cross-entropy loss, inverted dropout
 * from a random mask fed as a placeholder (sd.nn.dropout has no gradient in M2.1), NCHW
 * convolutions (ND4J's native layout), one fit call per epoch over an iterator of batches, and a
 * separate dropout-free inference path sharing the weights.
 */
final class SameDiffNets implements BenchNet {
  private final SameDiff sd = SameDiff.create();
  private final Nd4jData data;
  private final boolean cnn;
  /** Placeholder names and shapes (without batch) of the dropout masks, and their keep probabilities. */
  private final List<String> maskNames = new ArrayList<>();
  private final List<long[]> maskShapes = new ArrayList<>();
  private final List<Double> maskKeep = new ArrayList<>();

  private SameDiffNets(Nd4jData data, boolean cnn) {
    this.data = data;
    this.cnn = cnn;
    SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, Mnist.PIXELS);
    SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, Mnist.CLASSES);
    SDVariable logits = cnn ? cnn(in, true) : mlp(in, true);
    SDVariable inferLogits = cnn ? cnn(in, false) : mlp(in, false);
    sd.nn.softmax("probs", inferLogits, 1);
    sd.loss.softmaxCrossEntropy("loss", label, logits, null);
    sd.setLossVariables("loss");
    List<String> features = new ArrayList<>();
    features.add("input");
    features.addAll(maskNames);
    sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
        .dataSetFeatureMapping(features.toArray(new String[0])).dataSetLabelMapping("label").build());
  }

  static BenchNet mlp(Nd4jData data) {
    return new SameDiffNets(data, false);
  }

  static BenchNet cnn(Nd4jData data) {
    return new SameDiffNets(data, true);
  }

  // The weights are created on the training pass and looked up by name on the inference pass.
  private SDVariable dense(String name, SDVariable x, int in, int out, boolean create) {
    SDVariable w = create ? sd.var(name + "_w", glorot(in, out, in, out)) : sd.getVariable(name + "_w");
    SDVariable b = create ? sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, out)) : sd.getVariable(name + "_b");
    return x.mmul(w).add(b);
  }

  private SDVariable conv(String name, SDVariable x, int in, int out, boolean create) {
    SDVariable w = create ? sd.var(name + "_w", glorot(9 * in, 9 * out, 3, 3, in, out)) : sd.getVariable(name + "_w");
    SDVariable b = create ? sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, out)) : sd.getVariable(name + "_b");
    Conv2DConfig c = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
    return sd.cnn.conv2d(x, w, b, c);
  }

  private SDVariable dropout(SDVariable x, double rate, long[] shape, boolean train) {
    if (!train) return x;
    String name = "mask" + maskNames.size();
    long[] full = new long[shape.length + 1];
    full[0] = -1;
    System.arraycopy(shape, 0, full, 1, shape.length);
    maskNames.add(name);
    maskShapes.add(shape);
    maskKeep.add(1 - rate);
    return x.mul(sd.placeHolder(name, DataType.FLOAT, full));
  }

  private SDVariable mlp(SDVariable in, boolean train) {
    SDVariable h = sd.nn.relu(dense("d1", in, 784, 512, train), 0);
    h = dropout(h, 0.2, new long[] {512}, train);
    h = sd.nn.relu(dense("d2", h, 512, 512, train), 0);
    h = dropout(h, 0.2, new long[] {512}, train);
    return dense("d3", h, 512, 10, train);
  }

  private SDVariable cnn(SDVariable in, boolean train) {
    SDVariable x = in.reshape(-1, 1, 28, 28);
    x = sd.nn.relu(conv("c1", x, 1, 32, train), 0);
    x = sd.nn.relu(conv("c2", x, 32, 64, train), 0);
    x = sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID).isNHWC(false).build());
    x = dropout(x, 0.25, new long[] {64, 12, 12}, train);
    x = x.reshape(-1, 9216);
    x = sd.nn.relu(dense("d1", x, 9216, 128, train), 0);
    x = dropout(x, 0.5, new long[] {128}, train);
    return dense("d2", x, 128, 10, train);
  }

  /** Glorot-uniform initial weights, as Keras uses. */
  static INDArray glorot(int fanIn, int fanOut, long... shape) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(2 * limit);
  }

  @Override
  public double trainEpoch(int n) {
    // SameDiff's History only records losses with a listener attached, which costs time per step.
    sd.fit(new Batches(n), 1);
    return Double.NaN;
  }

  @Override
  public double predict(int n, int batch) {
    int hits = 0;
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      INDArray x = data.testX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all());
      INDArray p = sd.outputSingle(Map.of("input", x), "probs");
      hits += data.correct(p, from);
    }
    return hits / (double) n;
  }

  /** Shuffled mini-batches of the first n samples, each with fresh inverted-dropout masks. */
  private final class Batches implements MultiDataSetIterator {
    private final int n;
    private int[] perm;
    private int cursor;

    Batches(int n) {
      this.n = n;
      reset();
    }

    @Override
    public org.nd4j.linalg.dataset.api.MultiDataSet next() {
      int to = Math.min(n, cursor + Driver.TRAIN_BATCH);
      int size = to - cursor;
      INDArray[] features = new INDArray[1 + maskNames.size()];
      features[0] = Nd4jData.rows(data.trainX, perm, cursor, to);
      for (int i = 0; i < maskNames.size(); i++) {
        long[] s = maskShapes.get(i);
        long[] full = new long[s.length + 1];
        full[0] = size;
        System.arraycopy(s, 0, full, 1, s.length);
        double keep = maskKeep.get(i);
        INDArray mask = Nd4j.createUninitialized(DataType.FLOAT, full);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, keep));
        features[1 + i] = mask.divi(keep);
      }
      INDArray labels = Nd4jData.rows(data.trainY, perm, cursor, to);
      cursor = to;
      return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[] {labels});
    }

    @Override
    public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) {
      return next();
    }

    @Override
    public boolean hasNext() {
      return cursor < n;
    }

    @Override
    public void reset() {
      perm = data.permutation(n);
      cursor = 0;
    }

    @Override
    public boolean resetSupported() {
      return true;
    }

    @Override
    public boolean asyncSupported() {
      return false;
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
      throw new UnsupportedOperationException("no pre-processing in the benchmark");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
      return null;
    }
  }
}

package dln.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The MLP and the CNN as DL4J MultiLayerNetworks. DL4J's {@code dropOut(p)} takes the RETAIN
 * probability and applies to a layer's input, so Keras' Dropout(0.2) after a layer becomes
 * {@code dropOut(0.8)} on the next one.
 */
final class Dl4jNets implements BenchNet {
  private final MultiLayerNetwork net;
  private final Nd4jData data;

  private Dl4jNets(MultiLayerConfiguration conf, Nd4jData data) {
    this.net = new MultiLayerNetwork(conf);
    this.net.init();
    this.data = data;
  }

  static BenchNet mlp(Nd4jData data) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER_UNIFORM)
        .list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).dropOut(0.8).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(512).nOut(10).activation(Activation.SOFTMAX).dropOut(0.8).build())
        .build();
    return new Dl4jNets(conf, data);
  }

  static BenchNet cnn(Nd4jData data) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER_UNIFORM)
        .list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).dropOut(0.75).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).dropOut(0.5).build())
        .setInputType(InputType.convolutionalFlat(28, 28, 1))
        .build();
    return new Dl4jNets(conf, data);
  }

  @Override
  public double trainEpoch(int n) {
    int[] perm = data.permutation(n);
    for (int from = 0; from < n; from += Driver.TRAIN_BATCH) {
      int to = Math.min(n, from + Driver.TRAIN_BATCH);
      net.fit(new DataSet(Nd4jData.rows(data.trainX, perm, from, to), Nd4jData.rows(data.trainY, perm, from, to)));
    }
    return net.score();
  }

  @Override
  public double predict(int n, int batch) {
    int hits = 0;
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      INDArray x = data.testX.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      hits += data.correct(net.output(x, false), from);
    }
    return hits / (double) n;
  }
}

package dln.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Random;

/**
 * The MLP and the CNN in DJL on its PyTorch engine (libtorch from the pytorch-native-cpu Maven
 * jar, loaded offline). The networks end in logits; DJL's softmax cross-entropy loss applies the
 * softmax, which is Keras' softmax + categorical cross-entropy. Each batch's arrays live in a
 * sub-manager closed after the step, as DJL's own training loop does.
 */
final class DjlNets implements BenchNet {
  private final NDManager manager;
  private final Model model;
  private final Trainer trainer;
  private final NDArray trainX;
  private final NDArray trainY;
  private final NDArray testX;
  private final int[] testLabels;
  private final boolean cnn;
  private final Random random = new Random(42);

  private DjlNets(Mnist m, boolean cnn) {
    this.cnn = cnn;
    manager = NDManager.newBaseManager("PyTorch");
    trainX = manager.create(m.trainX, new Shape(m.trainSize(), Mnist.PIXELS));
    float[] y = new float[m.trainSize()];
    for (int i = 0; i < y.length; i++) y[i] = m.trainY[i];
    trainY = manager.create(y);
    testX = manager.create(m.testX, new Shape(m.testSize(), Mnist.PIXELS));
    testLabels = m.testY;
    model = Model.newInstance(cnn ? "cnn" : "mlp", "PyTorch");
    model.setBlock(cnn ? cnnBlock() : mlpBlock());
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
    trainer = model.newTrainer(config);
    trainer.initialize(cnn ? new Shape(Driver.TRAIN_BATCH, 1, 28, 28) : new Shape(Driver.TRAIN_BATCH, Mnist.PIXELS));
  }

  static BenchNet mlp(Mnist m) {
    return new DjlNets(m, false);
  }

  static BenchNet cnn(Mnist m) {
    return new DjlNets(m, true);
  }

  private static SequentialBlock mlpBlock() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock()).add(Dropout.builder().optRate(0.2f).build())
        .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock()).add(Dropout.builder().optRate(0.2f).build())
        .add(Linear.builder().setUnits(10).build());
  }

  private static SequentialBlock cnnBlock() {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build()).add(Activation.reluBlock())
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build()).add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))).add(Dropout.builder().optRate(0.25f).build())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock()).add(Dropout.builder().optRate(0.5f).build())
        .add(Linear.builder().setUnits(10).build());
  }

  private NDArray images(NDArray flat) {
    return cnn ? flat.reshape(-1, 1, 28, 28) : flat;
  }

  @Override
  public double trainEpoch(int n) {
    int[] perm = permutation(n);
    double loss = Double.NaN;
    for (int from = 0; from < n; from += Driver.TRAIN_BATCH) {
      int to = Math.min(n, from + Driver.TRAIN_BATCH);
      try (NDManager batch = manager.newSubManager()) {
        NDArray idx = batch.create(Arrays.copyOfRange(perm, from, to));
        NDArray x = trainX.get(new NDIndex("{}", idx));
        NDArray y = trainY.get(new NDIndex("{}", idx));
        x.attach(batch);
        y.attach(batch);
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(images(x)));
          NDArray l = trainer.getLoss().evaluate(new NDList(y), out);
          gc.backward(l);
          if (to == n) loss = l.getFloat();
        }
        trainer.step();
      }
    }
    return loss;
  }

  @Override
  public double predict(int n, int batchSize) {
    int hits = 0;
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      try (NDManager batch = manager.newSubManager()) {
        NDArray x = testX.get(from + ":" + to);
        x.attach(batch);
        NDArray probs = trainer.evaluate(new NDList(images(x))).singletonOrThrow().softmax(1);
        long[] arg = probs.argMax(1).toLongArray();
        for (int i = 0; i < arg.length; i++) if (arg[i] == testLabels[from + i]) hits++;
      }
    }
    return hits / (double) n;
  }

  private int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
    manager.close();
  }
}

package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.Loss;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * fit's sample_weight and class_weight with Keras's semantics (each sample's loss times its
 * weight, summed, divided by the batch size; class weights by the label's class), on the fast
 * engine against the reference engine, for fused and output-reading heads and a sequence output.
 */
class SampleWeightsTest {
  private static final double TOL = 1e-4;

  private static Model[] twins(Supplier<Model> build, String loss) {
    Model a = build.get();
    Model b = build.get();
    List<Model.WeightRef> wa = a.weightRefs();
    List<Model.WeightRef> wb = b.weightRefs();
    for (int i = 0; i < wa.size(); i++) wb.get(i).weight().value().assign(wa.get(i).weight().value());
    TrainingSession.of(a).compile(new CompileConfig(new Adam(0.02), List.of(Loss.byName(loss)), List.of("accuracy")));
    TrainingSession.of(b).compile(new CompileConfig(new Adam(0.02), List.of(Loss.byName(loss)), List.of("accuracy")));
    TrainingSession.of(a).setEngineFactory(SameDiffEngine::new);
    assertInstanceOf(FastEngine.class, TrainingSession.of(b).engine());
    return new Model[] {a, b};
  }

  private static void close(double a, double b, String what) {
    assertTrue(Math.abs(a - b) <= TOL * (1 + Math.abs(a)), what + ": reference " + a + " vs fast " + b);
  }

  /** Engine steps with weights: losses, outputs and the weights after each step agree. */
  private static void stepsAgree(Supplier<Model> build, String loss, INDArray x, INDArray y) {
    Model[] m = twins(build, loss);
    INDArray labels = Loss.byName(loss).prepareLabels(y, m[0].outputs().get(0).shape());
    TrainingEngine ra = TrainingSession.of(m[0]).engine();
    TrainingEngine rb = TrainingSession.of(m[1]).engine();
    long n = x.size(0);
    for (int s = 0; s < 4; s++) {
      long from = (s * 8L) % n;
      long to = Math.min(n, from + 8);
      List<INDArray> xb = List.of(x.get(NDArrayIndex.interval(from, to)).dup());
      List<INDArray> yb = List.of(labels.get(NDArrayIndex.interval(from, to)).dup());
      INDArray w = Rng.uniform(new long[] {to - from}, 0, 3);
      Rng.seed(300 + s);
      double la = ra.trainStep(xb, yb, w, 0).loss();
      Rng.seed(300 + s);
      double lb = rb.trainStep(xb, yb, w, 0).loss();
      close(la, lb, loss + " weighted loss at step " + s);
    }
    List<Model.WeightRef> wa = m[0].weightRefs();
    List<Model.WeightRef> wb = m[1].weightRefs();
    for (int i = 0; i < wa.size(); i++) {
      float[] va = wa.get(i).weight().value().dup().data().asFloat();
      float[] vb = wb.get(i).weight().value().dup().data().asFloat();
      for (int k = 0; k < va.length; k++) close(va[k], vb[k], loss + " " + wa.get(i).weight().fullName() + "[" + k + "]");
    }
  }

  @Test
  void weightedStepsMatchTheReferenceForEveryKindOfHead() {
    Rng.seed(51);
    INDArray x = data(32, 5);
    stepsAgree(() -> new Sequential(List.of(Input.of(5), new Dense(8, "relu"), new Dropout(0.2), new Dense(3, "softmax"))),
        "categorical_crossentropy", x, oneHot(32, 3));
    stepsAgree(() -> new Sequential(List.of(Input.of(5), new Dense(6, "tanh"), new Dense(1, "sigmoid"))),
        "binary_crossentropy", x, data(32, 1).gt(0).castTo(DataType.FLOAT));
    stepsAgree(() -> new Sequential(List.of(Input.of(5), new Dense(6, "tanh"), new Dense(2))), "huber", x, data(32, 2));
    stepsAgree(() -> new Sequential(List.of(Input.of(5), new Dense(6, "tanh"), new Dense(3, "softmax"))), "kld", x,
        org.nd4j.linalg.ops.transforms.Transforms.softmax(data(32, 3), true));
    // A sequence output: every position of a sample takes the sample's weight.
    stepsAgree(() -> new Sequential(List.of(Input.of(3, 6), new LSTM(5, true))), "mse", data(32, 3, 6), data(32, 3, 5));
  }

  @Test
  void theWeightedLossIsTheSumOfWeightedSampleLossesOverTheBatchSize() {
    Rng.seed(52);
    INDArray x = data(8, 4);
    INDArray y = data(8, 2);
    Model m = new Sequential(List.of(Input.of(4), new Dense(2)));
    TrainingSession.of(m).compile(new CompileConfig(new dln.runtime.train.SGD(1e-9, 0, false), List.of(Loss.byName("mse")), List.of()));
    INDArray out = TrainingSession.of(m).predict(List.of(x), 8).get(0);
    float[] w = {0, 1, 2, 3, 0.5f, 1, 1, 4};
    double expected = 0;
    for (int i = 0; i < 8; i++) {
      INDArray d = out.getRow(i).sub(y.getRow(i));
      expected += w[i] * d.mul(d).meanNumber().doubleValue();
    }
    expected /= 8;
    double got = TrainingSession.of(m).engine().trainStep(List.of(x), List.of(y), Nd4j.createFromArray(w), 0).loss();
    close(expected, got, "Σ w·loss / batch");
  }

  @Test
  void classWeightIsSampleWeightByLabelOnBothEngines() {
    Rng.seed(53);
    INDArray x = data(40, 5);
    INDArray cls = FastEngineTest.classes(40, 3);
    Map<Integer, Double> cw = Map.of(0, 1.0, 1, 3.0, 2, 0.5);
    float[] asSamples = new float[40];
    for (int i = 0; i < 40; i++) asSamples[i] = cw.get(cls.getInt(i)).floatValue();
    Supplier<Model> build = () -> new Sequential(List.of(Input.of(5), new Dense(8, "relu"), new Dense(3, "softmax")));
    List<History> histories = new ArrayList<>();
    for (boolean fast : new boolean[] {false, true}) {
      for (boolean byClass : new boolean[] {true, false}) {
        Rng.seed(54);
        Model m = build.get();
        TrainingSession.of(m).compile(new CompileConfig(new Adam(0.02), List.of(Loss.byName("sparse_categorical_crossentropy")),
            List.of("accuracy")));
        if (!fast) TrainingSession.of(m).setEngineFactory(SameDiffEngine::new);
        FitOptions o = new FitOptions().epochs(2).batchSize(16).seed(7);
        if (byClass) o.classWeight(cw);
        else o.sampleWeight(Nd4j.createFromArray(asSamples));
        histories.add(TrainingSession.of(m).fit(List.of(x), List.of(cls), o));
      }
    }
    for (History h : histories.subList(1, 4)) {
      for (String k : List.of("loss", "accuracy")) {
        for (int e = 0; e < 2; e++) close(histories.get(0).history().get(k).get(e), h.history().get(k).get(e), k + " epoch " + e);
      }
    }
  }

  @Test
  void badWeightsAreClearErrors() {
    Model m = new Sequential(List.of(Input.of(2), new Dense(2, "softmax")));
    TrainingSession.of(m).compile("adam", "categorical_crossentropy");
    INDArray x = data(4, 2);
    INDArray y = oneHot(4, 2);
    var e = assertThrows(DlnRuntimeException.class,
        () -> TrainingSession.of(m).fit(List.of(x), List.of(y), new FitOptions().sampleWeight(Nd4j.ones(3))));
    assertTrue(e.getMessage().contains("one weight per sample"), e.getMessage());
    var missing = assertThrows(DlnRuntimeException.class,
        () -> TrainingSession.of(m).fit(List.of(x), List.of(oneHot(4, 2)), new FitOptions().classWeight(Map.of(5, 1.0))));
    assertTrue(missing.getMessage().contains("no weight for class"), missing.getMessage());
  }
}

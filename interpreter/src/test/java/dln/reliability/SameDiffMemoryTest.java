package dln.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.runtime.nn.Model;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.session.TrainingSession;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SameDiff engine (the reference, and the path on the CUDA backend) keeps the process's
 * resident size flat over long training (issue 15, point 5): 30 epochs of an LSTM and of a CNN with
 * BatchNormalization, the engine forced to SameDiff, resident size (VmRSS) read after each epoch.
 * Measured on the 2-core machine: the last five epochs' median is within ≈ 1 MiB of epochs 2–6's (the
 * CNN climbs ≈ 2 MiB an epoch until the engine trims the allocator at step 256, then drops back);
 * the growth this guards against was ≈ 1–2.5 MiB per epoch, ≥ 25 MiB over a run, so the bound is 16.
 */
class SameDiffMemoryTest {
  private static final int EPOCHS = 30;
  private static final int WARM_UP = 5;
  private static final double BOUND_MIB = 16;
  /**
   * Between two trims (every 256 steps) the allocator keeps what it was handed back (up to ≈ 40 MiB
   * measured for the CNN); a bound on the peak, so that a growth the trim does not undo still fails.
   */
  private static final double CYCLE_MIB = 80;

  @Test
  void lstmResidentSizeStaysFlat() throws Exception {
    assertFlat("LSTM", "x = randn(256, 8, 4)\ny = (x[:, :, 0].sum(axis=1, keepdims=true) > 0) * 1.0\n"
        + "model = Sequential([Input((8, 4)), LSTM(8), Dense(1, activation='sigmoid')])\n"
        + "model.compile(loss='binary_crossentropy', optimizer=Adam(), metrics=['accuracy'])");
  }

  @Test
  void batchNormCnnResidentSizeStaysFlat() throws Exception {
    assertFlat("BN CNN", "x = randn(256, 12, 12, 1)\ny = to_categorical((x.sum(axis=(1, 2, 3)) > 0) * 1, 2)\n"
        + "i = Input((12, 12, 1))\nc = Conv2D(8, 3, padding='same')(i)\n"
        + "b = Activation('relu')(BatchNormalization(momentum=0.9)(c))\n"
        + "o = Dense(2, activation='softmax')(Flatten()(MaxPooling2D()(b)))\nmodel = Model(i, o)\n"
        + "model.compile(loss='categorical_crossentropy', optimizer=Adam(), metrics=['accuracy'])");
  }

  /** Trains one epoch per fit (16 steps of 16) on SameDiff and bounds the growth after warm-up. */
  private static void assertFlat(String what, String setup) throws Exception {
    Dln d = Dln.builder().out(new StringWriter()).err(new StringWriter()).seed(3).build();
    d.eval(setup);
    TrainingSession.of(d.get("model", Model.class)).setEngineFactory(SameDiffEngine::new);
    List<Double> rss = new ArrayList<>();
    for (int e = 0; e < EPOCHS; e++) {
      d.eval("model.fit(x, y, batch_size=16, epochs=1, verbose=0)");
      rss.add(settledResidentMiB());
    }
    double base = median(rss.subList(1, WARM_UP + 1));
    double end = median(rss.subList(EPOCHS - WARM_UP, EPOCHS));
    double peak = rss.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    String figures = " (MiB after each epoch: " + rss + ")";
    assertTrue(end - base < BOUND_MIB, what + ": resident size grew " + String.format("%.1f", end - base)
        + " MiB from epochs 2-6 to the last five" + figures);
    assertTrue(peak - base < CYCLE_MIB, what + ": resident size peaked " + String.format("%.1f", peak - base)
        + " MiB above epochs 2-6" + figures);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /**
   * VmRSS after the garbage is gone: ND4J frees a tensor's buffer on its deallocator thread after
   * the Java object is collected, so read only once that thread has had time.
   */
  private static double settledResidentMiB() throws IOException, InterruptedException {
    System.gc();
    Thread.sleep(100);
    System.gc();
    Thread.sleep(100);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}

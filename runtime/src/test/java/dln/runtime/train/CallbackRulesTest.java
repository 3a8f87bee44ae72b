package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.Input;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.Dense;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each Keras callback rule, one test each, stated as Keras 3 has it (keras/src/callbacks/
 * early_stopping.py, reduce_lr_on_plateau.py, model_checkpoint.py). The callbacks are driven the way
 * fit drives them (onTrainBegin, onEpochEnd per epoch until stopped, onTrainEnd) with a chosen
 * series of monitored values, so each rule is checked exactly, without training noise.
 */
class CallbackRulesTest {
  /** What one simulated fit did: epochs run, the epoch whose weights the model holds at the end. */
  record Run(int epochs, int weightsOfEpoch, List<Double> lr) {}

  /**
   * Runs {@code callback} over the monitored {@code values} (one per epoch, logged as "loss") the
   * way Trainer does. Before each epoch's end the model's weights are set to the epoch number, so
   * the weights left at the end say which epoch they came from.
   */
  static Run drive(Callback callback, double... values) {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(1)));
    SGD sgd = new SGD(0.1, 0, false);
    StopSignal stop = new StopSignal();
    TrainingContext ctx = new TrainingContext(m, sgd, new History(), values.length, stop);
    callback.onTrainBegin(ctx);
    int epochs = 0;
    List<Double> lr = new ArrayList<>();
    for (int epoch = 0; epoch < values.length && !stop.isSet(); epoch++) {
      for (Weight w : m.weightList()) w.set(w.value().dup().assign(epoch));
      Map<String, Double> logs = new HashMap<>(Map.of("loss", values[epoch], "accuracy", 1 - values[epoch]));
      callback.onEpochEnd(epoch, logs, ctx);
      lr.add(sgd.learningRate());
      epochs++;
    }
    callback.onTrainEnd(ctx);
    return new Run(epochs, (int) m.weightList().get(0).value().getDouble(0), lr);
  }

  static EarlyStopping early(double minDelta, int patience, String mode, Double baseline, boolean restore, int startFrom) {
    return new EarlyStopping("loss", minDelta, patience, mode, baseline, restore, startFrom);
  }

  // ---------------------------------------------------------------------------------- EarlyStopping

  @Test
  void patienceCountsEachEpochWithoutImprovementAtOnce() {
    // Keras: wait += 1 every epoch, reset on improvement; stop when wait >= patience.
    assertEquals(3, drive(early(0, 1, "auto", null, false, 0), 1.0, 0.9, 0.95, 0.8, 0.7).epochs(), "stops at the first epoch that does not improve");
    assertEquals(5, drive(early(0, 2, "auto", null, false, 0), 1.0, 0.9, 0.95, 0.8, 0.85).epochs(), "one bad epoch is within patience 2");
    assertEquals(2, drive(early(0, 0, "auto", null, false, 0), 1.0, 1.0, 0.5).epochs(), "patience 0: the first non-improving epoch stops");
  }

  @Test
  void neverStopsAfterTheFirstEpoch() {
    // Keras: "if self.wait >= self.patience and epoch > 0". An infinite first loss is no improvement
    // (the best starts at +inf), yet patience 0 does not stop at epoch 0.
    assertEquals(3, drive(early(0, 0, "auto", null, false, 0), Double.POSITIVE_INFINITY, 2.0, 3.0).epochs());
  }

  @Test
  void minDeltaIsTheSmallestChangeThatCounts() {
    // An absolute change of less than min_delta counts as no improvement.
    assertEquals(3, drive(early(0.1, 1, "auto", null, false, 0), 1.0, 0.85, 0.8, 0.5).epochs(), "0.85 -> 0.8 is under min_delta");
    assertEquals(4, drive(early(0.1, 1, "auto", null, false, 0), 1.0, 0.85, 0.7, 0.5).epochs(), "0.85 -> 0.7 is over it");
    assertEquals(3, drive(early(-0.1, 1, "auto", null, false, 0), 1.0, 0.85, 0.8, 0.5).epochs(), "its sign is ignored (abs)");
  }

  @Test
  void modeSetsTheDirection() {
    // "min" stops when the value stops decreasing, "max" when it stops increasing, "auto" maximises accuracies.
    assertEquals(2, drive(early(0, 1, "max", null, false, 0), 1.0, 0.9, 0.8).epochs(), "max: a fall is no improvement");
    assertEquals(3, drive(early(0, 1, "min", null, false, 0), 1.0, 0.9, 0.95).epochs());
    EarlyStopping acc = new EarlyStopping("accuracy", 0, 1, "auto", null, false, 0);
    assertEquals(3, drive(acc, 1.0, 0.9, 0.95).epochs(), "auto on accuracy (1 - loss here) maximises it");
  }

  @Test
  void baselineMustBeBeatenToResetPatience() {
    // Improving on the best but not on the baseline does not reset wait: with patience 2 and a
    // baseline of 0.5 never reached, fit stops after patience epochs. (An epoch that improves on the
    // best never stops fit itself, as in Keras, which returns before the patience check.)
    assertEquals(2, drive(early(0, 2, "auto", 0.5, false, 0), 1.0, 1.1, 1.2, 0.4).epochs());
    assertEquals(3, drive(early(0, 2, "auto", 0.5, false, 0), 1.0, 0.9, 0.95, 0.4).epochs());
    // An improvement that beats the baseline resets it as usual.
    assertEquals(5, drive(early(0, 2, "auto", 0.5, false, 0), 0.4, 0.45, 0.3, 0.35, 0.36, 0.2).epochs());
  }

  @Test
  void startFromEpochIsAWarmUpThatIsNotMonitored() {
    // Epochs before start_from_epoch neither improve nor count: the rising start is ignored.
    assertEquals(5, drive(early(0, 1, "auto", null, false, 2), 0.1, 0.2, 1.0, 0.9, 0.95, 0.5).epochs(), "stops at epoch 4");
    assertEquals(2, drive(early(0, 1, "auto", null, false, 0), 0.1, 0.2, 1.0, 0.9, 0.95, 0.5).epochs(), "without it, epoch 2 stops");
  }

  @Test
  void restoreBestWeightsAtTheEndEvenWithoutStopping() {
    // Keras 3 restores in on_train_end whenever it has best weights, not only after stopping early.
    assertEquals(1, drive(early(0, 1, "auto", null, true, 0), 1.0, 0.5, 0.7, 0.2).weightsOfEpoch(), "stopped at epoch 2: epoch 1's weights");
    Run ran = drive(early(0, 10, "auto", null, true, 0), 1.0, 0.3, 0.7, 0.6);
    assertEquals(4, ran.epochs(), "patience 10 never stops");
    assertEquals(1, ran.weightsOfEpoch(), "yet the best epoch's weights are put back");
    assertEquals(3, drive(early(0, 1, "auto", null, false, 0), 1.0, 0.9, 0.8, 0.7).weightsOfEpoch(), "off: the last epoch's weights stay");
  }

  @Test
  void restoreBestWeightsIgnoresTheBaseline() {
    // "An epoch will be restored regardless of the performance relative to the baseline."
    assertEquals(1, drive(early(0, 3, "auto", 0.1, true, 0), 1.0, 0.5, 0.7, 0.6).weightsOfEpoch());
  }

  // ---------------------------------------------------------------------------- ReduceLROnPlateau

  @Test
  void plateauReducesWhenWaitReachesPatience() {
    // Keras: wait += 1 on a non-improving epoch, reduce when wait >= patience.
    List<Double> lr = drive(new ReduceLROnPlateau("loss", 0.5, 2, 0, 0, 0, "auto"), 1.0, 1.0, 1.0, 1.0, 1.0).lr();
    assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025), rounded(lr));
  }

  @Test
  void plateauCooldownEpochsDoNotCount() {
    // After a reduction, cooldown epochs reset wait and do not count. Keras decreases the cooldown
    // counter before judging the epoch, so with patience 1 and cooldown 2 a flat loss reduces at
    // epochs 1, 3, 5, 7 (one idle epoch between), and with cooldown 0 at every epoch.
    List<Double> lr = drive(new ReduceLROnPlateau("loss", 0.5, 1, 0, 2, 0, "auto"), 1, 1, 1, 1, 1, 1, 1, 1).lr();
    assertEquals(List.of(0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625), rounded(lr));
    List<Double> none = drive(new ReduceLROnPlateau("loss", 0.5, 1, 0, 0, 0, "auto"), 1, 1, 1).lr();
    assertEquals(List.of(0.1, 0.05, 0.025), rounded(none));
  }

  @Test
  void plateauNeverGoesBelowMinLr() {
    List<Double> lr = drive(new ReduceLROnPlateau("loss", 0.1, 0, 0, 0, 0.004, "auto"), 1, 1, 1, 1).lr();
    assertEquals(List.of(0.1, 0.01, 0.004, 0.004), rounded(lr), "factor 0.1, floored at min_lr");
  }

  @Test
  void plateauMinDeltaAndModeDecideWhatImproves() {
    // Improving by less than min_delta is a plateau; mode max watches a rising quantity.
    assertEquals(List.of(0.1, 0.05), rounded(drive(new ReduceLROnPlateau("loss", 0.5, 0, 0.1, 0, 0, "auto"), 1.0, 0.95).lr()));
    assertEquals(List.of(0.1, 0.1), rounded(drive(new ReduceLROnPlateau("loss", 0.5, 0, 0.1, 0, 0, "auto"), 1.0, 0.8).lr()));
    assertEquals(List.of(0.1, 0.05), rounded(drive(new ReduceLROnPlateau("loss", 0.5, 0, 0, 0, 0, "max"), 1.0, 0.8).lr()));
  }

  // ------------------------------------------------------------------------------ ModelCheckpoint

  @Test
  void checkpointSavesEveryEpochOrOnlyImprovingOnes() {
    List<String> all = new ArrayList<>();
    drive(new ModelCheckpoint("m-{epoch:02d}.dlnm", "loss", false, "auto", (m, p) -> all.add(p)), 1.0, 1.2, 0.8);
    assertEquals(List.of("m-01.dlnm", "m-02.dlnm", "m-03.dlnm"), all, "{epoch:02d} counts from 1, zero-padded");
    List<String> best = new ArrayList<>();
    drive(new ModelCheckpoint("b-{epoch:02d}-{loss:.2f}.dlnm", "loss", true, "auto", (m, p) -> best.add(p)), 1.0, 1.2, 0.8, 0.8);
    assertEquals(List.of("b-01-1.00.dlnm", "b-03-0.80.dlnm"), best, "save_best_only: only strict improvements");
    List<String> max = new ArrayList<>();
    drive(new ModelCheckpoint("a.dlnm", "accuracy", true, "auto", (m, p) -> max.add(p)), 1.0, 0.5, 0.7);
    assertEquals(2, max.size(), "auto mode maximises accuracy");
  }

  @Test
  void callbacksAreReusable() {
    // on_train_begin resets the state, so a second fit starts afresh.
    EarlyStopping es = early(0, 1, "auto", null, false, 0);
    assertEquals(2, drive(es, 0.1, 0.2, 0.05).epochs());
    assertEquals(3, drive(es, 1.0, 0.9, 0.95).epochs(), "the best of the first fit (0.1) is forgotten");
    assertFalse(es.stoppedEpoch() < 0);
    assertTrue(es.bestEpoch() >= 0);
  }

  private static List<Double> rounded(List<Double> xs) {
    List<Double> out = new ArrayList<>();
    for (double x : xs) out.add(Math.round(x * 1e6) / 1e6);
    return out;
  }
}

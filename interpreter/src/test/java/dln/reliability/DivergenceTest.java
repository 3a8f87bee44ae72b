package dln.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A diverging fit stops with the epoch and batch named and the model still usable (issue 8). */
class DivergenceTest {
  @Test
  void divergingFitKeepsTheLastGoodWeights() {
    Dln d = Dln.builder().out(new StringWriter()).err(new StringWriter()).seed(1).build();
    d.eval("x = randn(64, 4) * 100\ny = x @ tensor([[1.0], [2.0], [3.0], [4.0]])\n"
        + "model = Sequential([Input(4), Dense(8, activation='relu'), Dense(1)])\n"
        + "model.compile(optimizer=SGD(lr=10.0), loss='mse')");
    DlnException e = assertThrows(DlnException.class, () -> d.eval("model.fit(x, y, epochs=5, batch_size=16, verbose=0)"));
    assertEquals("training error", e.kind());
    assertTrue(e.getMessage().startsWith("training diverged: "), e.getMessage());
    assertTrue(e.getMessage().matches(".* at epoch \\d+, batch \\d+; .*"), e.getMessage());
    assertWeightsFinite(d);
    assertEquals(64L, d.eval("model.predict(x).shape[0]"), "predict still works");
  }

  @Test
  void largeModelsAreCheckedEveryFewBatchesAndStillKeepFiniteWeights() {
    // 131,585 weights: checked and copied every 8th batch, the loss after every batch.
    Dln d = Dln.builder().out(new StringWriter()).err(new StringWriter()).seed(2).build();
    d.eval("x = randn(256, 256) * 100\ny = x[:, 0:1] * 3\n"
        + "model = Sequential([Input(256), Dense(512, activation='relu'), Dense(1)])\n"
        + "model.compile(optimizer=SGD(lr=10.0), loss='mse')");
    DlnException e = assertThrows(DlnException.class, () -> d.eval("model.fit(x, y, epochs=5, batch_size=16, verbose=0)"));
    assertTrue(e.getMessage().matches("training diverged: .* at epoch \\d+, batch \\d+; the (weights after epoch \\d+(, batch \\d+)? "
        + "\\(the last good check\\) were kept|weights from before this fit were put back)"), e.getMessage());
    assertWeightsFinite(d);
  }

  private static void assertWeightsFinite(Dln d) {
    dln.runtime.nn.Model model = d.get("model", dln.runtime.nn.Model.class);
    for (dln.runtime.nn.Weight w : model.weightList()) {
      double sum = w.value().sumNumber().doubleValue();
      assertTrue(Double.isFinite(sum), "weight " + w.fullName() + " is finite after the divergence: " + sum);
    }
  }
}

package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dln.Dln;
import dln.interp.sandbox.Sandbox;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DLN's LSTM against an independent reference: PyTorch 1.13's LSTM with fixed weights
 * (src/test/resources/reference/make_lstm_fixture.py writes the fixture), run through DLN code as a
 * user would write it: build the layer, set_weights, call it on a tensor.
 */
class LstmReferenceTest {
  @Test
  void lstmMatchesPyTorchOnFixedWeights() throws Exception {
    JsonNode f = new ObjectMapper().readTree(Path.of("src/test/resources/reference/lstm_torch.json").toFile());
    Dln dln = Dln.builder().sandbox(Sandbox.unrestricted()).build();
    // The JSON arrays are valid DLN list literals.
    dln.eval("""
        lstm = LSTM(3, return_sequences=true, input_shape=(4, 2))
        lstm.set_weights([tensor(%s), tensor(%s), tensor(%s)])
        y = lstm(tensor(%s))
        """.formatted(f.get("kernel"), f.get("recurrent_kernel"), f.get("bias"), f.get("input")));
    INDArray y = dln.get("y", INDArray.class);
    float[] expected = flatten(f.get("output"));
    float[] actual = y.dup().data().asFloat();
    assertArrayEquals(new long[] {2, 4, 3}, y.shape());
    float worst = 0;
    for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    assertTrue(worst < 1e-5, "max abs difference from PyTorch " + worst);
  }

  private static float[] flatten(JsonNode n) {
    java.util.List<Float> out = new java.util.ArrayList<>();
    collect(n, out);
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) a[i] = out.get(i);
    return a;
  }

  private static void collect(JsonNode n, java.util.List<Float> out) {
    if (n.isArray()) for (JsonNode c : n) collect(c, out);
    else out.add((float) n.asDouble());
  }
}

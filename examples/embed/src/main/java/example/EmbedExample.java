package example;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Java application using DLN as a library: it hands data to a script, runs a small tensor
 * computation written in DLN, calls a DLN function, exposes one of its own functions to the
 * script, and reads the results back as plain Java arrays.
 */
public final class EmbedExample {
  private EmbedExample() {}

  public static void main(String[] args) throws Exception {
    PrintWriter out = new PrintWriter(System.out, true);
    Dln dln = Dln.builder()
        .out(out)                                   // the script's print() goes here
        .sandbox(Sandbox.allowRead(Path.of(".")))   // default would be: no file access at all
        .timeout(Duration.ofSeconds(10))            // no script may run longer
        .seed(42)
        .build();

    // Java data in: arrays become float32 tensors, numbers and strings stay what they are.
    dln.set("pixels", new float[] {0, 64, 128, 255});
    dln.set("weights", new double[] {0.5, 0.25, 0.125, 1});
    dln.set("bias", 0.1);

    // Java code the script may call: the host decides what scripts can reach.
    dln.register("log", args2 -> {
      out.println("[host] " + Arrays.toString(args2));
      return null;
    });

    dln.eval("""
        def score(x, w, b):
            return x * w + b

        scaled = pixels / 255
        scores = score(scaled, weights, bias)
        log('computed', len(scores), 'scores')
        print('scores:', scores)
        """, "example.dln");

    // Results out as plain Java.
    float[] scores = dln.get("scores", float[].class);
    System.out.println("scores from Java: " + Arrays.toString(scores));

    // Calling a DLN function directly, with Java arguments.
    INDArray again = (INDArray) dln.call("score", new float[] {1, 1}, new float[] {2, 3}, 1);
    System.out.println("score([1, 1], [2, 3], 1) = " + Arrays.toString(again.toFloatVector()));

    // Lists and dicts convert both ways.
    Object summary = dln.eval("{'n': len(scores), 'names': ['a', 'b']}");
    System.out.println("summary: " + summary);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) summary;
    List<?> names = (List<?>) map.get("names");
    System.out.println("first name: " + names.get(0));

    // Mistakes in the script arrive as one exception type, with the position.
    try {
      dln.eval("total = scores + 'oops'", "broken.dln");
    } catch (DlnException e) {
      System.out.println("caught: " + e.kind() + " at line " + e.pos().line());
    }

    // The same interpreter through the standard javax.script API.
    ScriptEngine engine = new ScriptEngineManager().getEngineByName("dln");
    engine.put("n", 5);
    System.out.println("javax.script says: " + engine.eval("n * (n + 1) / 2"));
  }
}

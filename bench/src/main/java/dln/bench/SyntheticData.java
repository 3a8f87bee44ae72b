package dln.bench;

import dln.runtime.tensor.NpyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes the generated data of the DLN peer ({@link Synthetic}, the same calls DlnMain makes) as
 * NumPy .npy files, so that bench/py/torch_graphs.py --data trains and tests on the very same arrays:
 * {@code OUT/NET/{x_train,y_train,x_test,y_test}.npy}, x as DLN reads it (float32; images
 * channels-last, tokens as float indices), y the class index or the binary label (int32).
 * Arguments as the graph peers take them: {@code --out DIR --nets resnet,... --NET-samples N --NET-infer M}.
 */
public final class SyntheticData {
  private SyntheticData() {}

  public static void main(String[] args) throws Exception {
    Plan plan = Plan.parse(args);
    Path out = Path.of(plan.option("out", "bench/target/synthetic"));
    for (String net : plan.nets) {
      if (!Synthetic.NETS.contains(net)) continue; // MNIST workloads read their own files
      Path dir = Files.createDirectories(out.resolve(net));
      write(dir, "train", Synthetic.of(net, plan.samples(net), Synthetic.TRAIN_SEED));
      write(dir, "test", Synthetic.of(net, plan.inferSamples(net), Synthetic.TEST_SEED));
      System.out.println("INFO " + net + ": " + dir);
    }
  }

  private static void write(Path dir, String part, Synthetic data) {
    NpyFiles.save(dir.resolve("x_" + part + ".npy"), data.x);
    NpyFiles.save(dir.resolve("y_" + part + ".npy"), Nd4j.createFromArray(data.labels));
  }
}

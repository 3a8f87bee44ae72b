package dln.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dln.Dln;
import dln.interp.sandbox.Sandbox;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process with {@code ModelCheckpoint} killed like {@code kill -9} in the middle of an
 * epoch leaves a checkpoint that loads (never a torn file: checkpoints are written to a temporary
 * file and moved into place) and from which training resumes (issue 8).
 */
class CheckpointKillTest {
  @Test
  void killedTrainingLeavesALoadableCheckpointThatResumes(@TempDir Path dir) throws Exception {
    Path ckpt = dir.resolve("ckpt.dlnm");
    Path script = dir.resolve("train.dln");
    // Epochs of a few hundred milliseconds, so the kill lands mid-epoch; each epoch is announced
    // after its checkpoint (callbacks run in order).
    Files.writeString(script, "seed(3)\n"
        + "x = randn(8000, 64)\n"
        + "y = to_categorical(argmax(x[:, :5], axis=1), 5)\n"
        + "model = Sequential([Input(64), Dense(256, activation='relu'), Dense(256, activation='relu'), Dense(5, activation='softmax')])\n"
        + "model.compile(optimizer=Adam(), loss='categorical_crossentropy')\n"
        + "model.fit(x, y, epochs=1000, batch_size=32, verbose=0, callbacks=[ModelCheckpoint(" + quote(ckpt) + "),"
        + " LambdaCallback(lambda e, logs: print('epoch', e + 1, logs['loss']))])\n");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", classpath, "dln.cli.Main", script.toString())
        .redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.add(line);
      } catch (java.io.IOException ignored) {
        // the child was killed: its pipe closes
      }
    });
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
      while (lines.stream().noneMatch(l -> l.startsWith("epoch 2 "))) {
        if (!child.isAlive()) fail("training ended early: " + lines);
        if (System.nanoTime() > deadline) fail("no second epoch within 25 s: " + lines);
        Thread.sleep(20);
      }
      // Mid-epoch 3, possibly while a checkpoint is being written.
      Thread.sleep(150);
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
      reader.join(5000);
    }
    assertTrue(Files.exists(ckpt), "checkpoint exists: " + lines);

    Dln d = Dln.builder().out(new StringWriter()).err(new StringWriter()).seed(5).sandbox(Sandbox.allowRead(dir)).build();
    d.eval("model = load_model(" + quote(ckpt) + ")\n"
        + "x = randn(256, 64)\ny = to_categorical(argmax(x[:, :5], axis=1), 5)");
    assertEquals(5L, d.eval("model.predict(x, verbose=0).shape[1]"), "the loaded model predicts");
    d.eval("h = model.fit(x, y, epochs=2, batch_size=32, verbose=0)");
    double loss = ((Number) d.eval("h.history['loss'][-1]")).doubleValue();
    assertTrue(Double.isFinite(loss), "resumed training gives a finite loss: " + loss);
    // The checkpoint holds a trained model, not the initial one: its loss is well below ln(5) = 1.61.
    double checkpointLoss = ((Number) d.eval("load_model(" + quote(ckpt) + ").evaluate(x, y, verbose=0)")).doubleValue();
    assertTrue(checkpointLoss < 1.5, "checkpoint holds trained weights: loss " + checkpointLoss + ", output " + lines);
  }

  private static String quote(Path p) {
    return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.runtime.io.CraftedFiles;
import dln.interp.sandbox.Sandbox;
import dln.runtime.nn.LayerNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Model files, JSON architectures, freezing and ONNX import from DLN source, inside a sandbox. */
class ModelIoLibTest {
  @TempDir Path dir;

  @BeforeEach
  void names() {
    LayerNames.reset();
  }

  private ScriptRun run(String code) {
    return run(code, Sandbox.allowWrite(dir));
  }

  /** Runs code with {@code d} bound to the test's folder. */
  private ScriptRun run(String code, Sandbox sandbox) {
    return ScriptRun.of("d = '" + dir.toString().replace("\\", "/") + "'\n" + code, Dln.builder().sandbox(sandbox).seed(7));
  }

  private static final String TRAIN = """
      x = randn(40, 5)
      y = one_hot(argmax(x[:, 0:3], axis=1), 3)
      model = Sequential([Input(5), Dense(8, relu), Dense(3, softmax)])
      model.compile(optimizer=Adam(lr=0.01), loss='categorical_crossentropy', metrics=['accuracy'])
      model.fit(x, y, epochs=2, batch_size=8, shuffle=false, verbose=0)
      """;

  @Test
  void saveLoadPredictsBitIdenticallyAndContinuesTraining() {
    ScriptRun r = run(TRAIN + """
        model.save(d + '/m.dlnm')
        m2 = load_model(d + '/m.dlnm')
        p1 = model.predict(x)
        p2 = m2.predict(x)
        model.fit(x, y, epochs=1, batch_size=8, shuffle=false, verbose=0)
        m2.fit(x, y, epochs=1, batch_size=8, shuffle=false, verbose=0)
        q1 = model.predict(x)
        q2 = m2.predict(x)
        print(len(m2.history.history['loss']))
        """);
    assertFalse(r.output().contains("error"), r.output());
    assertSame((INDArray) r.dln().get("p1"), (INDArray) r.dln().get("p2"));
    assertSame((INDArray) r.dln().get("q1"), (INDArray) r.dln().get("q2"));
  }

  private static void assertSame(INDArray a, INDArray b) {
    assertArrayEquals(a.dup('c').data().asFloat(), b.dup('c').data().asFloat(), 0f);
  }

  @Test
  void jsonAndWeights() {
    ScriptRun r = run(TRAIN + """
        text = model.to_json()
        twin = model_from_json(text)
        twin.save_weights(d + '/w.dlnw')
        model.save_weights(d + '/w.dlnw')
        twin.load_weights(d + '/w.dlnw')
        p1 = model.predict(x)
        p2 = twin.predict(x)
        print(type(text).__name__)
        """);
    assertTrue(r.output().contains("str"), r.output());
    assertSame((INDArray) r.dln().get("p1"), (INDArray) r.dln().get("p2"));
  }

  @Test
  void freezeNewHeadAndFineTune() {
    ScriptRun r = run(TRAIN + """
        print(model.freeze(upto='dense'))
        base_w = model.get_layer('dense').get_weights()[0] + 0
        head = Model(model.input, Dense(2, softmax, name='head')(model.get_layer('dense').output))
        head.compile(optimizer='adam', loss='categorical_crossentropy')
        head.fit(x, one_hot(argmax(x[:, 0:2], axis=1), 2), epochs=2, batch_size=8, verbose=0)
        after = model.get_layer('dense').get_weights()[0]
        head.summary()
        model.unfreeze()
        print(model.get_layer('dense').trainable)
        """);
    assertFalse(r.output().contains("error"), r.output());
    assertTrue(r.output().contains("Trainable params: 18"), r.output());
    assertTrue(r.output().contains("Non-trainable params: 48"), r.output());
    assertTrue(r.output().trim().endsWith("true"), r.output());
    assertSame((INDArray) r.dln().get("base_w"), (INDArray) r.dln().get("after"));
  }

  // ---------------------------------------------------------------- bad files, pinned messages

  private String loadError(Path p) {
    return run("m = load_model('" + p.toString().replace("\\", "/") + "')").output();
  }

  @Test
  void badModelFilesGiveClearErrors() throws Exception {
    run(TRAIN + "model.save(d + '/good.dlnm')");
    Path good = dir.resolve("good.dlnm");
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.dlnm");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
    assertTrue(loadError(truncated).contains("is truncated or damaged: its zip structure cannot be read"), loadError(truncated));

    Path flipped = dir.resolve("flipped.dlnm");
    byte[] f = bytes.clone();
    int at = CraftedFiles.indexOf(f, "DLNT".getBytes()) + 100;
    f[at] ^= 1;
    Files.write(flipped, f);
    assertTrue(loadError(flipped).contains("is corrupted: the SHA-256 checksum of weights.bin does not match"), loadError(flipped));

    Path text = dir.resolve("text.dlnm");
    Files.writeString(text, "not a model");
    assertTrue(loadError(text).contains("is not a DLN model file: it is not a zip archive"), loadError(text));

    Path newer = dir.resolve("newer.dlnm");
    rewriteChecksums(good, newer);
    assertTrue(loadError(newer).contains("was written by a newer DLN (model format version 99; this DLN reads versions up to 1)"),
        loadError(newer));

    Path traversal = dir.resolve("traversal.dlnm");
    CraftedFiles.writeZip(traversal, Map.of("../../x", "x".getBytes()));
    assertTrue(loadError(traversal).contains("entry name '../../x' is an unsafe path (path traversal)"), loadError(traversal));

    Path bomb = dir.resolve("bomb.dlnm");
    CraftedFiles.writeZip(bomb, Map.of("weights.bin", new byte[64 << 20]));
    assertTrue(loadError(bomb).contains("a possible zip bomb"), loadError(bomb));
  }

  @Test
  void sandboxGuardsEveryFileAccess() {
    ScriptRun r = run(TRAIN + "model.save('/etc/evil.dlnm')");
    assertTrue(r.output().contains("sandbox"), r.output());
    r = run("m = load_model('/etc/passwd')");
    assertTrue(r.output().contains("sandbox"), r.output());
    r = run("m = import_onnx('/etc/x.onnx')");
    assertTrue(r.output().contains("sandbox"), r.output());
  }

  @Test
  void importOnnxThroughTheLanguage() {
    Path onnx = dln.runtime.SharedData.require("onnx/tiny_cnn.onnx").getParent().toAbsolutePath().normalize();
    ScriptRun r = run("""
        m = import_onnx('%s')
        print(m.freeze())
        m.summary()
        """.formatted(onnx.resolve("tiny_cnn.onnx").toString().replace("\\", "/")), Sandbox.allowRead(onnx).allowWrite(dir));
    assertTrue(r.output().contains("Total params: 26,730"), r.output());
    assertTrue(r.output().contains("Non-trainable params: 26,730"), r.output());
  }

  private static void rewriteChecksums(Path from, Path to) throws Exception {
    try (var z = new java.util.zip.ZipFile(from.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        byte[] b = z.getInputStream(e).readAllBytes();
        if (e.getName().equals("checksums.json")) b = new String(b).replace("\"format_version\" : 1", "\"format_version\" : 99").getBytes();
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(b);
        out.closeEntry();
      }
    }
  }
}

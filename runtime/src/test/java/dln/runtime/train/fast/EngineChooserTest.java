package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.Input;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.session.TrainingSession;
import dln.runtime.train.fast.EngineChooser.Backend;
import dln.runtime.train.fast.EngineChooser.Choice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine decision with the backend as an input (issue 15, point 7): no GPU needed. */
class EngineChooserTest {
  private static Model mlp() {
    Model m = new Sequential(List.of(Input.of(4), new Dense(8, "relu"), new Dense(2, "softmax")));
    TrainingSession.of(m).compile("adam", "categorical_crossentropy");
    return m;
  }

  @Test
  void theCpuBackendRunsTheFastEngine() {
    Model m = mlp();
    Choice c = EngineChooser.choose(Backend.CPU, null, m, TrainingSession.of(m).compileConfig());
    assertInstanceOf(FastEngine.class, c.engine());
    assertEquals("fast", c.name());
    assertTrue(c.reason().contains("CPU"), c.reason());
  }

  @Test
  void theCudaBackendRunsSameDiffForEveryModel() {
    Model m = mlp();
    for (String requested : new String[] {null, "fast"}) {
      Choice c = EngineChooser.choose(Backend.CUDA, requested, m, TrainingSession.of(m).compileConfig());
      assertInstanceOf(SameDiffEngine.class, c.engine());
      assertEquals("samediff", c.name());
      assertTrue(c.reason().contains("CUDA backend"), c.reason());
    }
    assertInstanceOf(SameDiffEngine.class,
        EngineChooser.choose(Backend.OTHER, null, m, TrainingSession.of(m).compileConfig()).engine());
  }

  @Test
  void theSystemPropertyForcesSameDiffOnAnyBackend() {
    Model m = mlp();
    for (Backend b : Backend.values()) {
      Choice c = EngineChooser.choose(b, "samediff", m, TrainingSession.of(m).compileConfig());
      assertInstanceOf(SameDiffEngine.class, c.engine());
      assertTrue(c.reason().contains("dln.engine=samediff"), c.reason());
    }
  }

  @Test
  void aModelTheFastEngineDoesNotCoverFallsBackWithTheReason() {
    // A custom layer, whose forward pass only SameDiff runs.
    Model m = new Sequential(List.of(Input.of(4), DoublingLayer.create()));
    TrainingSession.of(m).compile("adam", "mse");
    Choice c = EngineChooser.choose(Backend.CPU, null, m, TrainingSession.of(m).compileConfig());
    assertInstanceOf(SameDiffEngine.class, c.engine());
    assertEquals("the fast engine does not cover "
        + FastEngine.unsupportedReason(m, TrainingSession.of(m).compileConfig()), c.reason());
  }

  @Test
  void backendKindsFromTheBackendClass() {
    assertEquals(Backend.CUDA, Backend.of("org.nd4j.linalg.jcublas.JCublasBackend", false));
    assertEquals(Backend.CPU, Backend.of("org.nd4j.linalg.cpu.nativecpu.CpuBackend", true));
    assertEquals(Backend.OTHER, Backend.of("org.example.SomeAccelerator", false));
    assertEquals(Backend.CPU, Backend.current());
  }

  @Test
  void theSessionSaysWhichEngineRunsAndWhy() {
    Model m = mlp();
    assertTrue(TrainingSession.of(m).engineReason().startsWith("fast: the CPU backend"), TrainingSession.of(m).engineReason());
    TrainingSession.of(m).setEngineFactory(SameDiffEngine::new);
    assertEquals("samediff: set by setEngineFactory", TrainingSession.of(m).engineReason());
  }
}

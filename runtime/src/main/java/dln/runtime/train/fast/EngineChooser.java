package dln.runtime.train.fast;

import dln.runtime.nn.Model;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.PerShapeEngine;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decides which engine trains a model, and says why: the one place that looks at the ND4J backend.
 *
 * <ul>
 *   <li>{@code -Ddln.engine=samediff}: {@link SameDiffEngine}, everywhere.
 *   <li>CPU backend: {@link FastEngine} for every model it compiles (the aim: all of them), else
 *       {@link SameDiffEngine} with {@link FastEngine#unsupportedReason}.
 *   <li>CUDA (or any other non-CPU) backend: {@link SameDiffEngine}. The fast engine's loss heads,
 *       masks and several layer steps are host loops that read and write an array's host memory
 *       through its pointer; on CUDA that is a mirror of the device buffer, not kept in step by
 *       such writes, so the results would be wrong, not just slow. SameDiff runs every layer as
 *       libnd4j ops, which the CUDA backend implements on the GPU.
 *   <li>A model with an input axis of unknown size (None): the same choice, made for each concrete
 *       input shape of the data ({@link PerShapeEngine} on the CPU; SameDiff keeps a graph per shape).
 * </ul>
 */
public final class EngineChooser {
  private EngineChooser() {}

  /** The ND4J backend kinds the choice depends on. */
  public enum Backend {
    CPU,
    CUDA,
    OTHER;

    /** The backend this process loaded. */
    public static Backend current() {
      return of(Nd4j.getBackend().getClass().getName(), Nd4j.getEnvironment().isCPU());
    }

    /** From the backend's class name ({@code ...jcublas.JCublasBackend} is CUDA) and whether it runs on the CPU. */
    static Backend of(String backendClass, boolean cpu) {
      String name = backendClass.toLowerCase(Locale.ROOT);
      if (name.contains("jcublas") || name.contains("cuda")) return CUDA;
      return cpu ? CPU : OTHER;
    }
  }

  /** The engine built for a model and why it was chosen (shown as the language's {@code model.engine}). */
  public record Choice(TrainingEngine engine, String reason) {
    /** {@code "fast"} or {@code "samediff"}. */
    public String name() {
      return engine instanceof FastEngine || engine instanceof PerShapeEngine ? "fast" : "samediff";
    }
  }

  /** The choice for this process: its backend and the {@code dln.engine} system property. */
  public static Choice choose(Model model, CompileConfig config) {
    return choose(Backend.current(), System.getProperty(FastEngine.PROPERTY), model, config);
  }

  /**
   * The choice for a backend and a requested engine ({@code "samediff"} forces the reference; null
   * or {@code "fast"} choose automatically).
   */
  public static Choice choose(Backend backend, String requested, Model model, CompileConfig config) {
    if (model.hasUnknownInputAxes()) return perShape(backend, requested, model, config);
    if ("samediff".equalsIgnoreCase(requested)) {
      return new Choice(new SameDiffEngine(model, config), "forced by -D" + FastEngine.PROPERTY + "=samediff");
    }
    if (backend != Backend.CPU) {
      return new Choice(new SameDiffEngine(model, config), "the " + backend + " backend: the fast engine's host loops"
          + " run on the CPU only, so SameDiff runs every layer as ND4J ops");
    }
    try {
      return new Choice(FastEngine.compile(model, config), "the CPU backend: the fast engine runs every layer of this model");
    } catch (FastPlan.Unsupported e) {
      return new Choice(new SameDiffEngine(model, config), "the fast engine does not cover " + e.getMessage());
    }
  }

  /**
   * A model with an input axis of unknown size (None) runs on one engine per concrete input shape
   * ({@link PerShapeEngine}), chosen as above for that shape: on the CPU a fast plan, or SameDiff
   * for a shape whose plan the fast engine does not cover.
   */
  private static Choice perShape(Backend backend, String requested, Model model, CompileConfig config) {
    String perShape = " (the model has an input axis of unknown size, None: one graph per input shape)";
    if ("samediff".equalsIgnoreCase(requested)) {
      return new Choice(new SameDiffEngine(model, config), "forced by -D" + FastEngine.PROPERTY + "=samediff" + perShape);
    }
    if (backend != Backend.CPU) {
      return new Choice(new SameDiffEngine(model, config), "the " + backend + " backend: SameDiff runs every layer as ND4J ops" + perShape);
    }
    PerShapeEngine engine = new PerShapeEngine(model, shapes -> {
      try {
        return FastEngine.compile(model, config, shapes);
      } catch (FastPlan.Unsupported e) {
        return new SameDiffEngine(model, config);
      }
    });
    return new Choice(engine, "the CPU backend: a fast plan per input shape, SameDiff for a shape the fast engine does not cover" + perShape);
  }
}

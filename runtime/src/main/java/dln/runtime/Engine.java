package dln.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** Facts about the ND4J engine this process runs on, for {@code dln --info} and the REPL's {@code :info}. */
public final class Engine {
  private Engine() {}

  /** Forces the backend to load (natives, BLAS); cheap after the first call. */
  public static void warmUp() {
    Nd4j.create(1).addi(1);
  }

  /** Backend, device, BLAS vendor, threads, native build and memory, as display strings. */
  public static Map<String, String> info() {
    Map<String, String> out = new LinkedHashMap<>();
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    out.put("backend", Nd4j.getBackend().getClass().getSimpleName().replace("Backend", "")
        + (Nd4j.getBackend().getClass().getName().contains("cuda") ? " (CUDA)" : " (CPU)"));
    out.put("device", String.valueOf(env.getOrDefault("cuda.devicesInformation", System.getProperty("os.arch") + " CPU")));
    out.put("native build", nativeBuild());
    out.put("blas", String.valueOf(env.getOrDefault("blas.vendor", "?")));
    out.put("threads", env.getOrDefault("omp.threads", "?") + " (of " + Runtime.getRuntime().availableProcessors() + " cores)");
    out.put("OMP_WAIT_POLICY", String.valueOf(System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)")));
    out.put("dtype", Nd4j.dataType().toString().toLowerCase());
    Runtime rt = Runtime.getRuntime();
    out.put("heap", (rt.totalMemory() - rt.freeMemory()) / (1 << 20) + " MiB used of " + rt.maxMemory() / (1 << 20) + " MiB");
    out.put("off-heap limit", org.bytedeco.javacpp.Pointer.maxBytes() / (1 << 20) + " MiB");
    out.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    return out;
  }

  /** Which native build of libnd4j was chosen (the launcher picks oneDNN/AVX2 where the CPU has it). */
  public static String nativeBuild() {
    String ext = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
    return "nd4j-native " + org.bytedeco.javacpp.Loader.getPlatform() + (ext.isEmpty() ? " (plain)" : ext);
  }
}

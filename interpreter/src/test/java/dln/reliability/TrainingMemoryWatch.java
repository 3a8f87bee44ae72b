package dln.reliability;

import dln.Dln;
import dln.interp.sandbox.Sandbox;
import java.io.PrintWriter;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * The long-run memory check of issue 8 (not part of {@code mvn test}: {@code bench/memory.sh}).
 * Trains the Keras MNIST MLP (784-512-512-10, dropout, Adam) on a subset for many epochs in one
 * {@code fit} and prints, after each epoch, the Java heap in use after a full GC and the off-heap
 * memory JavaCPP tracks (ND4J's native buffers) plus the process's physical memory. Flat figures
 * after the first epoch mean no leak per step or per epoch.
 *
 * <p>Arguments: {@code [EPOCHS] [IMAGES] [OPTIMIZER]}, defaults 30, 6000 and {@code Adam()}.
 */
public final class TrainingMemoryWatch {
  private static final double MIB = 1024.0 * 1024.0;

  private TrainingMemoryWatch() {}

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
    String optimizer = args.length > 2 ? args[2] : "Adam()";
    PrintWriter out = new PrintWriter(System.out, true);
    Dln dln = Dln.builder().out(out).err(out).seed(1).sandbox(Sandbox.unrestricted()).build();
    dln.register("memory", "Prints heap and off-heap memory after an epoch.", a -> {
      report(out, ((Number) a[0]).intValue() + 1);
      return null;
    });
    dln.eval("(x, y), _ = mnist(flat=true, normalize=true)\n"
        + "x = x[:" + images + "]\ny = to_categorical(y[:" + images + "], 10)\n"
        + "model = Sequential([Input(784), Dense(512, activation='relu'), Dropout(0.2),"
        + " Dense(512, activation='relu'), Dropout(0.2), Dense(10, activation='softmax')])\n"
        + "model.compile(loss='categorical_crossentropy', optimizer=" + optimizer + ", metrics=['accuracy'])");
    out.println("epoch  heap_MiB  offheap_MiB  physical_MiB   (" + images + " images, batch 128, " + optimizer + ", "
        + System.getProperty("dln.engine", "fast") + " engine)");
    report(out, 0);
    long start = System.nanoTime();
    dln.eval("h = model.fit(x, y, batch_size=128, epochs=" + epochs + ", verbose=0,"
        + " callbacks=[LambdaCallback(lambda e, logs: memory(e))])");
    out.printf(Locale.ROOT, "%d epochs in %.1f s; final loss %s%n", epochs,
        (System.nanoTime() - start) / 1e9, dln.eval("h.history['loss'][-1]"));
  }

  private static void report(PrintWriter out, int epoch) {
    Runtime rt = Runtime.getRuntime();
    // Twice: the first GC queues the finalizable/cleaner-owned native buffers, the second frees them.
    System.gc();
    System.gc();
    double heap = (rt.totalMemory() - rt.freeMemory()) / MIB;
    out.printf(Locale.ROOT, "%5d  %8.1f  %11.1f  %12.1f%n", epoch, heap,
        Pointer.totalBytes() / MIB, Pointer.physicalBytes() / MIB);
  }
}

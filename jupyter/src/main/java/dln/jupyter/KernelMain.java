package dln.jupyter;

import dln.runtime.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * {@code ./dln kernel …}: runs the kernel for Jupyter ({@code run CONNECTION_FILE}, what the
 * kernelspec's argv says) and installs or removes that kernelspec. Exit codes: 0 ok, 1 failure,
 * 2 usage error.
 */
public final class KernelMain {
  private static final String USAGE = """
      usage: dln kernel install [--user | --prefix DIR] [--name NAME] [--display-name TEXT]
                                write the kernelspec so that Jupyter offers DLN (default: --user)
             dln kernel remove  [--user | --prefix DIR] [--name NAME]
                                delete that kernelspec
             dln kernel run CONNECTION_FILE
                                run the kernel (Jupyter does this, from the kernelspec's argv)
      """;

  private KernelMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    try {
      switch (args[0]) {
        case "run" -> {
          if (rest.size() != 1) return usage("run needs the connection file Jupyter passes, e.g. dln kernel run kernel-1.json");
          return serve(Path.of(rest.get(0)));
        }
        case "install", "remove" -> {
          KernelSpec.Options o = KernelSpec.Options.parse(rest);
          Path dir = args[0].equals("install") ? KernelSpec.install(o) : KernelSpec.remove(o);
          System.out.println((args[0].equals("install") ? "installed the DLN kernelspec in " : "removed the DLN kernelspec from ") + dir);
          if (args[0].equals("install")) System.out.println("start Jupyter (jupyter notebook) and pick the kernel \"" + o.displayName() + "\"");
          return 0;
        }
        default -> {
          return usage("unknown kernel command " + args[0]);
        }
      }
    } catch (KernelSpec.UsageException e) {
      return usage(e.getMessage());
    } catch (IOException | RuntimeException e) {
      System.err.println("dln kernel: " + e.getMessage());
      return 1;
    }
  }

  private static int usage(String message) {
    System.err.println("dln kernel: " + message);
    System.err.print(USAGE);
    return 2;
  }

  /** A running kernel: its connection (bound) and the kernel handling it. */
  record Running(KernelConnection connection, DlnKernel kernel) {
    void awaitShutdown() {
      connection.waitUntilClose();
    }

    void stop() {
      kernel.onShutdown(false);
      connection.close();
    }
  }

  /** Binds a kernel to the ports and key of a connection file's properties and starts serving. */
  static Running start(KernelConnectionProperties props, DlnKernel kernel) throws IOException {
    try {
      KernelConnection connection = new KernelConnection(props);
      kernel.becomeHandlerForConnection(connection);
      connection.connect();
      return new Running(connection, kernel);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("the connection file's signature scheme '" + props.getSignatureScheme() + "' is not usable: " + e.getMessage());
    }
  }

  private static int serve(Path connectionFile) throws IOException {
    // This kernel's own warnings (dropped messages) go to Jupyter's log; the libraries stay quiet.
    if (System.getProperty("org.slf4j.simpleLogger.log.dln.jupyter") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.dln.jupyter", "warn");
    }
    KernelConnectionProperties props;
    try {
      props = KernelConnectionProperties.parse(Files.readString(connectionFile, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("no connection file " + connectionFile);
    } catch (com.google.gson.JsonParseException e) {
      throw new IOException(connectionFile + " is not a Jupyter connection file: " + e.getMessage());
    }
    if (props == null || props.getTransport() == null || props.getIp() == null) {
      throw new IOException(connectionFile + " lacks transport or ip: not a Jupyter connection file");
    }
    if (!props.getTransport().equals("tcp")) {
      // jjava forms every address as transport://ip:port, which is right for tcp only (ipc uses ip-port paths).
      throw new IOException("the connection file asks for transport '" + props.getTransport() + "'; the DLN kernel speaks tcp only");
    }
    // Load ND4J while Jupyter says hello, so that the first cell does not wait for the natives.
    Thread warm = new Thread(Engine::warmUp, "dln-warmup");
    warm.setDaemon(true);
    warm.start();
    Running running = start(props, new DlnKernel());
    try {
      // interrupt_mode "signal": Jupyter sends SIGINT, which is Ctrl-C at the REPL.
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> running.kernel().interrupt());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // No signals on this platform: interrupt_request messages still work.
    }
    running.awaitShutdown();
    return 0;
  }
}

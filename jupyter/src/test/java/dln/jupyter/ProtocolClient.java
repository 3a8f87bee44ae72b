package dln.jupyter;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A minimal Jupyter client written against the wire protocol (not against jjava), as a notebook
 * server talks to a kernel: DEALER sockets on shell and control, SUB on iopub, HMAC-SHA256 signed
 * frames. It writes a connection file with free ports and a fresh key, as Jupyter does.
 */
final class ProtocolClient implements AutoCloseable {
  static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
  private static final Gson GSON = new Gson();

  /** A received message: its header, parent header and content as JSON. */
  record Msg(JsonObject header, JsonObject parent, JsonObject content) {
    String type() {
      return header.get("msg_type").getAsString();
    }

    String parentId() {
      return parent.has("msg_id") ? parent.get("msg_id").getAsString() : "";
    }
  }

  /** What one execute_request produced: its reply and the iopub messages between busy and idle. */
  record Execution(Msg reply, List<Msg> outputs) {
    String stdout() {
      StringBuilder sb = new StringBuilder();
      for (Msg m : outputs) {
        if (m.type().equals("stream") && m.content().get("name").getAsString().equals("stdout")) sb.append(m.content().get("text").getAsString());
      }
      return sb.toString();
    }

    List<Msg> ofType(String type) {
      return outputs.stream().filter(m -> m.type().equals(type)).toList();
    }

    String status() {
      return reply.content().get("status").getAsString();
    }
  }

  final String key = UUID.randomUUID().toString();
  final String session = UUID.randomUUID().toString();
  final Map<String, Object> connection = new LinkedHashMap<>();
  private final ZContext context = new ZContext();
  private final ZMQ.Socket shell;
  private final ZMQ.Socket control;
  private final ZMQ.Socket iopub;
  private final Mac mac;

  ProtocolClient(Path connectionFile) throws Exception {
    connection.put("transport", "tcp");
    connection.put("ip", "127.0.0.1");
    for (String port : List.of("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")) connection.put(port, freePort());
    connection.put("signature_scheme", "hmac-sha256");
    connection.put("key", key);
    connection.put("kernel_name", "dln");
    Files.writeString(connectionFile, GSON.toJson(connection), StandardCharsets.UTF_8);
    mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    shell = context.createSocket(SocketType.DEALER);
    control = context.createSocket(SocketType.DEALER);
    iopub = context.createSocket(SocketType.SUB);
    iopub.subscribe(new byte[0]);
  }

  /** Connects to the kernel's ports and waits until iopub delivers (ZeroMQ's subscriptions take a moment). */
  void connect() {
    shell.connect(address("shell_port"));
    control.connect(address("control_port"));
    iopub.connect(address("iopub_port"));
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      String id = send(shell, "kernel_info_request", Map.of(), true);
      Msg reply = receive(shell, 5000);
      if (reply == null) throw new AssertionError("no kernel_info_reply from the kernel");
      Msg status = receive(iopub, 300);
      if (status != null) {
        drain(iopub, 200);
        return;
      }
      if (!reply.parentId().equals(id)) throw new AssertionError("kernel_info_reply for another request");
    }
    throw new AssertionError("iopub never delivered a message");
  }

  private String address(String port) {
    return "tcp://127.0.0.1:" + ((Number) connection.get(port)).intValue();
  }

  ZMQ.Socket shell() {
    return shell;
  }

  ZMQ.Socket control() {
    return control;
  }

  ZMQ.Socket iopub() {
    return iopub;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Sends a request; {@code signed=false} leaves the signature frame empty. Returns its msg_id. */
  String send(ZMQ.Socket socket, String type, Map<String, ?> content, boolean signed) {
    return sendWithSignature(socket, type, content, signed ? null : "");
  }

  /** Sends a request with the given signature frame (null: the correct one). */
  String sendWithSignature(ZMQ.Socket socket, String type, Map<String, ?> content, String signature) {
    String id = UUID.randomUUID().toString();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("msg_id", id);
    header.put("username", "test");
    header.put("session", session);
    header.put("date", Instant.now().toString());
    header.put("msg_type", type);
    header.put("version", "5.3");
    byte[] h = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
    byte[] p = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] m = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] c = GSON.toJson(content).getBytes(StandardCharsets.UTF_8);
    sendFrames(socket, List.of(DELIMITER, (signature != null ? signature : sign(h, p, m, c)).getBytes(StandardCharsets.US_ASCII), h, p, m, c));
    return id;
  }

  synchronized String sign(byte[]... parts) {
    for (byte[] part : parts) mac.update(part);
    return HexFormat.of().formatHex(mac.doFinal());
  }

  static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
    for (int i = 0; i < frames.size(); i++) {
      if (i < frames.size() - 1) socket.sendMore(frames.get(i));
      else socket.send(frames.get(i));
    }
  }

  /** The next message on a socket within {@code timeoutMs}, its signature checked; null on timeout. */
  Msg receive(ZMQ.Socket socket, long timeoutMs) {
    socket.setReceiveTimeOut((int) timeoutMs);
    byte[] first = socket.recv();
    if (first == null) return null;
    List<byte[]> frames = new ArrayList<>();
    frames.add(first);
    while (socket.hasReceiveMore()) frames.add(socket.recv());
    int d = 0;
    while (!java.util.Arrays.equals(frames.get(d), DELIMITER)) d++;
    String sig = new String(frames.get(d + 1), StandardCharsets.US_ASCII);
    String expected = sign(frames.get(d + 2), frames.get(d + 3), frames.get(d + 4), frames.get(d + 5));
    if (!sig.equals(expected)) throw new AssertionError("the kernel sent a message with a wrong signature");
    return new Msg(json(frames.get(d + 2)), json(frames.get(d + 3)), json(frames.get(d + 5)));
  }

  private static JsonObject json(byte[] b) {
    return JsonParser.parseString(new String(b, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  void drain(ZMQ.Socket socket, long quietMs) {
    while (receive(socket, quietMs) != null) {
      // Skip what earlier requests left behind.
    }
  }

  /** The reply to {@code id} on a socket (skipping others), or null after {@code timeoutMs}. */
  Msg replyTo(ZMQ.Socket socket, String id, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      Msg m = receive(socket, Math.max(1, deadline - System.currentTimeMillis()));
      if (m != null && m.parentId().equals(id)) return m;
    }
    return null;
  }

  /** A shell request and its reply. */
  Msg request(String type, Map<String, ?> content) {
    return request(shell, type, content);
  }

  /** A request without content on a socket (control for interrupts) and its reply. */
  Msg request(ZMQ.Socket socket, String type) {
    return request(socket, type, Map.of());
  }

  Msg request(ZMQ.Socket socket, String type, Map<String, ?> content) {
    String id = send(socket, type, content, true);
    Msg reply = replyTo(socket, id, 30_000);
    if (reply == null) throw new AssertionError("no reply to " + type);
    return reply;
  }

  /** Sends execute_request for {@code code} and collects everything until the kernel is idle again. */
  Execution execute(String code, long timeoutMs) {
    String id = startExecute(code);
    return finish(id, timeoutMs);
  }

  String startExecute(String code) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("code", code);
    content.put("silent", false);
    content.put("store_history", true);
    content.put("user_expressions", Map.of());
    content.put("allow_stdin", false);
    content.put("stop_on_error", true);
    return send(shell, "execute_request", content, true);
  }

  Execution finish(String id, long timeoutMs) {
    Msg reply = replyTo(shell, id, timeoutMs);
    if (reply == null) throw new AssertionError("no execute_reply within " + timeoutMs + " ms");
    List<Msg> outputs = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      Msg m = receive(iopub, Math.max(1, deadline - System.currentTimeMillis()));
      if (m == null || !m.parentId().equals(id)) continue;
      if (m.type().equals("status")) {
        if (m.content().get("execution_state").getAsString().equals("idle")) return new Execution(reply, outputs);
        continue;
      }
      outputs.add(m);
    }
    throw new AssertionError("the kernel did not become idle after the execute_reply");
  }

  @Override
  public void close() {
    context.close();
  }
}

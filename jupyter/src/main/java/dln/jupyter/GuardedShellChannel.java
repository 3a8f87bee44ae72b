package dln.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The shell and control channels, hardened. jjava's {@link ShellChannel} reads and dispatches in a
 * loop that ends on the first exception: one message with a bad signature or broken JSON would
 * leave the kernel deaf. This channel keeps jjava's message classes, handlers and reply
 * environments but reads each message itself, so that:
 * <ul>
 *   <li>a message whose HMAC signature is missing or wrong is dropped and logged, never handled;</li>
 *   <li>a malformed message (no delimiter, missing frames, bad JSON) is dropped and logged;</li>
 *   <li>an unknown {@code msg_type} gets an error reply ({@code x_request} → {@code x_reply});</li>
 *   <li>nothing a handler throws stops the loop;</li>
 *   <li>after a cell fails (with {@code stop_on_error}), the execute requests already queued behind it
 *       are answered {@code aborted} instead of run, as IPython does, so "Run All" stops at the error.</li>
 * </ul>
 */
final class GuardedShellChannel extends ShellChannel {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedShellChannel.class);
  private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
  /** Pause between polls; each poll itself waits up to POLL_MS for a message. */
  private static final long SLEEP_MS = 1;
  private static final long POLL_MS = 20;
  private static final Type MAP = new TypeToken<Map<String, Object>>() {}.getType();
  /** The adapters jjava's sockets use, so that headers and contents decode exactly as in jjava. */
  private static final Gson GSON = new GsonBuilder()
      .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
      .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
      .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
      .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
      .create();

  private final String label;
  private final HMACGenerator hmac;
  private final JupyterConnection connection;
  private final boolean isControl;
  private volatile Loop loop;
  private ZMQ.Poller poller;
  /** Set by the kernel when a cell failed: the queued execute requests are to be aborted. */
  private volatile boolean abortRequested;

  GuardedShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean isControl, JupyterConnection connection) {
    super(context, hmac, isControl, connection);
    this.label = isControl ? "control" : "shell";
    this.hmac = hmac;
    this.connection = connection;
    this.isControl = isControl;
  }

  @Override
  public void bind(KernelConnectionProperties props) {
    if (loop != null) throw new IllegalStateException(label + " channel already bound");
    int port = isControl ? props.getControlPort() : props.getShellPort();
    // Only the address of the connection file: Jupyter chose the interface (normally 127.0.0.1).
    bind(props.getTransport() + "://" + props.getIp() + ":" + port);
    ZMQ.Poller poller = ctx.poller(1);
    poller.register(this, ZMQ.Poller.POLLIN);
    this.poller = poller;
    Loop l = new Loop("dln-" + label, SLEEP_MS, () -> {
      if (closed) return;
      if (poller.poll(POLL_MS) > 0) receiveOne();
    });
    l.onError(t -> {
      LOG.warn("{} channel: {} (the kernel keeps running)", label, t.toString());
      return SLEEP_MS;
    });
    loop = l;
    l.start();
  }

  /** Asks this channel to answer the execute requests waiting in its queue with "aborted" (see the class comment). */
  void abortQueuedExecutes() {
    abortRequested = true;
  }

  /** Reads one multipart message and handles it; every failure is logged and the message dropped. */
  private void receiveOne() {
    handleFrames(false);
    if (!abortRequested) return;
    abortRequested = false;
    // What is already queued was sent before the user saw the error: abort its execute requests.
    while (!closed && poller.poll(0) > 0) handleFrames(true);
  }

  private void handleFrames(boolean aborting) {
    List<byte[]> frames = new ArrayList<>();
    frames.add(recv());
    while (hasReceiveMore()) frames.add(recv());
    try {
      handle(frames, aborting);
    } catch (RuntimeException e) {
      LOG.warn("{} channel: dropped a malformed message: {}", label, e.toString());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void handle(List<byte[]> frames, boolean aborting) {
    int d = 0;
    while (d < frames.size() && !Arrays.equals(frames.get(d), DELIMITER)) d++;
    if (d == frames.size() || frames.size() - d - 1 < 5) {
      LOG.warn("{} channel: dropped a message without the <IDS|MSG> delimiter and its five parts", label);
      return;
    }
    List<byte[]> identities = new ArrayList<>(frames.subList(0, d));
    byte[] signature = frames.get(d + 1);
    byte[] header = frames.get(d + 2), parent = frames.get(d + 3), metadata = frames.get(d + 4), content = frames.get(d + 5);
    List<byte[]> blobs = new ArrayList<>(frames.subList(d + 6, frames.size()));
    String expected = hmac.calculateSignature(header, parent, metadata, content);
    if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature)) {
      LOG.warn("{} channel: dropped a message with a {} signature (it was not executed)", label,
          signature.length == 0 ? "missing" : "bad");
      return;
    }
    JsonObject rawHeader = JsonParser.parseString(utf8(header)).getAsJsonObject();
    JsonElement typeName = rawHeader.get("msg_type");
    if (typeName == null || !typeName.isJsonPrimitive()) {
      LOG.warn("{} channel: dropped a message without msg_type", label);
      return;
    }
    Header<?> h = GSON.fromJson(rawHeader, Header.class);
    MessageType<?> type = h.getType();
    ShellHandler handler = type == MessageType.UNKNOWN ? null : connection.getHandler(type);
    if (handler == null) {
      replyUnknown(identities, rawHeader, header, typeName.getAsString());
      return;
    }
    if (aborting && type == MessageType.EXECUTE_REQUEST) {
      LOG.info("{} channel: aborted a queued execute_request after an error", label);
      Map<String, Object> abortReply = new LinkedHashMap<>();
      abortReply.put("status", "aborted");
      sendRaw(identities, rawHeader, header, "execute_reply", abortReply);
      return;
    }
    JsonElement parentJson = JsonParser.parseString(utf8(parent));
    Header<?> parentHeader = parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()
        ? GSON.fromJson(parentJson, Header.class) : null;
    Map<String, Object> meta = GSON.fromJson(utf8(metadata), MAP);
    Object body = GSON.fromJson(utf8(content), type.getContentType());
    if (body == null) throw new IllegalArgumentException("empty content for " + type.getName());
    Message<?> message = new Message(identities, h, parentHeader, meta, body, blobs);
    ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
    try {
      handler.handle(env, message);
    } catch (Exception e) {
      LOG.warn("{} channel: handling {} failed: {}", label, type.getName(), e.toString());
    } finally {
      env.resolveDeferrals();
    }
    if (env.isMarkedForShutdown()) connection.close();
  }

  /** An error reply to a request no handler knows, so that a client waiting for it is not left hanging. */
  private void replyUnknown(List<byte[]> identities, JsonObject rawHeader, byte[] parentRaw, String type) {
    LOG.warn("{} channel: unknown message type '{}': replied with an error", label, type);
    if (!type.endsWith("_request")) return; // Only requests expect a reply (comm messages, input_reply…).
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("status", "error");
    content.put("ename", "UnknownMessageType");
    content.put("evalue", "the DLN kernel does not handle '" + type + "' messages");
    content.put("traceback", List.of());
    sendRaw(identities, rawHeader, parentRaw, type.substring(0, type.length() - "_request".length()) + "_reply", content);
  }

  /** Sends a reply frame by frame: jjava's message types are a closed set, without these replies. */
  private void sendRaw(List<byte[]> identities, JsonObject rawHeader, byte[] parentRaw, String replyType, Map<String, Object> content) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("msg_id", UUID.randomUUID().toString());
    header.put("username", "kernel");
    JsonElement session = rawHeader.get("session");
    header.put("session", session != null && session.isJsonPrimitive() ? session.getAsString() : "");
    header.put("date", Instant.now().toString());
    header.put("msg_type", replyType);
    header.put("version", Header.PROTOCOL_VERISON);
    byte[] h = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
    byte[] m = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] c = GSON.toJson(content).getBytes(StandardCharsets.UTF_8);
    String sig = hmac.calculateSignature(h, parentRaw, m, c);
    synchronized (this) { // the same lock as JupyterSocket.sendMessage: frames of two replies never interleave
      for (byte[] id : identities) sendMore(id);
      sendMore(DELIMITER);
      sendMore(sig == null ? "" : sig);
      sendMore(h);
      sendMore(parentRaw);
      sendMore(m);
      send(c);
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    Loop l = loop;
    if (l != null) l.shutdown();
    super.close();
  }

  @Override
  public void waitUntilClose() {
    Loop l = loop;
    if (l == null || l == Thread.currentThread()) return;
    try {
      l.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dln.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dln.jupyter.ProtocolClient.Execution;
import dln.jupyter.ProtocolClient.Msg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as Jupyter sees it: one kernel started from a generated connection file, driven over
 * ZeroMQ by {@link ProtocolClient} with signed (and deliberately unsigned or broken) messages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelProtocolTest {
  /** Small, so that the truncation test prints little. */
  static final int OUTPUT_LIMIT = 5_000;

  @TempDir
  static Path dir;
  static ProtocolClient client;
  static KernelMain.Running kernel;

  @BeforeAll
  static void start() throws Exception {
    Path file = dir.resolve("kernel-test.json");
    client = new ProtocolClient(file);
    KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file, StandardCharsets.UTF_8));
    kernel = KernelMain.start(props, new DlnKernel(OUTPUT_LIMIT));
    client.connect();
  }

  @AfterAll
  static void stop() {
    if (kernel != null && !kernel.connection().isClosed()) kernel.stop();
    if (client != null) client.close();
  }

  private static String text(Msg m) {
    return m.content().getAsJsonObject("data").get("text/plain").getAsString();
  }

  @Test
  @Order(1)
  void kernelInfoDescribesDln() {
    Msg reply = client.request("kernel_info_request", Map.of());
    assertEquals("kernel_info_reply", reply.type());
    JsonObject c = reply.content();
    assertEquals("ok", c.get("status").getAsString());
    assertEquals("5.3", c.get("protocol_version").getAsString());
    assertEquals("dln", c.getAsJsonObject("language_info").get("name").getAsString());
    assertEquals(".dln", c.getAsJsonObject("language_info").get("file_extension").getAsString());
  }

  @Test
  @Order(2)
  void executeStreamsOutputAndReturnsTheLastExpression() {
    Execution e = client.execute("print('hello')\nx = 40\nx + 2", 60_000);
    assertEquals("ok", e.status());
    assertEquals("hello\n", e.stdout());
    List<Msg> results = e.ofType("execute_result");
    assertEquals(1, results.size());
    assertEquals("42", text(results.get(0)));
    int count = e.reply().content().get("execution_count").getAsInt();
    assertEquals(count, results.get(0).content().get("execution_count").getAsInt());
    // The next cell counts on and sees the variables of this one, as at the REPL.
    Execution next = client.execute("x * 2", 10_000);
    assertEquals(count + 1, next.reply().content().get("execution_count").getAsInt());
    assertEquals("80", text(next.ofType("execute_result").get(0)));
    // user_expressions are evaluated after the cell, each to a result or an error.
    Map<String, Object> withExpressions = new java.util.LinkedHashMap<>();
    withExpressions.put("code", "z = 6");
    withExpressions.put("silent", false);
    withExpressions.put("store_history", true);
    withExpressions.put("user_expressions", Map.of("product", "z * 7", "broken", "z +"));
    withExpressions.put("allow_stdin", false);
    Execution ux = client.finish(client.send(client.shell(), "execute_request", withExpressions, true), 10_000);
    JsonObject values = ux.reply().content().getAsJsonObject("user_expressions");
    assertEquals("ok", values.getAsJsonObject("product").get("status").getAsString());
    assertEquals("42", values.getAsJsonObject("product").getAsJsonObject("data").get("text/plain").getAsString());
    assertEquals("error", values.getAsJsonObject("broken").get("status").getAsString());
    assertEquals("syntax error", values.getAsJsonObject("broken").get("ename").getAsString());
    // A statement has no result.
    assertTrue(client.execute("y = 1", 10_000).ofType("execute_result").isEmpty());
  }

  @Test
  @Order(3)
  void errorsAreDlnsLocatedMessagesWithoutJavaStackTraces() {
    Execution e = client.execute("a = 1\nb = a + undefined_name", 10_000);
    assertEquals("error", e.status());
    int count = e.reply().content().get("execution_count").getAsInt();
    Msg error = e.ofType("error").get(0);
    assertEquals("name error", error.content().get("ename").getAsString());
    String evalue = error.content().get("evalue").getAsString();
    assertTrue(evalue.startsWith("In[" + count + "]:2:9: name 'undefined_name' is not defined"), evalue);
    String traceback = error.content().get("traceback").toString();
    assertTrue(traceback.contains("b = a + undefined_name"), traceback);
    assertFalse(traceback.contains("at dln.") || traceback.contains("Exception"), traceback);
    assertEquals("name error", e.reply().content().get("ename").getAsString());

    Execution syntax = client.execute("def f(:\n    pass", 10_000);
    assertEquals("syntax error", syntax.reply().content().get("ename").getAsString());
  }

  @Test
  @Order(4)
  void cellsQueuedBehindAFailedOneAreAborted() {
    // The first cell runs a moment before failing, so that the second is already queued.
    String failing = client.startExecute("for i in range(200000):\n    pass\nundefined_here");
    String queued = client.startExecute("after_abort = 1");
    assertEquals("error", client.finish(failing, 60_000).status());
    Msg aborted = client.replyTo(client.shell(), queued, 10_000);
    assertNotNull(aborted, "the queued cell gets a reply");
    assertEquals("aborted", aborted.content().get("status").getAsString());
    assertEquals("name error", client.execute("after_abort", 10_000).reply().content().get("ename").getAsString());
  }

  @Test
  @Order(5)
  void completionOffersNamesMembersAndKeywordArguments() {
    JsonObject names = client.request("complete_request", Map.of("code", "Den", "cursor_pos", 3)).content();
    assertEquals("ok", names.get("status").getAsString());
    assertTrue(strings(names.getAsJsonArray("matches")).contains("Dense"), names.toString());
    assertEquals(0, names.get("cursor_start").getAsInt());
    assertEquals(3, names.get("cursor_end").getAsInt());

    client.execute("t = zeros(2, 3)", 10_000);
    String code = "t.sha";
    JsonObject members = client.request("complete_request", Map.of("code", code, "cursor_pos", code.length())).content();
    assertTrue(strings(members.getAsJsonArray("matches")).contains("shape"), members.toString());
    assertEquals(2, members.get("cursor_start").getAsInt());

    String call = "Dense(10, activ";
    JsonObject kw = client.request("complete_request", Map.of("code", call, "cursor_pos", call.length())).content();
    assertTrue(strings(kw.getAsJsonArray("matches")).contains("activation="), kw.toString());
  }

  @Test
  @Order(6)
  void inspectionShowsTheHelpText() {
    JsonObject c = client.request("inspect_request", Map.of("code", "model = Dense(3)", "cursor_pos", 10, "detail_level", 0)).content();
    assertEquals("ok", c.get("status").getAsString());
    assertTrue(c.get("found").getAsBoolean());
    assertTrue(c.getAsJsonObject("data").get("text/plain").getAsString().contains("fully connected"), c.toString());

    JsonObject none = client.request("inspect_request", Map.of("code", "no_such_thing", "cursor_pos", 3, "detail_level", 0)).content();
    assertFalse(none.get("found").getAsBoolean());
  }

  @Test
  @Order(7)
  void isCompleteFollowsTheReplsContinuationRules() {
    assertEquals("complete", isComplete("x = 1 + 2"));
    JsonObject block = client.request("is_complete_request", Map.of("code", "def f(x):")).content();
    assertEquals("incomplete", block.get("status").getAsString());
    assertEquals("    ", block.get("indent").getAsString());
    assertEquals("incomplete", isComplete("y = (1 +"));
    assertEquals("incomplete", isComplete("for i in range(3):\n    print(i)"));
    assertEquals("complete", isComplete("for i in range(3):\n    print(i)\n\n"));
    assertEquals("invalid", isComplete("x = = 2"));
  }

  private static String isComplete(String code) {
    return client.request("is_complete_request", Map.of("code", code)).content().get("status").getAsString();
  }

  @Test
  @Order(8)
  void picturesAreInlinePngsAndSummariesHtmlTables() {
    Execution show = client.execute("show(rand(28, 28))", 30_000);
    Msg picture = show.ofType("display_data").get(0);
    String png = picture.content().getAsJsonObject("data").get("image/png").getAsString();
    byte[] bytes = java.util.Base64.getDecoder().decode(png);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals('P', bytes[1]);
    assertEquals("", show.stdout(), "no terminal drawing besides the PNG");

    Execution summary = client.execute("m = Sequential([Input(shape=(4,)), Dense(3)])\nm.summary()", 30_000);
    JsonObject data = summary.ofType("display_data").get(0).content().getAsJsonObject("data");
    assertTrue(data.get("text/html").getAsString().contains("<table>"), data.toString());
    assertTrue(data.get("text/plain").getAsString().contains("Total params: 15"), data.toString());

    JsonObject model = client.execute("m", 10_000).ofType("execute_result").get(0).content().getAsJsonObject("data");
    assertTrue(model.get("text/html").getAsString().contains("<table>"), "a model result shows its summary: " + model);

    Execution tensor = client.execute("ones(2, 2)", 10_000);
    JsonObject t = tensor.ofType("execute_result").get(0).content().getAsJsonObject("data");
    assertTrue(t.get("text/html").getAsString().contains("<table"), t.toString());
    assertTrue(t.get("text/plain").getAsString().startsWith("tensor("), t.toString());
  }

  @Test
  @Order(9)
  void hugeOutputIsTruncatedAndHugeTensorsSummarised() {
    Execution loud = client.execute("for i in range(5000):\n    print('line', i)", 60_000);
    assertEquals("ok", loud.status());
    String out = loud.stdout();
    assertTrue(out.length() < OUTPUT_LIMIT + 200, "output length " + out.length());
    assertTrue(out.contains("[output truncated:"), out.substring(Math.max(0, out.length() - 200)));
    assertTrue(loud.ofType("stream").size() < 500, "far fewer stream messages than lines, got " + loud.ofType("stream").size());

    Execution big = client.execute("zeros(10000, 10000)", 120_000);
    JsonObject data = big.ofType("execute_result").get(0).content().getAsJsonObject("data");
    assertTrue(data.get("text/plain").getAsString().length() < 2000);
    assertTrue(data.get("text/html").getAsString().length() < 5000);
    assertTrue(data.get("text/html").getAsString().contains("&hellip;"));
  }

  @Test
  @Order(10)
  void fitShowsOneUpdatingDisplay() {
    Execution fit = client.execute("""
        xs = randn(512, 8)
        ys = (xs[:, 0:1] > 0) * 1.0
        net = Sequential([Input(shape=(8,)), Dense(16, activation='relu'), Dense(1, activation='sigmoid')])
        net.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
        h = net.fit(xs, ys, epochs=3, batch_size=32)
        """, 120_000);
    assertEquals("ok", fit.status());
    List<Msg> shown = fit.ofType("display_data");
    assertEquals(1, shown.size(), "one display for the whole fit");
    String id = shown.get(0).content().getAsJsonObject("transient").get("display_id").getAsString();
    List<Msg> updates = fit.ofType("update_display_data");
    assertFalse(updates.isEmpty());
    for (Msg u : updates) assertEquals(id, u.content().getAsJsonObject("transient").get("display_id").getAsString());
    JsonObject last = updates.get(updates.size() - 1).content().getAsJsonObject("data");
    assertTrue(last.get("text/plain").getAsString().contains("Epoch 3/3"), last.toString());
    assertTrue(last.has("image/png"), "the final chart stays");
    assertTrue(last.get("text/html").getAsString().contains("<img"));
  }

  @Test
  @Order(11)
  void interruptStopsFitMidEpochAndKeepsTheWeights() throws Exception {
    client.execute("""
        xi = randn(4000, 8)
        yi = (xi[:, 0:1] > 0) * 1.0
        ni = Sequential([Input(shape=(8,)), Dense(16, activation='relu'), Dense(1, activation='sigmoid')])
        ni.compile(optimizer='sgd', loss='binary_crossentropy')
        before = ni.layers[0].weights[0] * 1.0
        """, 60_000);
    String id = client.startExecute("hi = ni.fit(xi, yi, epochs=1000, batch_size=4)");
    Thread.sleep(2500);
    Msg interrupted = client.request(client.control(), "interrupt_request");
    assertEquals("ok", interrupted.content().get("status").getAsString());
    Execution fit = client.finish(id, 60_000);
    assertEquals("ok", fit.status(), "an interrupted fit returns its history, like Ctrl-C at the REPL");
    List<Msg> updates = fit.ofType("update_display_data");
    String last = updates.get(updates.size() - 1).content().getAsJsonObject("data").get("text/plain").getAsString();
    assertTrue(last.contains("weights and history are kept"), last);
    // On a loaded machine the interrupt may come before the first epoch ends: then no epoch is in the
    // history, but the batches trained so far still changed the weights.
    Execution check = client.execute("epochs_done = len(hi.history['loss']) if 'loss' in hi.history else 0\n"
        + "print(epochs_done < 1000, float(abs(ni.layers[0].weights[0] - before).sum()) > 0)", 30_000);
    assertEquals("true true\n", check.stdout(), check.reply().content().toString());
  }

  @Test
  @Order(12)
  void interruptStopsAnEndlessLoop() throws Exception {
    String id = client.startExecute("n = 0\nwhile True:\n    n = n + 1");
    Thread.sleep(800);
    client.request(client.control(), "interrupt_request");
    Execution loop = client.finish(id, 30_000);
    assertEquals("interrupted", loop.reply().content().get("ename").getAsString());
    assertEquals("ok", client.execute("n > 0", 10_000).status(), "the kernel stays usable");
  }

  @Test
  @Order(13)
  void unsignedAndBadlySignedMessagesAreDroppedNeverExecuted() {
    Map<String, Object> sneaky = Map.of("code", "sneaky = 1", "silent", false, "store_history", true,
        "user_expressions", Map.of(), "allow_stdin", false, "stop_on_error", true);
    String unsigned = client.send(client.shell(), "execute_request", sneaky, false);
    String forged = client.sendWithSignature(client.shell(), "execute_request", sneaky, "0".repeat(64));
    assertNull(client.replyTo(client.shell(), unsigned, 1000));
    assertNull(client.replyTo(client.shell(), forged, 200));
    Execution check = client.execute("sneaky", 10_000);
    assertEquals("name error", check.reply().content().get("ename").getAsString(), "the unsigned code never ran");
  }

  @Test
  @Order(14)
  void malformedAndUnknownMessagesNeverKillTheKernel() {
    ProtocolClient.sendFrames(client.shell(), List.of("garbage".getBytes(StandardCharsets.UTF_8)));
    byte[] badJson = "{not json".getBytes(StandardCharsets.UTF_8);
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    ProtocolClient.sendFrames(client.shell(), List.of(ProtocolClient.DELIMITER,
        client.sign(badJson, empty, empty, empty).getBytes(StandardCharsets.US_ASCII), badJson, empty, empty, empty));
    Msg unknown = client.request("frobnicate_request", Map.of());
    assertEquals("frobnicate_reply", unknown.type());
    assertEquals("error", unknown.content().get("status").getAsString());
    assertEquals("ok", client.request("kernel_info_request", Map.of()).content().get("status").getAsString());
    assertEquals("ok", client.execute("1 + 1", 10_000).status());
  }

  @Test
  @Order(15)
  void historyAndCommInfo() {
    client.execute("hist_marker = 7", 10_000);
    JsonObject tail = client.request("history_request", Map.of("output", false, "raw", true, "hist_access_type", "tail", "n", 2)).content();
    assertEquals("ok", tail.get("status").getAsString());
    JsonArray entries = tail.getAsJsonArray("history");
    assertEquals(2, entries.size());
    assertEquals("hist_marker = 7", entries.get(1).getAsJsonArray().get(2).getAsString());
    JsonObject search = client.request("history_request",
        Map.of("output", false, "raw", true, "hist_access_type", "search", "pattern", "hist_marker*", "unique", true)).content();
    assertEquals(1, search.getAsJsonArray("history").size());
    JsonObject comms = client.request("comm_info_request", Map.of()).content();
    assertEquals("ok", comms.get("status").getAsString());
    assertTrue(comms.getAsJsonObject("comms").isEmpty());
  }

  @Test
  @Order(16)
  void replCommandsWorkInCells() {
    assertTrue(client.execute(":help Dense", 10_000).stdout().contains("fully connected"));
    assertTrue(client.execute(":vars", 10_000).stdout().contains("hist_marker"));
    Path saved = dir.resolve("session.dln");
    String out = client.execute(":save " + saved, 10_000).stdout();
    assertTrue(out.startsWith("saved "), out);
  }

  @Test
  @Order(100)
  void shutdownRepliesAndClosesTheKernel() {
    Msg reply = client.request(client.control(), "shutdown_request", Map.of("restart", false));
    assertEquals("ok", reply.content().get("status").getAsString());
    assertFalse(reply.content().get("restart").getAsBoolean());
    long deadline = System.currentTimeMillis() + 10_000;
    while (!kernel.connection().isClosed() && System.currentTimeMillis() < deadline) Thread.onSpinWait();
    assertTrue(kernel.connection().isClosed());
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : a) out.add(e.getAsString());
    return out;
  }
}

package dln.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.train.History;
import dln.runtime.train.ProgressListener.BatchProgress;
import dln.runtime.train.ProgressListener.EpochProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.junit.jupiter.api.Test;

/** fit's notebook view: one display, throttled updates, a chart even for a short fit. */
class TrainingViewTest {
  /** Keeps what the view publishes. */
  static final class Recording implements ReplyEnvironment {
    final List<Object> published = new ArrayList<>();

    @Override public void publish(Message<?> msg) { published.add(msg.getContent()); }
    @Override public void reply(Message<?> msg) {}
    @Override public ReplyEnvironment defer() { return this; }
    @Override public void defer(Runnable action) {}
    @Override public void resolveDeferrals() {}
    @Override public <T extends ContentType<T>> void publish(T content) { published.add(content); }
    @Override public <T extends ContentType<T>> void reply(T content) {}
    @Override public void replyError(MessageType<?> type, ErrorReply error) {}
    @Override public void setStatusBusy() {}
    @Override public void setStatusIdle() {}
    @Override public void setBusyDeferIdle() {}
  }

  private static Recording train(int verbose, int epochs, int batches) {
    Recording env = new Recording();
    NotebookStream out = new NotebookStream(PublishStream.StreamType.OUT, 1000);
    NotebookDisplay display = new NotebookDisplay(out, new NotebookStream(PublishStream.StreamType.ERR, 1000));
    display.attach(env);
    TrainingView view = new TrainingView(display, verbose);
    view.onTrainBegin(epochs, batches, batches * 32L);
    History history = new History();
    for (int e = 0; e < epochs; e++) {
      view.onEpochBegin(e, epochs);
      for (int b = 1; b <= batches; b++) {
        view.onBatch(new BatchProgress(e, epochs, b, batches, 1_000_000L * b, Map.of("loss", 1.0 / (e * batches + b))));
      }
      Map<String, Double> logs = Map.of("loss", 1.0 / ((e + 1) * batches), "val_loss", 1.1 / ((e + 1) * batches));
      history.append(e, logs);
      view.onEpochEnd(new EpochProgress(e, epochs, batches, 1_000_000L * batches, logs));
    }
    view.onTrainEnd(history, false);
    return env;
  }

  @Test
  void oneDisplayThenThrottledUpdatesWithTheFinalChart() {
    Recording env = train(1, 3, 2000);
    assertTrue(env.published.get(0) instanceof PublishDisplayData);
    long updates = env.published.stream().filter(p -> p instanceof PublishUpdateDisplayData).count();
    assertEquals(env.published.size() - 1, updates, "everything after the first output replaces it");
    // 6000 batches in well under a second: only the forced updates (epoch ends, the end) go out.
    assertTrue(updates <= 10, "updates: " + updates);
    PublishUpdateDisplayData last = (PublishUpdateDisplayData) env.published.get(env.published.size() - 1);
    assertTrue(last.hasDataForType(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG));
    String text = (String) last.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
    assertTrue(text.contains("Epoch 3/3") && text.contains("val_loss"), text);
  }

  @Test
  void aShortFitStillLeavesAChartAndVerboseZeroShowsNothing() {
    Recording shortFit = train(1, 1, 3);
    Object last = shortFit.published.get(shortFit.published.size() - 1);
    assertTrue(((PublishUpdateDisplayData) last).hasDataForType(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG));
    assertTrue(train(0, 2, 10).published.isEmpty());
  }

  @Test
  void longCurvesAreThinnedKeepingTheLastPoint() {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 5003; i++) points.add(new double[] {i, -i});
    double[] xs = TrainingView.column(points, 0);
    assertTrue(xs.length <= TrainingView.MAX_POINTS + 1, "points drawn: " + xs.length);
    assertEquals(0, xs[0]);
    assertEquals(5002, xs[xs.length - 1]);
    assertEquals(3, TrainingView.column(points.subList(0, 3), 1).length);
  }
}

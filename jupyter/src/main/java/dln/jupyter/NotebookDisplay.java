package dln.jupyter;

import dln.interp.call.RichDisplay;
import dln.runtime.nn.Model;
import dln.runtime.train.ProgressListener;
import dln.stdlib.plot.Png;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

/**
 * DLN's pictures as notebook outputs: every picture becomes a {@code display_data} message with
 * {@code image/png} (and a text stand-in), summaries an HTML table, fit a {@link TrainingView}.
 * Text printed before a picture is sent first, so the cell's output keeps its order.
 */
final class NotebookDisplay implements RichDisplay {
  private final NotebookStream stdout;
  private final NotebookStream stderr;
  private volatile ReplyEnvironment env;

  NotebookDisplay(NotebookStream stdout, NotebookStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  void attach(ReplyEnvironment env) {
    this.env = env;
  }

  void detach() {
    this.env = null;
  }

  /** Publishes a new output (with a display id when {@code data} has one). */
  void publish(DisplayData data) {
    ReplyEnvironment e = env;
    if (e == null) return;
    stdout.send();
    stderr.send();
    e.publish(new PublishDisplayData(data));
  }

  /** Replaces the output that has {@code data}'s display id. */
  void update(DisplayData data) {
    ReplyEnvironment e = env;
    if (e != null) e.publish(new PublishUpdateDisplayData(data));
  }

  @Override
  public void image(BufferedImage image, String description) {
    DisplayData d = new DisplayData("<" + description + ", " + image.getWidth() + "x" + image.getHeight() + " picture>");
    d.putData("image/png", base64Png(image));
    publish(d);
  }

  @Override
  public void summary(Model model) {
    DisplayData d = new DisplayData(model.summary());
    d.putHTML(Html.summary(model.summaryTable()));
    publish(d);
  }

  @Override
  public ProgressListener training(int verbose) {
    return new TrainingView(this, verbose);
  }

  static String base64Png(BufferedImage image) {
    Png.headless();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) throw new IllegalStateException("no PNG writer in this Java runtime");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}

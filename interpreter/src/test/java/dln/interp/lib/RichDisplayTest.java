package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.call.RichDisplay;
import dln.interp.sandbox.Sandbox;
import dln.runtime.nn.Model;
import dln.runtime.train.History;
import dln.runtime.train.ProgressListener;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every picture a builtin draws goes to the interpreter's {@link RichDisplay} when it has one (a
 * notebook), instead of being drawn as text; without one nothing changes.
 */
class RichDisplayTest {
  /** Records what the builtins hand over. */
  static final class Recorder implements RichDisplay {
    final List<BufferedImage> images = new ArrayList<>();
    final List<String> descriptions = new ArrayList<>();
    final List<Model> summaries = new ArrayList<>();
    final List<String> training = new ArrayList<>();

    @Override
    public void image(BufferedImage image, String description) {
      images.add(image);
      descriptions.add(description);
    }

    @Override
    public void summary(Model model) {
      summaries.add(model);
    }

    @Override
    public ProgressListener training(int verbose) {
      training.add("verbose=" + verbose);
      return new ProgressListener() {
        @Override
        public void onEpochEnd(EpochProgress p) {
          training.add("epoch " + (p.epoch() + 1));
        }

        @Override
        public void onTrainEnd(History history, boolean interrupted) {
          training.add("end");
        }
      };
    }
  }

  final StringWriter out = new StringWriter();
  final Recorder display = new Recorder();

  Dln dln() {
    Dln d = Dln.builder().out(out).err(out).sandbox(Sandbox.unrestricted()).seed(3).build();
    d.interpreter().setDisplay(display);
    return d;
  }

  @Test
  void everyPictureBuiltinHandsItsImageToTheDisplay() {
    Dln d = dln();
    d.eval("show(rand(28, 28))");
    d.eval("show(rand(4, 28, 28), labels=[1, 2, 3, 4])");
    d.eval("plot([3, 2, 1.5, 1.2], title='loss')");
    d.eval("""
        x = randn(40, 2)
        y = (x[:, 0:1] > 0) * 1.0
        clf = Sequential([Input(shape=(2,)), Dense(1, activation='sigmoid')])
        boundary(clf, x, y)
        conv = Sequential([Input(shape=(8, 8, 1)), Conv2D(2, 3, name='conv1')])
        show_filters(conv.layers[0])
        feature_maps(conv, 'conv1', rand(8, 8, 1))
        """);
    assertEquals(6, display.images.size(), display.descriptions.toString());
    assertEquals(List.of(112, 112), List.of(display.images.get(0).getWidth(), display.images.get(0).getHeight()));
    assertEquals(800, display.images.get(2).getWidth(), "plot draws at file size in a notebook");
    assertEquals(400, display.images.get(3).getWidth(), "boundary's default size");
    assertEquals("", out.toString(), "nothing drawn as text");
  }

  @Test
  void summaryAndFitGoToTheDisplay() {
    Dln d = dln();
    d.eval("""
        x = randn(64, 3)
        y = (x[:, 0:1] > 0) * 1.0
        m = Sequential([Input(shape=(3,)), Dense(1, activation='sigmoid')])
        m.compile(optimizer='adam', loss='binary_crossentropy')
        m.summary()
        h = m.fit(x, y, epochs=2, batch_size=16, plot=true)
        """);
    assertEquals(1, display.summaries.size());
    assertSame(d.get("m", Model.class), display.summaries.get(0));
    assertEquals(List.of("verbose=1", "epoch 1", "epoch 2", "end"), display.training);
    assertEquals("", out.toString(), "no text progress bar and no text chart");
  }

  @Test
  void aLivePlotCallbackShowsItsFinalChartAsAPicture() {
    Dln d = dln();
    d.eval("""
        x = randn(32, 2)
        y = (x[:, 0:1] > 0) * 1.0
        m = Sequential([Input(shape=(2,)), Dense(1, activation='sigmoid')])
        m.compile(optimizer='adam', loss='binary_crossentropy')
        live = LivePlot()
        h = m.fit(x, y, epochs=2, batch_size=16, callbacks=[live])
        """);
    assertEquals(List.of("training chart"), display.descriptions);
    assertEquals("", out.toString());
  }

  @Test
  void withoutADisplayPicturesAreText() {
    Dln d = dln();
    d.interpreter().setDisplay(null);
    d.eval("show(rand(28, 28))");
    assertTrue(display.images.isEmpty());
    assertTrue(out.toString().contains("▀") || out.toString().contains("▄") || out.toString().length() > 100, out.toString());
  }
}

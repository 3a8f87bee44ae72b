package dln.interp.call;

import dln.runtime.nn.Model;
import dln.runtime.train.ProgressListener;
import java.awt.image.BufferedImage;

/**
 * A front end that shows pictures, tables and training progress itself, such as a Jupyter
 * notebook. Builtins that draw in the terminal (show, plot, boundary, show_filters, feature_maps,
 * model.summary, fit's progress bar) hand their picture here instead when the interpreter has one
 * ({@link Invoker#display()}); without one they draw text as before.
 */
public interface RichDisplay {
  /** Shows a picture inline; {@code description} is its plain-text stand-in (e.g. "digit grid, 16 images"). */
  void image(BufferedImage image, String description);

  /** Shows a model's summary table (the front end chooses the rendering, e.g. HTML plus text). */
  void summary(Model model);

  /**
   * The progress display of one {@code fit} call, replacing the text progress bar; {@code verbose}
   * is fit's argument (0: nothing live, only the final chart).
   */
  ProgressListener training(int verbose);
}

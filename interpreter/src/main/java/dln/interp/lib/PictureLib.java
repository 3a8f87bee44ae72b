package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.call.Invoker;
import dln.interp.call.RichDisplay;
import dln.interp.call.TypeTable;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.stdlib.plot.Charts;
import dln.stdlib.plot.ColorMode;
import dln.stdlib.plot.ConvPictures;
import dln.stdlib.plot.DecisionBoundary;
import dln.stdlib.plot.FeatureMaps;
import dln.stdlib.plot.GreyImage;
import dln.stdlib.plot.ImageView;
import dln.stdlib.plot.LineChart;
import dln.stdlib.plot.LivePlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pictures: line charts and training curves ({@code plot}), digits and image grids ({@code show},
 * {@code save_image}), the Playground's decision regions ({@code boundary}), convolution kernels
 * and activations ({@code show_filters}, {@code feature_maps}), and a live training chart
 * ({@code LivePlot}). Everything draws in the terminal (colour when it is interactive) or, with
 * {@code file=}, writes a PNG.
 */
public final class PictureLib implements Library {
  /** Most pictures a grid shows in the terminal; more would scroll the prompt away. */
  static final int MAX_SHOWN = 64;

  @Override
  public void install(Globals g) {
    g.def("plot", "data, ys?, *, title?, file?, width?, height?, label?",
        "Draws a line chart: plot(ys), plot(xs, ys), or plot(history) for the loss and accuracy curves of fit().\n"
            + "The chart is drawn in the terminal with braille dots; file='loss.png' writes a PNG instead.\n"
            + "A history puts loss with val_loss and accuracy with val_accuracy; a dict of name -> list of numbers draws\n"
            + "all its curves in one chart (to compare runs).\n"
            + "width and height size the drawing in characters (default 60 x 15) or, with file=, in pixels (800 x 500).\n"
            + "Example: plot(history)\n"
            + "Example: plot([0.9, 0.5, 0.3, 0.2], title='loss', file='loss.png')",
        PictureLib::plot);
    g.def("show", "images, labels?, *, width?",
        "Draws a grey image (a digit) or a batch of images in the terminal with half-block characters.\n"
            + "Accepts [h, w], [h, w, 1], flat [784], or batches [n, h, w], [n, h, w, 1], [n, 784]; values 0..1, 0..255 or any range.\n"
            + "labels (a list or tensor, one per image) are written under the pictures; width (default 80) wraps the grid.\n"
            + "Example: show(x_train[0])\n"
            + "Example: show(x_train[:16], labels=y_train[:16])",
        PictureLib::show);
    g.def("save_image", "images, path, *, labels?, scale?, columns?",
        "Writes an image or a grid of images to a PNG file, enlarged so that small digits are visible (28 x 28 -> x4).\n"
            + "Example: save_image(x_train[:16], 'digits.png', labels=y_train[:16])",
        PictureLib::saveImage);
    g.def("boundary", "model, x, y, *, file?, width?, height?, size?",
        "Draws the decision regions of a 2-D classifier over its data points, like the TensorFlow Playground.\n"
            + "model is called on a grid of points [m, 2]; y holds the labels (-1/+1, 0/1 or one-hot).\n"
            + "Orange is the negative class (-1 or 0), blue the positive one; deeper colour means a surer model.\n"
            + "Terminal size: width x height characters (default 60 x 25); file='b.png' writes a size x size PNG (default 400).\n"
            + "Example: boundary(model, x, y)\n"
            + "Example: boundary(model, x, y, file='spiral.png')",
        PictureLib::boundary);
    g.def("show_filters", "layer, *, file?, width?",
        "Shows the learned kernels of a convolution layer (or a kernel tensor [kh, kw, in, out]) as a grid of small pictures.\n"
            + "Each filter is stretched min..max on its own; with several input channels it shows their mean.\n"
            + "Example: show_filters(model.layers[0])\n"
            + "Example: show_filters(conv, file='filters.png')",
        PictureLib::showFilters);
    g.def("feature_maps", "model, layer, image, *, file?, width?",
        "Shows what a layer of a model sees: the activation maps it produces for one image, one picture per channel.\n"
            + "layer is a layer of the model, its index in model.layers, or its name; the model's layers run in order up to it.\n"
            + "Example: feature_maps(model, model.layers[0], x_test[0])\n"
            + "Example: feature_maps(model, 'conv1', x_test[0], file='maps.png')",
        PictureLib::featureMaps);
    g.def("LivePlot", "*, width?, height?",
        "A live loss/accuracy chart for training, redrawn in place on a terminal after every epoch.\n"
            + "Pass it to fit(..., callbacks=[LivePlot()]) or call .update({'loss': 0.3}) yourself; when output is not\n"
            + "a terminal it stays quiet and prints the final chart when training ends.\n"
            + "Example: model.fit(x, y, epochs=10, callbacks=[LivePlot()])",
        a -> new LivePlot(a.invoker().out(), a.invoker().interactive(), color(a.invoker()),
            a.intValue("width", 50), a.intValue("height", 8)));
    defineLivePlotType();
  }

  /** The live chart fit(..., plot=true) draws. */
  static LivePlot livePlot(Invoker invoker) {
    return new LivePlot(invoker.out(), invoker.interactive(), color(invoker), 50, 8);
  }

  /**
   * Ends a LivePlot: in a notebook its final chart is shown as a picture, elsewhere LivePlot prints
   * it (when not on a terminal) as before.
   */
  static void finishLivePlot(Invoker invoker, LivePlot plot) {
    RichDisplay display = invoker.display();
    Map<String, double[]> h = plot.history();
    if (display == null || h.isEmpty()) {
      plot.finish();
      return;
    }
    List<LineChart> charts = Charts.history(h);
    display.image(Charts.toImage(charts, 640, 240), "training chart");
  }

  static ColorMode color(Invoker invoker) {
    return ColorMode.of(invoker.interactive());
  }

  // ---------------------------------------------------------------- plot

  private static Object plot(Args a) {
    Object data = a.get("data");
    Map<String, double[]> history = a.has("ys") ? null : history(data);
    List<LineChart> charts = new ArrayList<>();
    if (history != null && data instanceof Map<?, ?> && !looksLikeHistory(history)) {
      // A plain dict of curves (e.g. one loss curve per optimiser) shares one chart, to compare them.
      LineChart chart = new LineChart().title(a.string("title", null)).xLabel("epoch");
      history.forEach(chart::add);
      charts.add(chart);
    } else if (history != null) {
      charts.addAll(Charts.history(history));
      if (a.has("title")) charts.get(0).title(a.string("title"));
    } else {
      LineChart chart = new LineChart().title(a.string("title", null));
      String label = a.string("label", "y");
      if (a.has("ys")) {
        double[] xs = numbers(a, "data", data);
        List<double[]> ys = seriesOf(a, "ys", a.get("ys"));
        for (int i = 0; i < ys.size(); i++) chart.add(ys.size() == 1 ? label : label + i, xs, ys.get(i));
      } else {
        List<double[]> ys = seriesOf(a, "data", data);
        for (int i = 0; i < ys.size(); i++) chart.add(ys.size() == 1 ? label : label + i, ys.get(i));
      }
      charts.add(chart);
    }
    if (a.has("file")) {
      int w = a.intValue("width", 800), h = a.intValue("height", charts.size() == 1 ? 500 : 360);
      Path path = a.invoker().checkWrite(a.string("file"));
      Charts.savePng(charts, path, w, h);
      return saved(a, path);
    }
    RichDisplay display = a.invoker().display();
    if (display != null) {
      // A notebook shows the PNG chart; width/height then mean pixels, as with file=.
      int w = a.intValue("width", 800), h = a.intValue("height", charts.size() == 1 ? 500 : 360);
      display.image(Charts.toImage(charts, w, h), charts.size() == 1 ? "line chart" : charts.size() + " line charts");
      return None.NONE;
    }
    int w = a.intValue("width", 60), h = a.intValue("height", charts.size() == 1 ? 15 : 10);
    for (LineChart c : charts) c.size(w, h).color(color(a.invoker()));
    a.invoker().out().println(Charts.render(charts));
    a.invoker().out().flush();
    return None.NONE;
  }

  /** Keys like loss/val_loss or accuracy: a fit() history, drawn as Keras-style metric charts. */
  private static boolean looksLikeHistory(Map<String, double[]> h) {
    for (String k : h.keySet()) {
      if (k.startsWith("val_") || k.equals("loss") || k.equals("accuracy") || k.equals("lr")) return true;
    }
    return false;
  }

  /**
   * The per-epoch metrics of a training history: a value with a "history" attribute (what fit()
   * returns), or a dict of name -> list of numbers. Null when the value is neither.
   */
  static Map<String, double[]> history(Object v) {
    Object h = v instanceof Map<?, ?> ? v : TypeTable.getAttr(v, "history");
    if (!(h instanceof Map<?, ?> m)) return null;
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      double[] vs = toDoubles(e.getValue());
      if (vs == null) {
        throw DlnException.type("plot() needs a history of name -> list of numbers, but '" + Values.str(e.getKey())
            + "' holds " + Values.typeName(e.getValue()));
      }
      out.put(Values.str(e.getKey()), vs);
    }
    return out;
  }

  /** One series ([n], [n, 1], a list of numbers) or several ([n, k] tensor: columns; list of lists). */
  private static List<double[]> seriesOf(Args a, String name, Object v) {
    List<double[]> out = new ArrayList<>();
    if (v instanceof INDArray t && t.rank() == 2 && t.size(0) > 1 && t.size(1) > 1) {
      for (long c = 0; c < t.size(1); c++) out.add(toDoubles(t.getColumn(c)));
      return out;
    }
    List<?> items = v instanceof List<?> l ? l : v instanceof Tuple tu ? tu.items() : null;
    if (items != null && !items.isEmpty() && items.stream().allMatch(x -> x instanceof List || x instanceof Tuple || x instanceof INDArray)) {
      for (Object item : items) out.add(numbers(a, name, item));
      return out;
    }
    out.add(numbers(a, name, v));
    return out;
  }

  private static double[] numbers(Args a, String name, Object v) {
    double[] d = toDoubles(v);
    if (d == null) {
      throw DlnException.type(a.function() + "() argument '" + name + "' must be a list or tensor of numbers, got " + Values.typeName(v));
    }
    return d;
  }

  /** Numbers from a tensor (any shape with one non-trivial axis) or a list/tuple of numbers; null otherwise. */
  static double[] toDoubles(Object v) {
    if (v instanceof INDArray t) {
      return t.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').reshape(t.length()).toDoubleVector();
    }
    List<?> items = v instanceof List<?> l ? l : v instanceof Tuple tu ? tu.items() : null;
    if (items == null) return null;
    double[] out = new double[items.size()];
    for (int i = 0; i < out.length; i++) {
      Object x = items.get(i);
      if (Values.isNumber(x)) out[i] = Values.toDouble(x);
      else if (x instanceof INDArray t && t.length() == 1) out[i] = t.getDouble(0);
      else return null;
    }
    return out;
  }

  private static Object saved(Args a, Path path) {
    a.invoker().out().println("saved " + path);
    a.invoker().out().flush();
    return None.NONE;
  }

  // ---------------------------------------------------------------- images

  private static Object show(Args a) {
    INDArray x = a.tensor("images");
    List<GreyImage> images = GreyImage.batch(x, GreyImage.Scaling.AUTO);
    List<String> labels = a.has("labels") ? labels(a, a.get("labels"), images.size()) : null;
    PrintWriterOut out = new PrintWriterOut(a.invoker());
    int total = images.size();
    if (total > MAX_SHOWN) {
      images = images.subList(0, MAX_SHOWN);
      if (labels != null) labels = labels.subList(0, MAX_SHOWN);
    }
    RichDisplay display = a.invoker().display();
    if (display != null) {
      int scale = ImageView.autoScale(images.get(0));
      if (images.size() == 1 && labels == null) display.image(ImageView.toImage(images.get(0), scale), "image");
      else display.image(ImageView.gridImage(images, labels, 0, scale), images.size() + " images");
      if (total > MAX_SHOWN) out.println("(showing the first " + MAX_SHOWN + " of " + total + " images)");
      return None.NONE;
    }
    ColorMode color = color(a.invoker());
    if (images.size() == 1 && labels == null) out.println(ImageView.render(images.get(0), color));
    else out.println(ImageView.renderGrid(images, labels, a.intValue("width", 80), color));
    if (total > MAX_SHOWN) out.println("(showing the first " + MAX_SHOWN + " of " + total + " images)");
    return None.NONE;
  }

  private static Object saveImage(Args a) {
    INDArray x = a.tensor("images");
    Path path = a.invoker().checkWrite(a.string("path"));
    List<GreyImage> images = GreyImage.batch(x, GreyImage.Scaling.AUTO);
    int scale = a.intValue("scale", ImageView.autoScale(images.get(0)));
    if (scale < 1 || scale > 64) throw DlnException.value("save_image() scale must be between 1 and 64, got " + scale);
    if (images.size() == 1 && !a.has("labels")) {
      ImageView.save(images.get(0), path, scale);
    } else {
      List<String> labels = a.has("labels") ? labels(a, a.get("labels"), images.size()) : null;
      ImageView.saveGrid(images, labels, path, a.intValue("columns", 0), scale);
    }
    return saved(a, path);
  }

  /**
   * Labels as text: a list of anything, or a tensor of class numbers [n] / [n, 1], or one-hot /
   * probability rows [n, k] (shown as the class number).
   */
  static List<String> labels(Args a, Object v, int n) {
    List<String> out = new ArrayList<>();
    if (v instanceof INDArray t) {
      if (t.rank() == 2 && t.size(1) > 1) {
        INDArray idx = t.argMax(1);
        for (long i = 0; i < idx.length(); i++) out.add(String.valueOf(idx.getLong(i)));
      } else {
        for (double d : toDoubles(t)) out.add(d == Math.rint(d) ? String.valueOf((long) d) : Values.formatFloat(d));
      }
    } else if (v instanceof List<?> || v instanceof Tuple) {
      for (Object o : v instanceof List<?> l ? l : ((Tuple) v).items()) out.add(Values.str(o));
    } else {
      throw DlnException.type(a.function() + "() argument 'labels' must be a list or tensor, got " + Values.typeName(v));
    }
    if (out.size() != n) {
      throw DlnException.value(a.function() + "() got " + n + " images but " + out.size() + " labels",
          "give one label per image, e.g. show(x[:16], labels=y[:16])");
    }
    return out;
  }

  // ---------------------------------------------------------------- boundary

  private static Object boundary(Args a) {
    Object model = a.get("model");
    Invoker inv = a.invoker();
    DecisionBoundary b = new DecisionBoundary(grid -> {
      inv.checkCancelled();
      return Values.toTensor(inv.call(model, grid));
    }, a.tensor("x"), a.tensor("y"));
    if (a.has("file")) {
      Path path = a.invoker().checkWrite(a.string("file"));
      b.savePng(path, a.intValue("size", 400));
      return saved(a, path);
    }
    if (inv.display() != null) {
      inv.display().image(b.toImage(a.intValue("size", 400)), "decision regions");
      return None.NONE;
    }
    new PrintWriterOut(inv).println(b.render(a.intValue("width", 60), a.intValue("height", 25), color(inv)));
    return None.NONE;
  }

  // ---------------------------------------------------------------- convolutions

  private static Object showFilters(Args a) {
    Object layer = a.get("layer");
    INDArray kernel = layer instanceof INDArray t ? t : kernelOf(layer);
    List<GreyImage> filters = ConvPictures.filters(kernel);
    return grid(a, filters, "filters");
  }

  /** The kernel of a convolution layer: the first of its weights. */
  static INDArray kernelOf(Object layer) {
    Object w = TypeTable.getAttr(layer, "weights");
    List<?> ws = w instanceof List<?> l ? l : w instanceof Tuple t ? t.items() : null;
    // layer.weights holds variables (tf's view: they share the layer's arrays); a tensor list works too.
    Object first = ws == null || ws.isEmpty() ? null : ws.get(0);
    if (first instanceof dln.runtime.autodiff.Variable v) first = v.value();
    if (!(first instanceof INDArray k)) {
      throw DlnException.type("show_filters() needs a convolution layer or a kernel tensor, got " + Values.typeName(layer)
          + (ws != null && ws.isEmpty() ? " without weights (build or train the model first)" : ""));
    }
    return k;
  }

  private static Object featureMaps(Args a) {
    INDArray batch = FeatureMaps.batchOfOne(a.tensor("image"));
    if (!(a.get("model") instanceof Model model)) {
      throw DlnException.type("feature_maps() needs a model with layers, got " + Values.typeName(a.get("model")));
    }
    Object layer = a.get("layer");
    int index = layer instanceof Long i ? FeatureMaps.layerIndex(model, i)
        : layer instanceof String name ? FeatureMaps.layerIndex(model, name)
        : FeatureMaps.layerIndex(model, layer instanceof Layer l ? l : null);
    return grid(a, FeatureMaps.of(model, index, batch, a.invoker()::checkCancelled), "feature maps");
  }

  private static Object grid(Args a, List<GreyImage> pics, String what) {
    List<String> labels = ConvPictures.indexLabels(pics.size());
    if (a.has("file")) {
      Path path = a.invoker().checkWrite(a.string("file"));
      int scale = Math.max(1, 48 / Math.max(pics.get(0).rows(), pics.get(0).cols()));
      ImageView.saveGrid(pics, labels, path, 0, scale);
      return saved(a, path);
    }
    int total = pics.size();
    if (total > MAX_SHOWN) {
      pics = pics.subList(0, MAX_SHOWN);
      labels = labels.subList(0, MAX_SHOWN);
    }
    PrintWriterOut out = new PrintWriterOut(a.invoker());
    RichDisplay display = a.invoker().display();
    if (display != null) {
      int pngScale = Math.max(1, 48 / Math.max(pics.get(0).rows(), pics.get(0).cols()));
      display.image(ImageView.gridImage(pics, labels, 0, pngScale), pics.size() + " " + what);
      if (total > MAX_SHOWN) out.println("(showing the first " + MAX_SHOWN + " of " + total + " " + what + ")");
      return None.NONE;
    }
    int scale = ConvPictures.terminalScale(pics.get(0));
    List<GreyImage> big = pics.stream().map(p -> p.scaled(scale)).toList();
    out.println(ImageView.renderGrid(big, labels, a.intValue("width", 80), color(a.invoker())));
    if (total > MAX_SHOWN) out.println("(showing the first " + MAX_SHOWN + " of " + total + " " + what + ")");
    return None.NONE;
  }

  // ---------------------------------------------------------------- LivePlot

  private static void defineLivePlotType() {
    TypeTable.define(LivePlot.class, "LivePlot")
        .attr("history", lp -> {
          Map<Object, Object> h = new LinkedHashMap<>();
          lp.history().forEach((k, v) -> {
            List<Object> xs = new ArrayList<>();
            for (double d : v) xs.add(d);
            h.put(k, xs);
          });
          return h;
        })
        .method("update", "metrics", "Adds one epoch's metrics and redraws the chart.\nExample: live.update({'loss': 0.3, 'val_loss': 0.4})",
            (lp, a) -> {
              lp.update(metrics(a, a.get("metrics")));
              return None.NONE;
            })
        .method("on_epoch_end", "epoch, logs?", "Training callback: adds the epoch's logs (a dict of metrics) to the chart.\nExample: live.on_epoch_end(0, {'loss': 0.3})",
            (lp, a) -> {
              if (a.has("logs")) lp.update(metrics(a, a.get("logs")));
              return None.NONE;
            })
        .method("on_train_end", "logs?", "Training callback: ends the live view (prints the final chart when not on a terminal).\nExample: live.on_train_end()",
            (lp, a) -> {
              finishLivePlot(a.invoker(), lp);
              return None.NONE;
            })
        .method("finish", "", "Ends the live view (prints the final chart when not on a terminal).\nExample: live.finish()",
            (lp, a) -> {
              finishLivePlot(a.invoker(), lp);
              return None.NONE;
            })
        .repr(lp -> {
          Map<String, double[]> h = lp.history();
          int epochs = h.values().stream().mapToInt(v -> v.length).max().orElse(0);
          return "LivePlot(" + epochs + " epoch" + (epochs == 1 ? "" : "s") + (h.isEmpty() ? "" : ": " + String.join(", ", h.keySet())) + ")";
        });
  }

  private static Map<String, Double> metrics(Args a, Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw DlnException.type(a.function() + "() needs a dict of metric name -> number, got " + Values.typeName(v));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object x = e.getValue();
      if (Values.isNumber(x)) out.put(Values.str(e.getKey()), Values.toDouble(x));
      else if (x instanceof INDArray t && t.length() == 1) out.put(Values.str(e.getKey()), t.getDouble(0));
    }
    return out;
  }

  /** Prints whole pictures to the interpreter's output and flushes, so they appear at once. */
  private record PrintWriterOut(Invoker invoker) {
    void println(String s) {
      invoker.out().println(s);
      invoker.out().flush();
    }
  }
}

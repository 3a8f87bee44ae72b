package dln.stdlib.plot;

/** The colours every picture shares, so a series or a class looks the same in the terminal and in PNGs. */
public final class Palette {
  private Palette() {}

  /** Series colours (matplotlib's tab10, readable on dark and light backgrounds). */
  private static final int[] SERIES = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf
  };

  /** TensorFlow Playground's negative (orange) and positive (blue) classes. */
  public static final int PLAYGROUND_ORANGE = 0xf59322;

  public static final int PLAYGROUND_BLUE = 0x0877bd;

  /** The Playground's neutral middle colour, where the classifier is unsure. */
  public static final int PLAYGROUND_NEUTRAL = 0xe8eaeb;

  public static int series(int i) {
    return SERIES[Math.floorMod(i, SERIES.length)];
  }

  /**
   * Class colours for decision regions: two classes get the Playground's orange/blue; more
   * classes continue with the series colours.
   */
  public static int classColor(int cls) {
    if (cls == 0) return PLAYGROUND_ORANGE;
    if (cls == 1) return PLAYGROUND_BLUE;
    return series(cls);
  }

  /** Linear blend from {@code a} (t=0) to {@code b} (t=1), per RGB channel. */
  public static int blend(int a, int b, double t) {
    t = Math.max(0, Math.min(1, t));
    int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
    int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
    int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
    return (r << 16) | (g << 8) | bl;
  }

  /** A grey of level {@code v} in 0..1 as 0xRRGGBB. */
  public static int grey(double v) {
    int l = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    return (l << 16) | (l << 8) | l;
  }
}

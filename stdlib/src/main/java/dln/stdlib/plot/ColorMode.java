package dln.stdlib.plot;

import java.util.Locale;
import java.util.Map;

/**
 * How terminal pictures use colour. {@link #OFF} gives plain text (pipes, files, golden tests);
 * {@link #ANSI_256} uses the 256-colour palette every modern terminal has; {@link #TRUE_COLOR}
 * sends 24-bit RGB where the terminal says it supports it ({@code COLORTERM=truecolor}).
 */
public enum ColorMode {
  OFF,
  ANSI_256,
  TRUE_COLOR;

  /** Resets foreground and background colours. */
  public static final String RESET = "\u001b[0m";

  /** The best colour mode for an interactive terminal, judged from {@code COLORTERM}. */
  public static ColorMode forTerminal() {
    return forTerminal(System.getenv());
  }

  static ColorMode forTerminal(Map<String, String> env) {
    String ct = env.getOrDefault("COLORTERM", "").toLowerCase(Locale.ROOT);
    return ct.contains("truecolor") || ct.contains("24bit") ? TRUE_COLOR : ANSI_256;
  }

  /** The colour mode for a plain on/off flag: on means the terminal's best mode. */
  public static ColorMode of(boolean color) {
    return color ? forTerminal() : OFF;
  }

  public boolean on() {
    return this != OFF;
  }

  /** Escape sequence that sets the foreground to {@code rgb} (0xRRGGBB); empty when OFF. */
  public String fg(int rgb) {
    return code(38, rgb);
  }

  /** Escape sequence that sets the background to {@code rgb} (0xRRGGBB); empty when OFF. */
  public String bg(int rgb) {
    return code(48, rgb);
  }

  private String code(int layer, int rgb) {
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    return switch (this) {
      case OFF -> "";
      case TRUE_COLOR -> "\u001b[" + layer + ";2;" + r + ";" + g + ";" + b + "m";
      case ANSI_256 -> "\u001b[" + layer + ";5;" + to256(r, g, b) + "m";
    };
  }

  /**
   * Nearest entry of the xterm 256-colour palette: the 24-step grey ramp (232-255) for greys, which
   * gives grey images 24 levels instead of the colour cube's 6, otherwise the 6x6x6 cube (16-231).
   */
  static int to256(int r, int g, int b) {
    if (r == g && g == b) {
      if (r < 4) return 16;
      if (r > 246) return 231;
      return 232 + Math.min(23, Math.round((r - 8) / 10f));
    }
    return 16 + 36 * cube(r) + 6 * cube(g) + cube(b);
  }

  private static int cube(int v) {
    // The cube's levels are 0, 95, 135, 175, 215, 255.
    if (v < 48) return 0;
    if (v < 115) return 1;
    return Math.min(5, (v - 35) / 40);
  }
}

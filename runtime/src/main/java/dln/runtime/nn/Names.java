package dln.runtime.nn;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" suggestions for misspelt names: the runtime's (activations, losses, optimisers...)
 * and, through the interpreter, the user's own (variables, attributes, keyword arguments). The one
 * closest-name rule in DLN, so every suggestion behaves alike.
 */
public final class Names {
  private Names() {}

  /**
   * The known name closest to {@code name}, ignoring case, or null when none is close: at most one
   * edit per three letters (at least one), where swapping two neighbouring letters is one edit, so
   * {@code valeu} finds {@code value}. A candidate that shares no letter position with the name
   * (every letter replaced, as {@code w} for {@code i}) is no suggestion at all. Ties go to the
   * earlier candidate.
   */
  public static String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(Locale.ROOT);
    for (String k : known) {
      int d = distance(lower, k.toLowerCase(Locale.ROOT));
      if (d >= Math.max(name.length(), k.length())) continue;
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(1, name.length() / 3) ? best : null;
  }

  /** A hint: "did you mean 'relu'? known: a, b, c". */
  public static String hint(String name, Collection<String> known) {
    String c = closest(name, known);
    String list = "known: " + String.join(", ", known);
    return c != null ? "did you mean '" + c + "'? " + list : list;
  }

  /**
   * Edit distance counting insertions, deletions, substitutions and swaps of neighbouring letters
   * (optimal string alignment).
   */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}

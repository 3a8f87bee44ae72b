package dln.runtime.nn;

import java.util.Collection;

/** "Did you mean" suggestions for misspelt names (activations, losses, optimisers...). */
public final class Names {
  private Names() {}

  /** The closest known name within a small edit distance, or null. */
  public static String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (String k : known) {
      int d = distance(lower, k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  /** A hint: "did you mean 'relu'? known: a, b, c". */
  public static String hint(String name, Collection<String> known) {
    String c = closest(name, known);
    String list = "known: " + String.join(", ", known);
    return c != null ? "did you mean '" + c + "'? " + list : list;
  }

  /** Levenshtein edit distance. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

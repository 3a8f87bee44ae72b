package dln.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Byte-level mutation of seed scripts (the golden scripts, {@code scripts/*.dln}, the corpus): bit
 * flips, interesting bytes (brackets, quotes, colons, newlines, tabs, NUL, invalid UTF-8 lead
 * bytes), deletions, duplications, splices of two seeds, inserted DLN tokens, and line-level
 * edits that break indentation. One to eight mutations are stacked per input, as AFL does.
 */
final class ByteMutator {
  private static final byte[] INTERESTING = "()[]{}:,;.'\"\\#\n\t \r0-+*/@=<>!~`$?\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] HIGH = {(byte) 0xC3, (byte) 0xFF, (byte) 0x80, (byte) 0xE2, (byte) 0xF0, (byte) 0xFE};
  private static final String[] TOKENS = {"(", ")", "[", "]", "{", "}", ":", "\n", "\n    ", "\t", "->", "**", "//",
      "@", "lambda x: ", "if ", " else ", "for i in ", "while true:", "def f(", "return ", "break", "continue",
      "not ", " and ", " or ", " in ", " is ", "none", "true", "'", "\"", "'''", "\\\n", "9223372036854775807",
      "99999999999999999999", "1e309", "-1", "0", "2**63", "float('nan')", "tensor(", "zeros(", "randn(", "reshape(",
      ", axis=", ", keepdims=true", "*", "**", "=", "+=", "x", "[:, ", "::-1", "[0]", ".T", ".shape", "print(",
      "range(", "10**9", "[0] * ", "'a' * ", "str(", "int(", "sorted(", "len(", "\u00e9", "\ud83d\ude00", "pass",
      "; ", ",", "((((((((((", "try:", "except ", "except ValueError as e:", "finally:", "raise ", "assert ",
      "class C(Callback):", "def __init__(self", "self.", "super().", "with ", " as ", "f'{", "f\"{x:.2f}\"", "!r}", "global ",
      "nonlocal ", "del ", " for v in "};

  /** Inputs stop growing here: size is not what this fuzzer looks for (HostileInputTest is). */
  static final int MAX_BYTES = 64 * 1024;

  private final Random r;

  ByteMutator(Random r) {
    this.r = r;
  }

  /** A mutated copy of {@code seed}; {@code others} supply material for splices. */
  byte[] mutate(byte[] seed, List<byte[]> others) {
    byte[] b = seed.clone();
    int rounds = 1 + r.nextInt(r.nextInt(4) == 0 ? 8 : 3);
    for (int i = 0; i < rounds && b.length < MAX_BYTES; i++) b = once(b, others);
    return b;
  }

  private byte[] once(byte[] b, List<byte[]> others) {
    int n = b.length;
    switch (r.nextInt(12)) {
      case 0 -> {
        if (n == 0) return b;
        b[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
        return b;
      }
      case 1 -> {
        if (n == 0) return b;
        b[r.nextInt(n)] = INTERESTING[r.nextInt(INTERESTING.length)];
        return b;
      }
      case 2 -> {
        if (n == 0) return b;
        b[r.nextInt(n)] = HIGH[r.nextInt(HIGH.length)];
        return b;
      }
      case 3, 4 -> {
        if (n == 0) return b;
        int at = r.nextInt(n);
        int len = Math.min(n - at, 1 + r.nextInt(r.nextBoolean() ? 4 : 64));
        return concat(slice(b, 0, at), slice(b, at + len, n));
      }
      case 5 -> {
        if (n == 0) return b;
        int at = r.nextInt(n);
        int len = Math.min(n - at, 1 + r.nextInt(64));
        int to = r.nextInt(n + 1);
        return concat(slice(b, 0, to), slice(b, at, at + len), slice(b, to, n));
      }
      case 6, 7, 8 -> {
        int to = r.nextInt(n + 1);
        byte[] tok = TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        return concat(slice(b, 0, to), tok, slice(b, to, n));
      }
      case 9 -> {
        if (others.isEmpty()) return b;
        byte[] o = others.get(r.nextInt(others.size()));
        int cut = r.nextInt(n + 1);
        int from = o.length == 0 ? 0 : r.nextInt(o.length);
        return concat(slice(b, 0, cut), slice(o, from, o.length));
      }
      case 10 -> {
        // Re-indent one line: the indentation logic (INDENT/DEDENT, tabs) is easy to get wrong.
        int start = lineStart(b, r.nextInt(n + 1));
        String ws = switch (r.nextInt(5)) {
          case 0 -> "\t";
          case 1 -> "  ";
          case 2 -> "    ";
          case 3 -> " \t";
          default -> "        ";
        };
        return concat(slice(b, 0, start), ws.getBytes(StandardCharsets.US_ASCII), slice(b, start, n));
      }
      default -> {
        // Swap two lines.
        String s = new String(b, StandardCharsets.ISO_8859_1);
        String[] lines = s.split("\n", -1);
        if (lines.length < 2) return b;
        int i = r.nextInt(lines.length);
        int j = r.nextInt(lines.length);
        String t = lines[i];
        lines[i] = lines[j];
        lines[j] = t;
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static int lineStart(byte[] b, int at) {
    int i = Math.min(at, b.length);
    while (i > 0 && b[i - 1] != '\n') i--;
    return i;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    from = Math.max(0, Math.min(from, b.length));
    to = Math.max(from, Math.min(to, b.length));
    byte[] out = new byte[to - from];
    System.arraycopy(b, from, out, 0, out.length);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}

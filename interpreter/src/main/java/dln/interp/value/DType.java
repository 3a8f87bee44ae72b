package dln.interp.value;

/**
 * A tensor's {@code x.dtype}, as NumPy's dtype object: it prints as its name ({@code float32}),
 * shows as {@code dtype('float32')}, and equals its name and NumPy's spellings of it
 * ({@code x.dtype == 'int64'}, {@code x.dtype == np.int64}), which in DLN are plain strings.
 */
public record DType(String name) {
  /** True when a and b name the same dtype, one of them a dtype and the other a dtype or a string. */
  static boolean same(Object a, Object b) {
    return nameOf(a) != null && nameOf(a).equals(nameOf(b));
  }

  private static String nameOf(Object v) {
    if (v instanceof DType d) return d.name;
    return v instanceof String s ? s : null;
  }

  /** NumPy's one-letter kind: b (bool), i (signed int), u (unsigned int), f (float). */
  public String kind() {
    if (name.equals("bool")) return "b";
    if (name.startsWith("uint")) return "u";
    return name.startsWith("int") ? "i" : "f";
  }

  /** Bytes per element, as NumPy's itemsize. */
  public long itemsize() {
    if (name.equals("bool")) return 1;
    String bits = name.replaceAll("[a-z]", "");
    return bits.isEmpty() ? 4 : Long.parseLong(bits) / 8;
  }

  @Override
  public String toString() {
    return name;
  }
}

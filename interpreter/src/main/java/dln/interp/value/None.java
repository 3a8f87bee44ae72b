package dln.interp.value;

/** DLN's none (also spelled None). */
public enum None {
  NONE;

  @Override
  public String toString() {
    return "none";
  }
}

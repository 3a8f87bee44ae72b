package dln.interp.value;

/**
 * Python's {@code ...} (also the builtin name {@code Ellipsis}): in a tensor index it stands for
 * as many full slices as the other indices leave axes, as in NumPy's {@code x[..., 0]}; as a
 * statement it is the placeholder body {@code def f(): ...}.
 */
public enum Ellipsis {
  ELLIPSIS;

  @Override
  public String toString() {
    return "Ellipsis";
  }
}

package dln.interp.value;

import java.util.List;

/** An immutable tuple, e.g. a shape (28, 28, 1) or the pairs mnist() returns. */
public record Tuple(List<Object> items) {
  public Tuple {
    items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
  }

  public static Tuple of(Object... xs) {
    return new Tuple(java.util.Arrays.asList(xs));
  }

  public int size() {
    return items.size();
  }

  public Object get(int i) {
    return items.get(i);
  }
}

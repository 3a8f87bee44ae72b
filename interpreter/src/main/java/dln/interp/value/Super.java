package dln.interp.value;

/**
 * What {@code super()} returns inside a method of class C: attribute lookup starts at C's base and
 * binds to the same self. A base without {@code __init__} (object, Callback, Layer) accepts any.
 */
public record Super(DlnClass cls, Object self) {
  public Object get(String name) {
    Object m = cls.base() == null ? null : cls.base().find(name);
    if (m == null && name.equals("__init__")) return new DlnObject.NoOp("__init__");
    return m == null ? null : DlnObject.bind(self, m);
  }
}

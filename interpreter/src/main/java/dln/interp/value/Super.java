package dln.interp.value;

/**
 * What {@code super()} returns inside a method of class C: attribute lookup starts at C's base and
 * binds to the same self. A base without {@code __init__} (object, Callback, Layer) accepts any.
 */
public record Super(Object cls, Object self) {
  /** {@code cls} is the {@link DlnClass} or user {@link ExceptionType} whose method called super(). */
  public Object get(String name) {
    Object m = null;
    if (cls instanceof DlnClass dc && dc.base() != null) m = dc.base().find(name);
    if (cls instanceof ExceptionType et && et.parent() != null) m = et.parent().find(name);
    if (m == null && name.equals("__init__")) return new DlnObject.NoOp("__init__");
    // A builtin base (keras.Model, keras.layers.Layer) keeps its methods on the runtime peer:
    // super().compile() in an overriding compile reaches the model's own.
    if (m == null && self instanceof DlnObject o && o.peer() != null) return dln.interp.call.TypeTable.getAttr(o.peer(), name);
    return m == null ? null : DlnObject.bind(self, m);
  }
}

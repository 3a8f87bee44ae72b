package dln.interp.call;

/** A method of a value type (e.g. {@code fit} on models): like a builtin, with a receiver. */
public final class Method {
  /** The body of a method. */
  @FunctionalInterface
  public interface Impl<T> {
    Object call(T self, Args args);
  }

  private final String name;
  private final Params params;
  private final String doc;
  private final Impl<Object> impl;

  @SuppressWarnings("unchecked")
  public <T> Method(String name, String params, String doc, Impl<T> impl) {
    this.name = name;
    this.params = Params.parse(params);
    this.doc = doc;
    this.impl = (Impl<Object>) impl;
  }

  public String name() {
    return name;
  }

  public Params params() {
    return params;
  }

  public String doc() {
    return doc;
  }

  Object invoke(Object self, Args args) {
    return impl.call(self, args);
  }
}

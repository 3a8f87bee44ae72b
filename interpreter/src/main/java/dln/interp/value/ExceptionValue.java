package dln.interp.value;


/** An exception object: what {@code ValueError('bad')} makes and {@code except … as e} binds. */
public record ExceptionValue(ExceptionType type, Tuple args) {
  /** str(e): the message, as in Python (one argument as text, several as their tuple). */
  public String message() {
    if (args.size() == 0) return "";
    if (args.size() == 1) return Values.str(args.get(0));
    return Values.repr(args);
  }

  /** repr(e), e.g. {@code ValueError('bad')}. */
  public String repr() {
    if (args.size() == 1) return type.name() + "(" + Values.repr(args.get(0)) + ")";
    return type.name() + Values.repr(args);
  }
}

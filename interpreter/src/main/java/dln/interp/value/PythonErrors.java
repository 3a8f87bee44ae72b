package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.Pos;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Python's exception classes and how DLN's error kinds map onto them, so that pasted code can
 * write {@code except ValueError}: a shape error is a ValueError (as in Keras), an argument error a
 * TypeError, a file error an OSError. Ctrl-C and a host's time limit ("interrupted") are never
 * caught by a handler, so a session can always be stopped.
 */
public final class PythonErrors {
  private static final Map<String, ExceptionType> TYPES = new LinkedHashMap<>();
  private static final Map<String, String> KIND_TO_TYPE = new LinkedHashMap<>();

  static {
    ExceptionType base = add("BaseException", null, "The root of all exception classes.");
    base.setMember("__init__", new BaseInit());
    ExceptionType exc = add("Exception", base, "The base of every catchable error: except Exception catches all of DLN's errors but Ctrl-C.");
    add("KeyboardInterrupt", base, "Ctrl-C or the host cancelled; no handler catches it in DLN.");
    ExceptionType arith = add("ArithmeticError", exc, "Base of ZeroDivisionError and OverflowError.");
    add("ZeroDivisionError", arith, "Division or modulo by zero.");
    add("OverflowError", arith, "A number too large (DLN's integer overflow).");
    ExceptionType lookup = add("LookupError", exc, "Base of IndexError and KeyError.");
    add("IndexError", lookup, "An index out of range.");
    add("KeyError", lookup, "A missing dict key.");
    add("ValueError", exc, "A value of the right type but wrong content; DLN's shape errors are ValueErrors, as in Keras.");
    add("TypeError", exc, "An operation on the wrong type, or a call with wrong arguments.");
    add("NameError", exc, "An undefined name.");
    add("AttributeError", exc, "A missing attribute.");
    add("AssertionError", exc, "An assert statement failed.");
    ExceptionType runtime = add("RuntimeError", exc, "An error of no other kind (training failures among them).");
    add("RecursionError", runtime, "Maximum recursion depth exceeded.");
    add("NotImplementedError", runtime, "Raised by methods meant to be overridden.");
    ExceptionType os = add("OSError", exc, "A file could not be read or written.");
    add("FileNotFoundError", os, "A file that does not exist.");
    add("PermissionError", os, "The sandbox refused a file.");
    add("MemoryError", exc, "Out of memory.");
    add("SyntaxError", exc, "A statement used where it cannot be (break outside a loop…).");
    add("StopIteration", exc, "An iterator has no further items.");

    kind("value error", "ValueError");
    kind("shape error", "ValueError");
    kind("type error", "TypeError");
    kind("argument error", "TypeError");
    kind("name error", "NameError");
    kind("index error", "IndexError");
    kind("key error", "KeyError");
    kind("attribute error", "AttributeError");
    kind("zero division error", "ZeroDivisionError");
    kind("overflow error", "OverflowError");
    kind("recursion error", "RecursionError");
    kind("memory error", "MemoryError");
    kind("file error", "OSError");
    kind("file not found error", "FileNotFoundError");
    kind("sandbox error", "PermissionError");
    kind("syntax error", "SyntaxError");
    kind("assertion error", "AssertionError");
    kind("not implemented error", "NotImplementedError");
    kind("interrupted", "KeyboardInterrupt");
    kind("error", "Exception");
  }

  private PythonErrors() {}

  /** BaseException.__init__(self, *args): what super().__init__(message) in a user class calls. */
  private record BaseInit() implements dln.interp.call.Callable {
    @Override
    public String name() {
      return "__init__";
    }

    @Override
    public Object call(dln.interp.call.Invoker invoker, java.util.List<Object> positional, Map<String, Object> keywords) {
      ExceptionValue self = (ExceptionValue) positional.get(0);
      if (!keywords.isEmpty()) {
        throw DlnException.argument(self.type().name() + "() takes no keyword arguments",
            "define __init__(self, …) in the class to accept keywords");
      }
      self.setArgs(new Tuple(java.util.List.copyOf(positional.subList(1, positional.size()))));
      return None.NONE;
    }
  }

  private static ExceptionType add(String name, ExceptionType parent, String doc) {
    ExceptionType t = new ExceptionType(name, parent, doc);
    TYPES.put(name, t);
    return t;
  }

  private static void kind(String kind, String type) {
    KIND_TO_TYPE.put(kind, type);
  }

  /** Every class by name, for the builtins. */
  public static Map<String, ExceptionType> types() {
    return TYPES;
  }

  /** The class a DLN error kind is caught as; RuntimeError for kinds with no closer match. */
  public static ExceptionType typeOfKind(String kind) {
    String name = KIND_TO_TYPE.get(kind);
    return TYPES.get(name == null ? "RuntimeError" : name);
  }

  /** True for the errors no handler may catch: Ctrl-C and the host's cancel or time limit. */
  public static boolean uncatchable(DlnException e) {
    return e.kind().equals("interrupted");
  }

  /** The exception object a handler binds for a DLN error. */
  public static ExceptionValue valueOf(DlnException e) {
    if (e instanceof Raised r) return r.value();
    return new ExceptionValue(typeOfKind(e.kind()), new Tuple(java.util.List.of(e.getMessage())));
  }

  /**
   * What {@code raise ValueError('bad')} throws: a DLN error that remembers the exception object.
   * Its kind is the class name, so an uncaught one reads as Python's {@code ValueError: bad} (or
   * {@code MyError: boom} for a user subclass), located like every DLN error.
   */
  public static final class Raised extends DlnException {
    private final transient ExceptionValue value;

    public Raised(ExceptionValue value, Pos pos) {
      super(value.type().name(), value.message(), causeHint(value), pos);
      this.value = value;
    }

    /** {@code raise X from Y} shows its cause as Python's "direct cause" does, in one line. */
    private static String causeHint(ExceptionValue value) {
      Object cause = value.attrs().get("__cause__");
      return cause == null || cause == None.NONE ? null : "raised from " + Values.repr(cause);
    }

    public ExceptionValue value() {
      return value;
    }
  }
}

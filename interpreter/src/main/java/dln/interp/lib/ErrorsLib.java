package dln.interp.lib;

import dln.interp.call.TypeTable;
import dln.interp.value.DlnClass;
import dln.interp.value.DlnObject;
import dln.interp.value.ExceptionType;
import dln.interp.value.ExceptionValue;
import dln.interp.value.PythonErrors;

/** Python's exception classes (ValueError, TypeError…) for raise and except, and object and super for classes. */
final class ErrorsLib implements Library {
  @Override
  public void install(Globals g) {
    for (ExceptionType t : PythonErrors.types().values()) {
      g.set(t.name(), t, t.doc() + "\nExample: raise ValueError('units must be positive')");
    }
    g.set("object", new DlnClass("object", null, java.util.Map.of(), null), "The class every class derives from.\nExample: class Point(object): pass");
    g.def("super", "", "Inside a method: the base class's methods bound to self, as in super().__init__().\n"
        + "Example: super().__init__()", a -> {
          throw new dln.interp.DlnException("runtime error", "super() works only inside a method of a class, without arguments",
              "call super().method(...) in a method whose first parameter is self", null);
        });
    TypeTable.define(DlnClass.class, "type").repr(DlnClass::toString);
    TypeTable.define(DlnObject.class, "object").repr(DlnObject::repr);
    TypeTable.define(ExceptionType.class, "type")
        .attr("__name__", ExceptionType::name)
        .repr(ExceptionType::toString);
    TypeTable.define(dln.interp.value.ValueType.class, "type")
        .attr("__name__", dln.interp.value.ValueType::name)
        .repr(dln.interp.value.ValueType::toString);
    TypeTable.define(dln.interp.call.Builtin.class, "function").attr("__name__", dln.interp.call.Builtin::shortName);
    TypeTable.define(ExceptionValue.class, "exception")
        .attr("args", ExceptionValue::args)
        .repr(ExceptionValue::repr);
  }
}

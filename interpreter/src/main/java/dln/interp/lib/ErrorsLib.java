package dln.interp.lib;

import dln.interp.call.TypeTable;
import dln.interp.value.ExceptionType;
import dln.interp.value.ExceptionValue;
import dln.interp.value.PythonErrors;

/** Python's exception classes as builtins (ValueError, TypeError…), for raise and except. */
final class ErrorsLib implements Library {
  @Override
  public void install(Globals g) {
    for (ExceptionType t : PythonErrors.types().values()) {
      g.set(t.name(), t, t.doc() + "\nExample: raise ValueError('units must be positive')");
    }
    TypeTable.define(ExceptionType.class, "type")
        .attr("__name__", ExceptionType::name)
        .repr(ExceptionType::toString);
    TypeTable.define(ExceptionValue.class, "exception")
        .attr("args", ExceptionValue::args)
        .repr(ExceptionValue::repr);
  }
}

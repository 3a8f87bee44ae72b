package dln.interp.lib;

import dln.Dln;
import dln.interp.DlnException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A script run in a fresh interpreter as a user runs it: what it printed (a DLN error printed as
 * the user sees it, located in {@code test.dln}), and the interpreter, for its variables.
 */
record ScriptRun(Dln dln, String output) {
  /** Runs code in an interpreter made by {@code builder} (sandbox, seed), its output and errors captured. */
  static ScriptRun of(String code, Dln.Builder builder) {
    StringWriter buf = new StringWriter();
    PrintWriter w = new PrintWriter(buf, true);
    Dln dln = builder.out(w).err(w).build();
    try {
      dln.eval(code, "test.dln");
    } catch (DlnException e) {
      w.println(e.format());
    }
    w.flush();
    return new ScriptRun(dln, buf.toString());
  }

  /** A variable of the script. */
  Object get(String name) {
    return dln.get(name);
  }

  /** A tensor variable of the script. */
  INDArray tensor(String name) {
    return (INDArray) dln.get(name);
  }

  /** A tensor variable's shape. */
  long[] shape(String name) {
    return tensor(name).shape();
  }
}

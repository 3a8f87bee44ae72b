package dln.interp;

import dln.interp.ast.Expr;
import dln.interp.ast.Stmt;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.nn.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A function defined with {@code def} or {@code lambda}, closing over the scope it was made in. */
public final class UserFunction implements Callable {
  private final String name;
  private final List<Expr.Param> params;
  private final List<Object> defaults;
  private final List<Stmt> body;
  private final Expr lambdaBody;
  private final Scope closure;
  private final Interpreter interpreter;
  private final String doc;
  private final Pos pos;

  UserFunction(String name, List<Expr.Param> params, List<Object> defaults, List<Stmt> body, Expr lambdaBody,
      Scope closure, Interpreter interpreter, String doc, Pos pos) {
    this.name = name;
    this.params = params;
    this.defaults = defaults;
    this.body = body;
    this.lambdaBody = lambdaBody;
    this.closure = closure;
    this.interpreter = interpreter;
    this.doc = doc;
    this.pos = pos;
  }

  @Override
  public String name() {
    return name;
  }

  public String doc() {
    return doc;
  }

  public Pos pos() {
    return pos;
  }

  /** Names that can be passed as keywords (not *args/**kwargs), for completion inside a call. */
  public List<String> keywordNames() {
    List<String> out = new ArrayList<>();
    for (Expr.Param p : params) if (p.kind() == Expr.ParamKind.NORMAL) out.add(p.name());
    return out;
  }

  /** "name(a, b=…, *rest)" for help. */
  public String signature() {
    List<String> ps = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Expr.Param p = params.get(i);
      switch (p.kind()) {
        case VARARGS -> ps.add("*" + p.name());
        case VARKW -> ps.add("**" + p.name());
        default -> ps.add(defaults.get(i) == null ? p.name() : p.name() + "=" + Values.repr(defaults.get(i)));
      }
    }
    return name + "(" + String.join(", ", ps) + ")";
  }

  @Override
  public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    Scope scope = new Scope(closure);
    bind(scope, positional, keywords);
    return interpreter.runFunction(this, scope, body, lambdaBody);
  }

  private void bind(Scope scope, List<Object> positional, Map<String, Object> keywords) {
    int next = 0;
    Expr.Param varargs = null;
    Expr.Param varkw = null;
    List<Expr.Param> normal = new ArrayList<>();
    for (Expr.Param p : params) {
      if (p.kind() == Expr.ParamKind.VARARGS) varargs = p;
      else if (p.kind() == Expr.ParamKind.VARKW) varkw = p;
      else normal.add(p);
    }
    for (; next < positional.size() && next < normal.size(); next++) {
      scope.define(normal.get(next).name(), positional.get(next));
    }
    if (next < positional.size()) {
      if (varargs == null) {
        throw DlnException.argument(name + "() takes " + normal.size() + " positional argument"
            + (normal.size() == 1 ? "" : "s") + " but " + positional.size() + " were given");
      }
      scope.define(varargs.name(), new Tuple(positional.subList(next, positional.size())));
    } else if (varargs != null) {
      scope.define(varargs.name(), new Tuple(List.of()));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : keywords.entrySet()) {
      Expr.Param match = null;
      for (Expr.Param p : normal) if (p.name().equals(e.getKey())) match = p;
      if (match == null) {
        if (varkw != null) {
          extra.put(e.getKey(), e.getValue());
          continue;
        }
        List<String> names = new ArrayList<>();
        for (Expr.Param p : normal) names.add(p.name());
        String close = Names.closest(e.getKey(), names);
        throw DlnException.argument(name + "() got an unexpected keyword argument '" + e.getKey() + "'",
            close != null ? "did you mean '" + close + "'?"
                : names.isEmpty() ? null : "it accepts: " + String.join(", ", names));
      }
      if (scope.vars().containsKey(match.name())) {
        throw DlnException.argument(name + "() got multiple values for argument '" + match.name() + "'");
      }
      scope.define(match.name(), e.getValue());
    }
    if (varkw != null) {
      Map<Object, Object> kw = new LinkedHashMap<>(extra);
      scope.define(varkw.name(), kw);
    }
    for (int i = 0; i < params.size(); i++) {
      Expr.Param p = params.get(i);
      if (p.kind() != Expr.ParamKind.NORMAL || scope.vars().containsKey(p.name())) continue;
      Object d = defaults.get(i);
      if (d == null) throw DlnException.argument(name + "() missing required argument '" + p.name() + "'");
      scope.define(p.name(), d);
    }
  }

  @Override
  public String toString() {
    return "<function " + name + ">";
  }
}

package dln.interp;

import dln.interp.ast.Expr;
import dln.interp.ast.Stmt;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.call.TypeTable;
import dln.interp.lib.Globals;
import dln.interp.lib.Libraries;
import dln.interp.parse.Parsing;
import dln.interp.sandbox.ResourceLimits;
import dln.interp.sandbox.Sandbox;
import dln.interp.value.Attributes;
import dln.interp.value.DlnClass;
import dln.interp.value.ExceptionType;
import dln.interp.value.Super;
import dln.interp.value.ExceptionValue;
import dln.interp.value.PythonErrors;
import dln.interp.value.Items;
import dln.interp.value.Iteration;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.NativeMemory;
import dln.runtime.nn.Names;
import dln.runtime.tensor.Slice;
import dln.runtime.tensor.TensorOps;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree-walking evaluator. One instance is one independent DLN session: its own globals,
 * output streams and cancellation flag, so several can run on different threads.
 */
public final class Interpreter implements Invoker {
  /** Settings for a new interpreter. */
  public record Options(PrintWriter out, PrintWriter err, boolean interactive, int maxDepth) {
    public static Options defaults(PrintWriter out, PrintWriter err) {
      return new Options(out, err, false, 1000);
    }
  }

  private final Options options;
  private final Globals builtins;
  private final Scope builtinScope;
  private final Imports imports;
  private Scope globals;
  private volatile boolean cancel;
  private int depth;
  private volatile Sandbox sandbox = Sandbox.unrestricted();
  private volatile ResourceLimits limits = ResourceLimits.defaults();

  public Interpreter(Options options) {
    this.options = options;
    this.builtins = Libraries.createGlobals();
    this.builtinScope = new Scope(null);
    builtins.values().forEach(builtinScope::define);
    this.globals = new Scope(builtinScope);
    this.imports = new Imports(builtins.modules());
  }

  public Globals builtins() {
    return builtins;
  }

  /** The user's global variables (not the builtins). */
  public Scope globals() {
    return globals;
  }

  /** Forgets every user variable (the REPL's :reset). */
  public void reset() {
    globals = new Scope(builtinScope);
  }

  /** Parses and runs a whole source; returns the value of a final expression statement, else none. */
  public Object run(Source source) {
    return run(Parsing.parse(source));
  }

  /** Runs already-parsed statements (parse once, run many). */
  public Object run(List<Stmt> program) {
    cancel = false;
    depth = 0;
    handling.clear();
    Object last = None.NONE;
    for (Stmt s : program) {
      last = None.NONE;
      if (s instanceof Stmt.ExprStmt es) {
        last = guarded(es.pos(), () -> eval(es.expr(), globals));
      } else {
        guarded(s.pos(), () -> {
          exec(s, globals);
          return null;
        });
      }
    }
    return last;
  }

  /**
   * Calls a DLN function (or any callable) on behalf of the embedding host: like {@link #run} it
   * clears a stale cancellation and turns every failure into a located DlnException.
   */
  public Object callFromHost(Object callee, List<Object> positional, Map<String, Object> keywords) {
    cancel = false;
    depth = 0;
    return guarded(null, () -> call(callee, positional, keywords));
  }

  /** Adds a builtin (a host function): it survives {@link #reset()} like the standard ones. */
  public void defineBuiltin(String name, Object value) {
    builtins.set(name, value, null);
    builtinScope.define(name, value);
  }

  /** Sets the files scripts may touch (the CLI keeps the default, unrestricted). */
  public void setSandbox(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /** Sets the size limits (default {@link ResourceLimits#defaults()}). */
  public void setLimits(ResourceLimits limits) {
    this.limits = limits;
  }

  private final Map<String, Scope> modules = new java.util.HashMap<>();
  /** Set by a notebook front end; read by the drawing builtins on the evaluating thread. */
  private volatile dln.interp.call.RichDisplay display;

  /**
   * Runs library source (the model zoo) once per interpreter, in its own scope next to the builtins,
   * and returns that scope; later calls return the cached scope.
   */
  public Scope module(String name, java.util.function.Supplier<Source> source) {
    Scope cached = modules.get(name);
    if (cached != null) return cached;
    Scope scope = new Scope(builtinScope);
    for (Stmt s : Parsing.parse(source.get())) {
      try {
        exec(s, scope);
      } catch (DlnException e) {
        throw e.at(s.pos());
      }
    }
    modules.put(name, scope);
    return scope;
  }

  /** The texts the REPL's :help shows (dln.cli), which help(x) prints; the value's repr until set. */
  private java.util.function.Function<Object, String> help = Values::repr;

  /** Makes help(x) print what the front end's :help shows for x. */
  public void setHelp(java.util.function.Function<Object, String> help) {
    this.help = help;
  }

  /** The help text of a value, for the builtin help(x). */
  public String helpText(Object value) {
    return help.apply(value);
  }

  /** Asks the running program to stop at the next check (Ctrl-C, host cancel, timeout). */
  public void cancel() {
    cancel = true;
  }

  private interface Action {
    Object run();
  }

  /** Runs one top-level statement, turning every failure into a located DlnException. */
  private Object guarded(Pos pos, Action action) {
    try {
      return action.run();
    } catch (ControlFlow c) {
      throw new DlnException("syntax error", c.describe() + " outside " + (c instanceof ReturnSignal ? "a function" : "a loop"), null, c.pos);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw Failures.located(e, pos);
    }
  }

  // ------------------------------------------------------------------------------------ statements

  private void exec(Stmt s, Scope scope) {
    if (s instanceof Stmt.ExprStmt es) eval(es.expr(), scope);
    else if (s instanceof Stmt.Assign a) execAssign(a, scope);
    else if (s instanceof Stmt.AugAssign a) execAugAssign(a, scope);
    else if (s instanceof Stmt.If i) execIf(i, scope);
    else if (s instanceof Stmt.For f) execFor(f, scope);
    else if (s instanceof Stmt.While w) execWhile(w, scope);
    else if (s instanceof Stmt.Def d) scope.define(d.name(), function(d.name(), d.params(), d.body(), null, scope, d.doc(), d.pos()));
    else if (s instanceof Stmt.Return r) throw new ReturnSignal(r.value() == null ? None.NONE : eval(r.value(), scope), r.pos());
    else if (s instanceof Stmt.Break b) throw new BreakSignal(b.pos());
    else if (s instanceof Stmt.Continue c) throw new ContinueSignal(c.pos());
    else if (s instanceof Stmt.Import i) imports.run(i, scope);
    else if (s instanceof Stmt.FromImport f) imports.run(f, scope);
    else if (s instanceof Stmt.Try t) execTry(t, scope);
    else if (s instanceof Stmt.ClassDef c) scope.define(c.name(), classDef(c, scope));
    else if (s instanceof Stmt.With w) execWith(w, 0, scope);
    else if (s instanceof Stmt.Decorated d) execDecorated(d, scope);
    else if (s instanceof Stmt.Raise r) throw raise(r, scope);
    else if (s instanceof Stmt.Assert a) execAssert(a, scope);
    else if (s instanceof Stmt.Declare d) declare(d, scope);
    else if (s instanceof Stmt.Del d) for (Expr t : d.targets()) delete(t, scope);
    else if (!(s instanceof Stmt.Pass)) throw new IllegalStateException("unknown statement " + s);
  }

  private void execBlock(List<Stmt> body, Scope scope) {
    for (Stmt s : body) {
      try {
        exec(s, scope);
      } catch (DlnException e) {
        throw e.at(s.pos());
      }
    }
  }

  // ---------------------------------------------------------------------------- class, with

  /**
   * Runs a class body in its own scope and makes its variables the class's members. The body's
   * scope sits inside one that holds {@code __class__}, which {@code super()} reads. A class derived
   * from an exception class is itself an exception class, so that {@code raise} and {@code except} take it.
   */
  private Object classDef(Stmt.ClassDef c, Scope scope) {
    Object base = null;
    if (!c.bases().isEmpty()) {
      base = eval(c.bases().get(0), scope);
      if (!(base instanceof DlnClass) && !(base instanceof ExceptionType)) {
        throw new DlnException("type error", "a class can only derive from a class, got " + Values.typeName(base),
            null, c.bases().get(0).pos());
      }
    }
    Scope cell = new Scope(scope);
    Scope body = new Scope(cell);
    execBlock(c.body(), body);
    Object cls = base instanceof ExceptionType et ? ExceptionType.subclass(c.name(), et, body.vars(), c.doc())
        : new DlnClass(c.name(), (DlnClass) base, body.vars(), c.doc());
    cell.define("__class__", cls);
    return cls;
  }

  /** Decorators are evaluated first (as Python does), then applied to the definition innermost first. */
  private void execDecorated(Stmt.Decorated d, Scope scope) {
    List<Object> decorators = new ArrayList<>();
    for (Expr e : d.decorators()) decorators.add(eval(e, scope));
    exec(d.definition(), scope);
    Object value = scope.lookup(d.name());
    for (int i = decorators.size() - 1; i >= 0; i--) {
      Object dec = decorators.get(i);
      if (dec instanceof Callable || TypeTable.callable(dec) != null) {
        try {
          value = call(dec, List.of(value), Map.of());
        } catch (DlnException e) {
          throw e.at(d.decorators().get(i).pos());
        }
      } else {
        throw new DlnException("type error", "a decorator must be callable, got " + Values.typeName(dec),
            "e.g. @property or @tf.function", d.decorators().get(i).pos());
      }
    }
    scope.define(d.name(), value);
  }

  /** {@code super()} in a method: the class that defines it and the method's self. */
  private Object superOf(Expr.Call c, Scope scope) {
    Object cls = scope.lookup("__class__");
    Object self = scope.lookup("self");
    if (!(cls instanceof DlnClass || cls instanceof ExceptionType) || self == null) {
      throw new DlnException("runtime error", "super() works only inside a method of a class",
          "call it in a method whose first parameter is self", c.pos());
    }
    return new Super(cls, self);
  }

  private void execWith(Stmt.With w, int item, Scope scope) {
    if (item == w.contexts().size()) {
      execBlock(w.body(), scope);
      return;
    }
    Expr ctxExpr = w.contexts().get(item);
    Object manager = eval(ctxExpr, scope);
    Object exit;
    Object entered;
    try {
      entered = call(Attributes.get(manager, "__enter__"), List.of(), Map.of());
      exit = Attributes.get(manager, "__exit__");
    } catch (DlnException e) {
      if (e.kind().equals("attribute error")) {
        throw new DlnException("type error", Values.typeName(manager) + " is not a context manager",
            "with needs an object with __enter__ and __exit__ methods", ctxExpr.pos());
      }
      throw e.at(ctxExpr.pos());
    }
    if (w.targets().get(item) != null) assign(w.targets().get(item), entered, scope);
    try {
      execWith(w, item + 1, scope);
    } catch (ControlFlow cf) {
      call(exit, List.of(None.NONE, None.NONE, None.NONE), Map.of());
      throw cf;
    } catch (RuntimeException | StackOverflowError e) {
      DlnException error = Failures.located(e, w.pos());
      if (PythonErrors.uncatchable(error)) throw error;
      ExceptionValue value = PythonErrors.valueOf(error);
      Object suppress = call(exit, List.of(value.type(), value, None.NONE), Map.of());
      if (!Values.truthy(suppress)) throw error;
      return;
    }
    call(exit, List.of(None.NONE, None.NONE, None.NONE), Map.of());
  }

  // ------------------------------------------------------------------ try, raise, assert, del

  /** The errors being handled, innermost first: what a bare {@code raise} re-raises. */
  private final ArrayDeque<DlnException> handling = new ArrayDeque<>();

  private void execTry(Stmt.Try t, Scope scope) {
    try {
      boolean caught = false;
      try {
        execBlock(t.body(), scope);
      } catch (ControlFlow cf) {
        throw cf;
      } catch (RuntimeException | StackOverflowError e) {
        DlnException error = Failures.located(e, t.pos());
        if (PythonErrors.uncatchable(error)) throw error;
        Stmt.Handler h = handlerFor(t.handlers(), error, scope);
        if (h == null) throw error;
        caught = true;
        handling.push(error);
        try {
          if (h.name() != null) scope.define(h.name(), PythonErrors.valueOf(error));
          execBlock(h.body(), scope);
        } finally {
          handling.pop();
        }
      }
      if (!caught) execBlock(t.otherwise(), scope);
    } finally {
      execBlock(t.finalBody(), scope);
    }
  }

  /** The first handler whose class (or tuple of classes) the error is an instance of, or null. */
  private Stmt.Handler handlerFor(List<Stmt.Handler> handlers, DlnException error, Scope scope) {
    ExceptionValue value = PythonErrors.valueOf(error);
    for (Stmt.Handler h : handlers) {
      if (h.type() == null) return h;
      Object want = eval(h.type(), scope);
      List<?> classes = want instanceof Tuple tu ? tu.items() : List.of(want);
      for (Object c : classes) {
        if (!(c instanceof ExceptionType et)) {
          throw new DlnException("type error", "except needs an exception class, got " + Values.typeName(c),
              "catch a class such as ValueError, TypeError or Exception", h.type().pos());
        }
        if (value.type().isSubclassOf(et)) return h;
      }
    }
    return null;
  }

  private DlnException raise(Stmt.Raise r, Scope scope) {
    if (r.exception() == null) {
      if (handling.isEmpty()) {
        return new DlnException("runtime error", "no active exception to re-raise", "a bare raise belongs in an except block", r.pos());
      }
      return handling.peek();
    }
    Object v = eval(r.exception(), scope);
    if (v instanceof ExceptionType et) v = et.call(this, List.of(), Map.of());
    if (!(v instanceof ExceptionValue ev)) {
      return new DlnException("type error", "exceptions must derive from BaseException, got " + Values.typeName(v),
          "raise an exception object, e.g. raise ValueError('units must be positive')", r.exception().pos());
    }
    if (r.cause() != null) {
      Object cause = eval(r.cause(), scope);
      if (cause instanceof ExceptionType ct) cause = ct.call(this, List.of(), Map.of());
      if (!(cause instanceof ExceptionValue) && cause != None.NONE) {
        return new DlnException("type error", "exception causes must derive from BaseException, got " + Values.typeName(cause),
            "write raise NewError('…') from e, with e the exception being handled", r.cause().pos());
      }
      ev.attrs().put("__cause__", cause);
    }
    return new PythonErrors.Raised(ev, r.pos());
  }

  private void execAssert(Stmt.Assert a, Scope scope) {
    if (truthy(a.test(), scope)) return;
    String message = a.message() == null ? "assertion failed" : Values.str(eval(a.message(), scope));
    throw new DlnException("assertion error", message, null, a.pos());
  }

  private void declare(Stmt.Declare d, Scope scope) {
    for (String name : d.names()) {
      if (d.global()) {
        scope.declare(name, scope.moduleScope());
        continue;
      }
      Scope owner = scope.enclosingBinding(name);
      if (owner == null) {
        throw new DlnException("syntax error", "no binding for nonlocal '" + name + "' found",
            "nonlocal names a variable of an enclosing function; use global for a module variable", d.pos());
      }
      scope.declare(name, owner);
    }
  }

  private void delete(Expr target, Scope scope) {
    if (target instanceof Expr.Name n) {
      if (!scope.remove(n.name())) {
        throw new DlnException("name error", "name '" + n.name() + "' is not defined", null, n.pos());
      }
    } else if (target instanceof Expr.TupleExpr t) {
      for (Expr x : t.items()) delete(x, scope);
    } else if (target instanceof Expr.Index ix) {
      Object obj = eval(ix.object(), scope);
      List<Object> subs = subscripts(ix, scope);
      try {
        Items.delete(obj, subs);
      } catch (RuntimeException e) {
        throw Failures.located(e, ix.pos());
      }
    } else {
      throw new DlnException("type error", "cannot delete this", "del removes names (del x), list items (del xs[0]) "
          + "and dict entries (del d['k'])", target.pos());
    }
  }

  private void execAssign(Stmt.Assign a, Scope scope) {
    if (a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n && a.value() instanceof Expr.Binary b) {
      assignOperatorResult(n.name(), b, scope);
      return;
    }
    Object v = eval(a.value(), scope);
    for (Expr t : a.targets()) assign(t, v, scope);
  }

  /**
   * {@code name = x op y}. A tensor the operator makes is bound as the name's sole value (see
   * {@link Scope#defineSole}); when the name already holds such a tensor, still unread, of the
   * result's dtype and shape, the operator writes into it instead of a fresh buffer: what
   * PyTorch's reference counting gives, since the fresh pages of a new 1 MB result cost more than
   * the add (issue 15). The operands are evaluated first, so an operand that reads the name drops
   * the mark in time; a bare name as operand is only read by the operator, which keeps nothing.
   */
  private void assignOperatorResult(String name, Expr.Binary b, Scope scope) {
    Object left = operand(b.left(), scope);
    Object right = operand(b.right(), scope);
    Object v = null;
    Object sole = scope.soleValue(name);
    if (sole != null) {
      try {
        if (TensorOps.binaryInto(b.op(), left, right, sole)) v = sole;
      } catch (RuntimeException e) {
        throw Failures.inOperator(b.op(), e, b.pos());
      }
    }
    if (v == null) v = binary(b.op(), left, right, b.pos());
    boolean made = TensorOps.isEager(v) && v != left && v != right && TensorOps.isEagerOrNumber(left)
        && TensorOps.isEagerOrNumber(right);
    if (made) scope.defineSole(name, v);
    else scope.define(name, v);
  }

  /** An operand of {@link #assignOperatorResult}: a bare name is looked up without dropping its sole mark. */
  private Object operand(Expr e, Scope scope) {
    if (e instanceof Expr.Name n) {
      Object v = scope.lookupOperand(n.name());
      if (v != null) return v;
    }
    return eval(e, scope);
  }

  private void execAugAssign(Stmt.AugAssign a, Scope scope) {
    Object current = eval(a.target(), scope);
    Object rhs = eval(a.value(), scope);
    // Lists grow in place, like Python's list +=.
    if (a.op().equals("+") && current instanceof List<?> l && rhs instanceof List<?> r) {
      @SuppressWarnings("unchecked")
      List<Object> target = (List<Object>) l;
      target.addAll(r);
      return;
    }
    assign(a.target(), binary(a.op(), current, rhs, a.pos()), scope);
  }

  private void execIf(Stmt.If i, Scope scope) {
    for (int k = 0; k < i.tests().size(); k++) {
      if (truthy(i.tests().get(k), scope)) {
        execBlock(i.bodies().get(k), scope);
        return;
      }
    }
    execBlock(i.otherwise(), scope);
  }

  private void execFor(Stmt.For f, Scope scope) {
    Iterator<?> it = iterate(eval(f.iterable(), scope), f.iterable().pos());
    while (it.hasNext()) {
      checkCancelled();
      NativeMemory.poll();
      assign(f.target(), it.next(), scope);
      if (!loopBody(f.body(), scope)) break;
    }
  }

  private void execWhile(Stmt.While w, Scope scope) {
    while (truthy(w.test(), scope)) {
      checkCancelled();
      NativeMemory.poll();
      if (!loopBody(w.body(), scope)) break;
    }
  }

  /** Runs a loop body once; false when it ran 'break'. */
  private boolean loopBody(List<Stmt> body, Scope scope) {
    try {
      execBlock(body, scope);
    } catch (BreakSignal b) {
      return false;
    } catch (ContinueSignal c) {
      // next iteration
    }
    return true;
  }

  private void assign(Expr target, Object value, Scope scope) {
    if (target instanceof Expr.Name n) {
      scope.define(n.name(), value);
    } else if (target instanceof Expr.TupleExpr t) {
      unpack(t.items(), value, target.pos(), scope);
    } else if (target instanceof Expr.ListExpr l) {
      unpack(l.items(), value, target.pos(), scope);
    } else if (target instanceof Expr.Attr a) {
      Object obj = eval(a.object(), scope);
      try {
        Attributes.set(obj, a.name(), value);
      } catch (RuntimeException e) {
        throw Failures.located(e, a.pos());
      }
    } else if (target instanceof Expr.Index ix) {
      Object obj = eval(ix.object(), scope);
      List<Object> subs = subscripts(ix, scope);
      try {
        Items.set(obj, subs, value);
      } catch (RuntimeException e) {
        throw Failures.located(e, ix.pos());
      }
    } else {
      throw new DlnException("syntax error", "cannot assign to this expression", null, target.pos());
    }
  }

  private void unpack(List<Expr> targets, Object value, Pos pos, Scope scope) {
    List<Object> values = new ArrayList<>();
    Iterator<?> it = iterate(value, pos);
    while (it.hasNext()) values.add(it.next());
    if (values.size() != targets.size()) {
      throw new DlnException("value error", (values.size() < targets.size() ? "not enough" : "too many")
          + " values to unpack (expected " + targets.size() + ", got " + values.size() + ")", null, pos);
    }
    for (int i = 0; i < targets.size(); i++) assign(targets.get(i), values.get(i), scope);
  }

  // ------------------------------------------------------------------------------------- functions

  private UserFunction function(String name, List<Expr.Param> params, List<Stmt> body, Expr lambdaBody, Scope scope,
      String doc, Pos pos) {
    List<Object> defaults = new ArrayList<>();
    for (Expr.Param p : params) defaults.add(p.dflt() == null ? null : eval(p.dflt(), scope));
    return new UserFunction(name, params, defaults, body, lambdaBody, scope, this, doc, pos);
  }

  /** Called by {@link UserFunction}: runs a body in its fresh scope and returns its result. */
  Object runFunction(UserFunction fn, Scope scope, List<Stmt> body, Expr lambdaBody) {
    if (++depth > options.maxDepth()) {
      depth = 0;
      throw new DlnException("recursion error", "maximum recursion depth (" + options.maxDepth() + ") exceeded in "
          + fn.name() + "()", "check that the recursion has a base case", null);
    }
    try {
      if (lambdaBody != null) return eval(lambdaBody, scope);
      try {
        execBlock(body, scope);
      } catch (ReturnSignal r) {
        return r.value;
      } catch (BreakSignal | ContinueSignal c) {
        throw new DlnException("syntax error", c.describe() + " outside a loop", null, c.pos);
      }
      return None.NONE;
    } catch (DlnException e) {
      // For the traceback: the error was raised inside fn; the call site adds itself in invoke().
      throw e.leaving(fn.name());
    } finally {
      depth = Math.max(0, depth - 1);
    }
  }

  // ----------------------------------------------------------------------------------- expressions

  Object eval(Expr e, Scope scope) {
    if (e instanceof Expr.Literal l) return l.value();
    if (e instanceof Expr.Name n) return lookup(n, scope);
    if (e instanceof Expr.Call c) return call(c, scope);
    if (e instanceof Expr.Attr a) return attr(a, scope);
    if (e instanceof Expr.Binary b) return binaryChain(b, scope);
    if (e instanceof Expr.Index ix) return index(ix, scope);
    if (e instanceof Expr.ListExpr l) return evalAll(l.items(), scope);
    if (e instanceof Expr.ListComp lc) return listComp(lc, scope);
    if (e instanceof Expr.TupleExpr t) return new Tuple(evalAll(t.items(), scope));
    if (e instanceof Expr.DictExpr d) return dict(d, scope);
    if (e instanceof Expr.Unary u) return unary(u, scope);
    if (e instanceof Expr.Not n) return !truthy(n.operand(), scope);
    if (e instanceof Expr.Logical l) return logical(l, scope);
    if (e instanceof Expr.Compare c) return compare(c, scope);
    if (e instanceof Expr.Conditional c) return truthy(c.test(), scope) ? eval(c.then(), scope) : eval(c.otherwise(), scope);
    if (e instanceof Expr.Lambda l) return function("<lambda>", l.params(), null, l.body(), scope, null, l.pos());
    if (e instanceof Expr.Chain c) return chain(c, scope);
    if (e instanceof Expr.FString f) return fstring(f, scope);
    if (e instanceof Expr.DictComp dc) return dictComp(dc, scope);
    if (e instanceof Expr.SliceExpr s) {
      throw new DlnException("syntax error", "a slice (a:b) can only appear inside [ ]", null, s.pos());
    }
    throw new IllegalStateException("unknown expression " + e);
  }

  private Object lookup(Expr.Name n, Scope scope) {
    Object v = scope.lookup(n.name());
    if (v != null) return v;
    // Locals first, then the enclosing functions, the globals and the builtins: the nearest wins a tie.
    List<String> names = new ArrayList<>();
    for (Scope s = scope; s != null; s = s.parent()) names.addAll(s.vars().keySet());
    String close = Names.closest(n.name(), names);
    throw new DlnException("name error", "name '" + n.name() + "' is not defined",
        close != null ? "did you mean '" + close + "'?" : null, n.pos());
  }

  private Object attr(Expr.Attr a, Scope scope) {
    Object obj = eval(a.object(), scope);
    try {
      return Attributes.get(obj, a.name());
    } catch (RuntimeException e) {
      throw Failures.located(e, a.pos());
    }
  }

  /**
   * A binary operator. A left-associative chain ({@code 1 + 1 + … + 1}) is a tree as deep as the
   * chain is long, so its left spine is walked in a loop: 250,000 terms must not overflow the stack
   * and be reported as runaway recursion.
   */
  private Object binaryChain(Expr.Binary top, Scope scope) {
    ArrayDeque<Expr.Binary> spine = new ArrayDeque<>();
    Expr leftmost = top;
    while (leftmost instanceof Expr.Binary b) {
      spine.push(b);
      leftmost = b.left();
    }
    Object acc = eval(leftmost, scope);
    while (!spine.isEmpty()) {
      Expr.Binary b = spine.pop();
      acc = binary(b.op(), acc, eval(b.right(), scope), b.pos());
    }
    return acc;
  }

  private static Object binary(String op, Object left, Object right, Pos pos) {
    try {
      return Operators.binary(op, left, right);
    } catch (RuntimeException e) {
      throw Failures.inOperator(op, e, pos);
    }
  }

  private Object index(Expr.Index ix, Scope scope) {
    Object obj = eval(ix.object(), scope);
    List<Object> subs = subscripts(ix, scope);
    try {
      return Items.get(this, obj, subs);
    } catch (RuntimeException e) {
      throw Failures.located(e, ix.pos());
    }
  }

  private List<Object> subscripts(Expr.Index ix, Scope scope) {
    List<Object> out = new ArrayList<>();
    for (Expr s : ix.subscripts()) {
      if (s instanceof Expr.SliceExpr sl) {
        out.add(new Slice(sliceBound(sl.start(), scope), sliceBound(sl.stop(), scope), sliceBound(sl.step(), scope)));
      } else {
        out.add(eval(s, scope));
      }
    }
    return out;
  }

  private Long sliceBound(Expr e, Scope scope) {
    if (e == null) return null;
    Object v = eval(e, scope);
    if (v == None.NONE) return null;
    if (v instanceof Long l) return l;
    throw new DlnException("type error", "slice bounds must be ints, got " + Values.typeName(v), null, e.pos());
  }

  private List<Object> evalAll(List<Expr> items, Scope scope) {
    List<Object> out = new ArrayList<>(items.size());
    for (Expr x : items) out.add(eval(x, scope));
    return out;
  }

  private List<Object> listComp(Expr.ListComp lc, Scope scope) {
    // The loop variable lives in its own scope, as in Python 3.
    Scope inner = new Scope(scope);
    List<Object> out = new ArrayList<>();
    Iterator<?> it = iterate(eval(lc.iterable(), scope), lc.iterable().pos());
    while (it.hasNext()) {
      checkCancelled();
      assign(lc.target(), it.next(), inner);
      if (lc.condition() == null || truthy(lc.condition(), inner)) out.add(eval(lc.element(), inner));
    }
    return out;
  }

  private Map<Object, Object> dictComp(Expr.DictComp dc, Scope scope) {
    Scope inner = new Scope(scope);
    Map<Object, Object> out = new LinkedHashMap<>();
    Iterator<?> it = iterate(eval(dc.iterable(), scope), dc.iterable().pos());
    while (it.hasNext()) {
      checkCancelled();
      assign(dc.target(), it.next(), inner);
      if (dc.condition() != null && !truthy(dc.condition(), inner)) continue;
      Object k = eval(dc.key(), inner);
      try {
        out.put(Items.key(k), eval(dc.value(), inner));
      } catch (DlnException ex) {
        throw ex.at(dc.key().pos());
      }
    }
    return out;
  }

  private String fstring(Expr.FString f, Scope scope) {
    StringBuilder sb = new StringBuilder();
    for (Expr part : f.parts()) {
      if (part instanceof Expr.Literal l) {
        sb.append((String) l.value());
      } else if (part instanceof Expr.FString nested) {
        sb.append(fstring(nested, scope));
      } else {
        Expr.FormatField field = (Expr.FormatField) part;
        Object v = eval(field.value(), scope);
        if (field.conv() == 'r' || field.conv() == 'a') v = Values.repr(v);
        else if (field.conv() == 's') v = Values.str(v);
        String spec = field.spec() == null ? "" : fstring((Expr.FString) field.spec(), scope);
        try {
          sb.append(Formatting.spec(v, spec));
        } catch (RuntimeException ex) {
          throw Failures.located(ex, field.pos());
        }
      }
    }
    return sb.toString();
  }

  private Map<Object, Object> dict(Expr.DictExpr d, Scope scope) {
    Map<Object, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < d.keys().size(); i++) {
      Object k = eval(d.keys().get(i), scope);
      try {
        out.put(Items.key(k), eval(d.values().get(i), scope));
      } catch (DlnException ex) {
        throw ex.at(d.keys().get(i).pos());
      }
    }
    return out;
  }

  private Object unary(Expr.Unary u, Scope scope) {
    Object v = eval(u.operand(), scope);
    try {
      return u.op().equals("+") ? Operators.plus(v) : Operators.negate(v);
    } catch (DlnException ex) {
      throw ex.at(u.pos());
    }
  }

  private Object logical(Expr.Logical l, Scope scope) {
    Object left = eval(l.left(), scope);
    boolean t = truthy(left, l.pos());
    if (l.op().equals("and")) return t ? eval(l.right(), scope) : left;
    return t ? left : eval(l.right(), scope);
  }

  private boolean truthy(Expr e, Scope scope) {
    return truthy(eval(e, scope), e.pos());
  }

  private static boolean truthy(Object v, Pos pos) {
    try {
      return Values.truthy(v);
    } catch (DlnException ex) {
      throw ex.at(pos);
    }
  }

  private Object compare(Expr.Compare c, Scope scope) {
    Object left = eval(c.operands().get(0), scope);
    Object result = Boolean.TRUE;
    for (int i = 0; i < c.ops().size(); i++) {
      Object right = eval(c.operands().get(i + 1), scope);
      try {
        result = Operators.compare(c.ops().get(i), left, right);
      } catch (RuntimeException e) {
        throw Failures.located(e, c.opPos().get(i));
      }
      if (result instanceof Boolean b && !b) return false;
      left = right;
    }
    return result;
  }

  private Object chain(Expr.Chain c, Scope scope) {
    Object input = eval(c.input(), scope);
    Object fn = eval(c.function(), scope);
    Callable callable = TypeTable.callable(fn);
    if (callable == null) {
      throw new DlnException("type error", "the right side of -> must be a layer, model or function, got "
          + Values.typeName(fn), null, c.function().pos());
    }
    return invoke(callable, List.of(input), Map.of(), c.pos());
  }

  private Object call(Expr.Call c, Scope scope) {
    if (c.callee() instanceof Expr.Name n && n.name().equals("super") && c.args().isEmpty() && scope.lookup("super") == builtins.get("super")) {
      return superOf(c, scope);
    }
    if (c.callee() instanceof Expr.Name n && n.name().equals("dir") && c.args().isEmpty() && scope.lookup("dir") == builtins.get("dir")) {
      return new ArrayList<Object>(new java.util.TreeSet<>(scope.vars().keySet()));
    }
    Object fn = eval(c.callee(), scope);
    List<Object> positional = new ArrayList<>(c.args().size());
    Map<String, Object> keywords = new LinkedHashMap<>();
    for (Expr.Arg a : c.args()) addArgument(a, eval(a.value(), scope), positional, keywords);
    Callable callable = TypeTable.callable(fn);
    if (callable == null) {
      String what = c.callee() instanceof Expr.Name n ? "'" + n.name() + "' is " + article(Values.typeName(fn))
          : "this " + Values.typeName(fn);
      throw new DlnException("type error", what + " and cannot be called", null, c.pos());
    }
    return invoke(callable, positional, keywords, c.pos());
  }

  private void addArgument(Expr.Arg a, Object v, List<Object> positional, Map<String, Object> keywords) {
    switch (a.kind()) {
      case POSITIONAL -> positional.add(v);
      case KEYWORD -> {
        if (keywords.containsKey(a.name())) {
          throw new DlnException("syntax error", "keyword argument '" + a.name() + "' repeated", null, a.pos());
        }
        keywords.put(a.name(), v);
      }
      case STAR -> {
        Iterator<?> it = iterate(v, a.pos());
        while (it.hasNext()) positional.add(it.next());
      }
      case STAR_STAR -> {
        if (!(v instanceof Map<?, ?> m)) throw new DlnException("type error", "** needs a dict, got " + Values.typeName(v), null, a.pos());
        for (Map.Entry<?, ?> en : m.entrySet()) keywords.put(Values.str(en.getKey()), en.getValue());
      }
    }
  }

  private static String article(String type) {
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /** Calls anything callable, giving every error the position of the call. */
  private Object invoke(Callable fn, List<Object> positional, Map<String, Object> keywords, Pos pos) {
    checkCancelled();
    NativeMemory.poll();
    try {
      Object r = fn.call(this, positional, keywords);
      return r == null ? None.NONE : r;
    } catch (ControlFlow cf) {
      throw cf;
    } catch (RuntimeException | StackOverflowError e) {
      throw Failures.located(e, pos).calledFrom(pos, fn.name());
    }
  }

  private Iterator<?> iterate(Object v, Pos pos) {
    try {
      return Iteration.of(this, v);
    } catch (DlnException e) {
      throw e.at(pos);
    }
  }

  // ---------------------------------------------------------------------------------------- Invoker

  @Override
  public Object call(Object callee, List<Object> positional, Map<String, Object> keywords) {
    Callable c = TypeTable.callable(callee);
    if (c == null) throw DlnException.type(Values.typeName(callee) + " is not callable");
    Object r = c.call(this, positional, keywords);
    return r == null ? None.NONE : r;
  }

  @Override
  public PrintWriter out() {
    return options.out();
  }

  @Override
  public PrintWriter err() {
    return options.err();
  }

  @Override
  public void checkCancelled() {
    if (cancel) {
      cancel = false;
      // At a terminal the user pressed Ctrl-C; an embedding application's cancel() is not the user's doing.
      // A notebook's interrupt (its stop button) is the user's doing too, like Ctrl-C at a terminal.
      String why = options.interactive() ? "stopped by Ctrl-C" : display != null ? "stopped: the kernel was interrupted"
          : "stopped: the program was cancelled";
      throw new DlnException("interrupted", why, null, null);
    }
  }

  @Override
  public boolean cancelRequested() {
    return cancel;
  }

  @Override
  public boolean interactive() {
    return options.interactive();
  }

  private volatile java.util.function.IntSupplier columns = () -> 80;

  /** Where {@link #columns} comes from: the REPL passes its terminal's width, read at each call (resizes). */
  public void setColumns(java.util.function.IntSupplier columns) {
    this.columns = columns;
  }

  @Override
  public int columns() {
    int c = columns.getAsInt();
    return c > 0 ? c : 80;
  }

  @Override
  public dln.interp.call.RichDisplay display() {
    return display;
  }

  /** Lets a rich front end (the Jupyter kernel) show pictures and progress; null goes back to text. */
  public void setDisplay(dln.interp.call.RichDisplay display) {
    this.display = display;
  }

  @Override
  public Sandbox sandbox() {
    return sandbox;
  }

  @Override
  public ResourceLimits limits() {
    return limits;
  }

  // ------------------------------------------------------------------------------- control flow

  private abstract static class ControlFlow extends RuntimeException {
    final transient Pos pos;

    ControlFlow(Pos pos) {
      super(null, null, false, false);
      this.pos = pos;
    }

    abstract String describe();
  }

  private static final class ReturnSignal extends ControlFlow {
    final transient Object value;

    ReturnSignal(Object value, Pos pos) {
      super(pos);
      this.value = value;
    }

    @Override
    String describe() {
      return "'return'";
    }
  }

  private static final class BreakSignal extends ControlFlow {
    BreakSignal(Pos pos) {
      super(pos);
    }

    @Override
    String describe() {
      return "'break'";
    }
  }

  private static final class ContinueSignal extends ControlFlow {
    ContinueSignal(Pos pos) {
      super(pos);
    }

    @Override
    String describe() {
      return "'continue'";
    }
  }
}

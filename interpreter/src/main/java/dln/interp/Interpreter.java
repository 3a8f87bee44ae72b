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
import dln.interp.value.Namespace;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import dln.runtime.nn.Names;
import dln.runtime.tensor.Slice;
import dln.runtime.tensor.Tensors;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    } catch (DlnException e) {
      throw e.at(pos);
    } catch (ControlFlow c) {
      throw new DlnException("syntax error", c.describe() + " outside " + (c instanceof ReturnSignal ? "a function" : "a loop"), null, c.pos);
    } catch (DlnRuntimeException e) {
      throw new DlnException(e.kind(), e.getMessage(), e.hint(), pos);
    } catch (StackOverflowError e) {
      throw new DlnException("recursion error", "maximum recursion depth exceeded", "check that the recursion has a base case", pos);
    } catch (OutOfMemoryError e) {
      throw new DlnException("memory error", "out of memory", "use smaller tensors or batches", pos);
    } catch (RuntimeException e) {
      throw internal(e, pos);
    }
  }

  static DlnException internal(Throwable e, Pos pos) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // ND4J refuses most operations on empty tensors (a dimension of 0, e.g. arange(-3)) with an
    // IllegalStateException "... on empty array": a user mistake, not a DLN failure. (Found by
    // fuzzing: np.square(arange(-3)), any(tensor([])).)
    // Malformed format specs ('%-+s', '{:.2fx}') reach java.util.Formatter / Integer.parseInt, and
    // ND4J reports a slice past the end ("Indices are out of range") as an IllegalStateException:
    // both are the user's errors. (Found by the long fuzz run.)
    if (e instanceof java.util.IllegalFormatException || (e instanceof NumberFormatException && msg.startsWith("For input string"))) {
      DlnException d = new DlnException("value error", "bad format specification: " + msg, "see :help format for the supported forms", pos);
      d.initCause(e);
      return d;
    }
    // Math.toIntExact and friends in builtins (AveragePooling2D(2**63 - 1), std(t, axis=2**63 - 1)).
    if (e instanceof ArithmeticException && msg.equals("integer overflow")) {
      DlnException d = new DlnException("overflow error", "a number is too large for this argument", "use a value below 2147483648", pos);
      d.initCause(e);
      return d;
    }
    if (e instanceof IllegalStateException && msg.startsWith("Indices are out of range")) {
      DlnException d = new DlnException("index error", msg.lines().findFirst().orElse(msg), null, pos);
      d.initCause(e);
      return d;
    }
    if (e instanceof IllegalStateException && msg.contains("empty array")) {
      DlnException d = new DlnException("value error", "this operation does not work on an empty tensor", "a dimension of the tensor is 0; check how it was made", pos);
      d.initCause(e);
      return d;
    }
    DlnException d = new DlnException("runtime error", msg.lines().findFirst().orElse(msg), null, pos);
    d.initCause(e);
    return d;
  }

  // ------------------------------------------------------------------------------------ statements

  private void exec(Stmt s, Scope scope) {
    if (s instanceof Stmt.ExprStmt es) {
      eval(es.expr(), scope);
    } else if (s instanceof Stmt.Assign a) {
      Object v = eval(a.value(), scope);
      for (Expr t : a.targets()) assign(t, v, scope);
    } else if (s instanceof Stmt.AugAssign a) {
      augAssign(a, scope);
    } else if (s instanceof Stmt.If i) {
      for (int k = 0; k < i.tests().size(); k++) {
        if (truthy(i.tests().get(k), scope)) {
          execBlock(i.bodies().get(k), scope);
          return;
        }
      }
      execBlock(i.otherwise(), scope);
    } else if (s instanceof Stmt.For f) {
      Object iterable = eval(f.iterable(), scope);
      Iterator<?> it = iterate(iterable, f.iterable().pos());
      while (it.hasNext()) {
        checkCancelled();
        NativeMemory.poll();
        assign(f.target(), it.next(), scope);
        try {
          execBlock(f.body(), scope);
        } catch (BreakSignal b) {
          break;
        } catch (ContinueSignal c) {
          // next iteration
        }
      }
    } else if (s instanceof Stmt.While w) {
      while (truthy(w.test(), scope)) {
        checkCancelled();
        NativeMemory.poll();
        try {
          execBlock(w.body(), scope);
        } catch (BreakSignal b) {
          break;
        } catch (ContinueSignal c) {
          // next iteration
        }
      }
    } else if (s instanceof Stmt.Def d) {
      scope.define(d.name(), function(d.name(), d.params(), d.body(), null, scope, d.doc(), d.pos()));
    } else if (s instanceof Stmt.Return r) {
      throw new ReturnSignal(r.value() == null ? None.NONE : eval(r.value(), scope), r.pos());
    } else if (s instanceof Stmt.Break b) {
      throw new BreakSignal(b.pos());
    } else if (s instanceof Stmt.Continue c) {
      throw new ContinueSignal(c.pos());
    } else if (!(s instanceof Stmt.Pass)) {
      throw new IllegalStateException("unknown statement " + s);
    }
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

  private boolean truthy(Expr e, Scope scope) {
    Object v = eval(e, scope);
    try {
      return Values.truthy(v);
    } catch (DlnException ex) {
      throw ex.at(e.pos());
    }
  }

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
    } finally {
      depth = Math.max(0, depth - 1);
    }
  }

  private void augAssign(Stmt.AugAssign a, Scope scope) {
    Expr t = a.target();
    Object current = eval(t, scope);
    Object rhs = eval(a.value(), scope);
    Object result;
    // Lists grow in place, like Python's list +=.
    if (a.op().equals("+") && current instanceof List<?> l && rhs instanceof List<?> r) {
      @SuppressWarnings("unchecked")
      List<Object> target = (List<Object>) l;
      target.addAll(r);
      return;
    }
    try {
      result = Operators.binary(a.op(), current, rhs);
    } catch (DlnException e) {
      throw e.at(a.pos());
    } catch (DlnRuntimeException e) {
      throw new DlnException(e.kind(), e.getMessage(), e.hint(), a.pos());
    }
    assign(t, result, scope);
  }

  private void assign(Expr target, Object value, Scope scope) {
    if (target instanceof Expr.Name n) {
      scope.define(n.name(), value);
    } else if (target instanceof Expr.TupleExpr || target instanceof Expr.ListExpr) {
      List<Expr> targets = target instanceof Expr.TupleExpr t ? t.items() : ((Expr.ListExpr) target).items();
      List<Object> values = new ArrayList<>();
      Iterator<?> it = iterate(value, target.pos());
      while (it.hasNext()) values.add(it.next());
      if (values.size() != targets.size()) {
        throw new DlnException("value error", (values.size() < targets.size() ? "not enough" : "too many")
            + " values to unpack (expected " + targets.size() + ", got " + values.size() + ")", null, target.pos());
      }
      for (int i = 0; i < targets.size(); i++) assign(targets.get(i), values.get(i), scope);
    } else if (target instanceof Expr.Attr a) {
      Object obj = eval(a.object(), scope);
      try {
        if (obj instanceof Namespace || !TypeTable.setAttr(obj, a.name(), value)) {
          String close = obj instanceof Namespace ? null : Names.closest(a.name(), TypeTable.setterNames(obj));
          throw new DlnException("type error", "cannot set attribute '" + a.name() + "' of " + Values.typeName(obj),
              close != null ? "did you mean '" + close + "'?" : null, null);
        }
      } catch (DlnException e) {
        throw e.at(a.pos());
      } catch (DlnRuntimeException e) {
        throw new DlnException(e.kind(), e.getMessage(), e.hint(), a.pos());
      }
    } else if (target instanceof Expr.Index ix) {
      Object obj = eval(ix.object(), scope);
      List<Object> subs = subscripts(ix, scope);
      try {
        setItem(obj, subs, value);
      } catch (DlnException e) {
        throw e.at(ix.pos());
      } catch (DlnRuntimeException e) {
        throw new DlnException(e.kind(), e.getMessage(), e.hint(), ix.pos());
      }
    } else {
      throw new DlnException("syntax error", "cannot assign to this expression", null, target.pos());
    }
  }

  @SuppressWarnings("unchecked")
  private void setItem(Object obj, List<Object> subs, Object value) {
    if (obj instanceof INDArray t) {
      Tensors.put(t, subs, value instanceof INDArray || Values.isNumber(value) ? value : Values.toTensor(value));
      return;
    }
    if (subs.size() != 1) throw DlnException.type(Values.typeName(obj) + " indices must be a single value");
    Object k = subs.get(0);
    if (obj instanceof Map<?, ?> m) {
      ((Map<Object, Object>) m).put(key(k), value);
    } else if (obj instanceof List<?> l) {
      List<Object> list = (List<Object>) l;
      list.set(normalizeIndex(k, list.size()), value);
    } else {
      throw DlnException.type(Values.typeName(obj) + " does not support item assignment");
    }
  }

  /**
   * Dict keys: integral floats hash like ints, as in Python. Lists, dicts and tensors cannot be
   * keys: they can change, and hashing a tensor runs a native ND4J op that crashed the JVM
   * (SIGSEGV in hashCode_) on some tensors. Tuples are checked item by item. (Found by fuzzing.)
   */
  public static Object key(Object k) {
    if (k instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return d.longValue();
    if (k instanceof List) throw DlnException.type("a list cannot be a dict key (it can change); use a tuple");
    if (k instanceof Map) throw DlnException.type("a dict cannot be a dict key (it can change)");
    if (k instanceof INDArray) {
      throw DlnException.type("a tensor cannot be a dict key (it can change)").withHint("use a number (float(t)) or a tuple");
    }
    if (k instanceof Tuple t) t.items().forEach(Interpreter::key);
    return k;
  }

  // ----------------------------------------------------------------------------------- expressions

  /**
   * A binary operator. A left-associative chain ({@code 1 + 1 + … + 1}) is a tree as deep as the
   * chain is long, so its left spine is walked in a loop: 250,000 terms must not overflow the stack
   * and be reported as runaway recursion.
   */
  private Object binary(Expr.Binary top, Scope scope) {
    ArrayDeque<Expr.Binary> spine = new ArrayDeque<>();
    Expr leftmost = top;
    while (leftmost instanceof Expr.Binary b) {
      spine.push(b);
      leftmost = b.left();
    }
    Object acc = eval(leftmost, scope);
    while (!spine.isEmpty()) {
      Expr.Binary b = spine.pop();
      Object r = eval(b.right(), scope);
      try {
        acc = Operators.binary(b.op(), acc, r);
      } catch (DlnException ex) {
        throw ex.at(b.pos());
      } catch (DlnRuntimeException ex) {
        throw new DlnException(ex.kind(), ex.getMessage(), ex.hint(), b.pos());
      } catch (ArithmeticException ex) {
        throw new DlnException("overflow error", "integer overflow in " + b.op(), "use floats for very large numbers", b.pos());
      }
    }
    return acc;
  }

  Object eval(Expr e, Scope scope) {
    if (e instanceof Expr.Literal l) return l.value();
    if (e instanceof Expr.Name n) return lookup(n, scope);
    if (e instanceof Expr.Call c) return call(c, scope);
    if (e instanceof Expr.Attr a) return attr(eval(a.object(), scope), a.name(), a.pos());
    if (e instanceof Expr.Binary b) return binary(b, scope);
    if (e instanceof Expr.Index ix) {
      Object obj = eval(ix.object(), scope);
      List<Object> subs = subscripts(ix, scope);
      try {
        return getItem(obj, subs);
      } catch (DlnException ex) {
        throw ex.at(ix.pos());
      } catch (DlnRuntimeException ex) {
        throw new DlnException(ex.kind(), ex.getMessage(), ex.hint(), ix.pos());
      }
    }
    if (e instanceof Expr.ListExpr l) {
      List<Object> out = new ArrayList<>(l.items().size());
      for (Expr x : l.items()) out.add(eval(x, scope));
      return out;
    }
    if (e instanceof Expr.ListComp lc) {
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
    if (e instanceof Expr.TupleExpr t) {
      List<Object> out = new ArrayList<>(t.items().size());
      for (Expr x : t.items()) out.add(eval(x, scope));
      return new Tuple(out);
    }
    if (e instanceof Expr.DictExpr d) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < d.keys().size(); i++) {
        Object k = eval(d.keys().get(i), scope);
        try {
          out.put(key(k), eval(d.values().get(i), scope));
        } catch (DlnException ex) {
          throw ex.at(d.keys().get(i).pos());
        }
      }
      return out;
    }
    if (e instanceof Expr.Unary u) {
      Object v = eval(u.operand(), scope);
      try {
        if (u.op().equals("+")) {
          if (!Values.isNumber(v) && !(v instanceof INDArray)) throw DlnException.type("bad operand for unary +: " + Values.typeName(v));
          return v;
        }
        return Operators.negate(v);
      } catch (DlnException ex) {
        throw ex.at(u.pos());
      }
    }
    if (e instanceof Expr.Not n) return !truthy(n.operand(), scope);
    if (e instanceof Expr.Logical l) {
      Object left = eval(l.left(), scope);
      boolean t;
      try {
        t = Values.truthy(left);
      } catch (DlnException ex) {
        throw ex.at(l.pos());
      }
      if (l.op().equals("and")) return t ? eval(l.right(), scope) : left;
      return t ? left : eval(l.right(), scope);
    }
    if (e instanceof Expr.Compare c) return compare(c, scope);
    if (e instanceof Expr.Conditional c) {
      return truthy(c.test(), scope) ? eval(c.then(), scope) : eval(c.otherwise(), scope);
    }
    if (e instanceof Expr.Lambda l) return function("<lambda>", l.params(), null, l.body(), scope, null, l.pos());
    if (e instanceof Expr.Chain c) {
      Object input = eval(c.input(), scope);
      Object fn = eval(c.function(), scope);
      Callable callable = TypeTable.callable(fn);
      if (callable == null) {
        throw new DlnException("type error", "the right side of -> must be a layer, model or function, got "
            + Values.typeName(fn), null, c.function().pos());
      }
      return invoke(callable, List.of(input), Map.of(), c.pos());
    }
    if (e instanceof Expr.SliceExpr s) {
      throw new DlnException("syntax error", "a slice (a:b) can only appear inside [ ]", null, s.pos());
    }
    throw new IllegalStateException("unknown expression " + e);
  }

  private Object lookup(Expr.Name n, Scope scope) {
    Object v = scope.lookup(n.name());
    if (v != null) return v;
    List<String> names = new ArrayList<>();
    for (Scope s = scope; s != null; s = s.parent()) names.addAll(s.vars().keySet());
    String close = Names.closest(n.name(), names);
    throw new DlnException("name error", "name '" + n.name() + "' is not defined",
        close != null ? "did you mean '" + close + "'?" : null, n.pos());
  }

  private Object compare(Expr.Compare c, Scope scope) {
    Object left = eval(c.operands().get(0), scope);
    Object result = Boolean.TRUE;
    for (int i = 0; i < c.ops().size(); i++) {
      Object right = eval(c.operands().get(i + 1), scope);
      try {
        result = Operators.compare(c.ops().get(i), left, right);
      } catch (DlnException ex) {
        throw ex.at(c.opPos().get(i));
      } catch (DlnRuntimeException ex) {
        throw new DlnException(ex.kind(), ex.getMessage(), ex.hint(), c.opPos().get(i));
      }
      if (result instanceof Boolean b && !b) return false;
      left = right;
    }
    return result;
  }

  private Object attr(Object obj, String name, Pos pos) {
    Object v;
    try {
      if (obj instanceof Namespace ns) {
        v = ns.get(name);
        if (v == null) {
          String close = Names.closest(name, ns.members().keySet());
          throw new DlnException("attribute error", ns.name() + " has no member '" + name + "'",
              close != null ? "did you mean '" + ns.name() + "." + close + "'?" : null, pos);
        }
        return v;
      }
      v = TypeTable.getAttr(obj, name);
    } catch (DlnException ex) {
      throw ex.at(pos);
    } catch (DlnRuntimeException ex) {
      throw new DlnException(ex.kind(), ex.getMessage(), ex.hint(), pos);
    }
    if (v == null) {
      String close = Names.closest(name, TypeTable.attrNames(obj));
      throw new DlnException("attribute error", Values.typeName(obj) + " has no attribute '" + name + "'",
          close != null ? "did you mean '" + close + "'?" : null, pos);
    }
    return v;
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

  private Object getItem(Object obj, List<Object> subs) {
    if (obj instanceof INDArray t) {
      List<Object> idx = new ArrayList<>(subs.size());
      for (Object s : subs) {
        if (s instanceof Tuple tu) idx.addAll(tu.items());
        else if (s instanceof List<?> l) idx.add(Values.toTensor(l));
        else if (s instanceof Boolean b) idx.add(b ? 1L : 0L);
        else idx.add(s);
      }
      return Tensors.get(t, idx);
    }
    if (obj instanceof Map<?, ?> m) {
      Object k = subs.size() == 1 ? subs.get(0) : new Tuple(subs);
      Object v = m.get(key(k));
      if (v == null) {
        throw new DlnException("key error", "key " + Values.repr(k) + " is not in the dict",
            m.isEmpty() ? null : "keys are: " + keysPreview(m), null);
      }
      return v;
    }
    if (subs.size() != 1) throw DlnException.type(Values.typeName(obj) + " indices must be a single int or slice");
    Object k = subs.get(0);
    List<?> items = obj instanceof List<?> l ? l : obj instanceof Tuple t ? t.items() : null;
    if (items != null) {
      if (k instanceof Slice s) {
        List<Object> out = sliceList(items, s);
        return obj instanceof Tuple ? new Tuple(out) : out;
      }
      return items.get(normalizeIndex(k, items.size()));
    }
    if (obj instanceof String str) {
      if (k instanceof Slice s) {
        List<Object> chars = new ArrayList<>();
        for (char ch : str.toCharArray()) chars.add(String.valueOf(ch));
        StringBuilder sb = new StringBuilder();
        for (Object ch : sliceList(chars, s)) sb.append(ch);
        return sb.toString();
      }
      return String.valueOf(str.charAt(normalizeIndex(k, str.length())));
    }
    Object getter = TypeTable.getAttr(obj, "__getitem__");
    if (getter instanceof Callable c) return c.call(this, List.of(k), Map.of());
    throw DlnException.type(Values.typeName(obj) + " cannot be indexed");
  }

  private static String keysPreview(Map<?, ?> m) {
    List<String> ks = new ArrayList<>();
    for (Object k : m.keySet()) {
      if (ks.size() == 8) {
        ks.add("…");
        break;
      }
      ks.add(Values.repr(k));
    }
    return String.join(", ", ks);
  }

  static int normalizeIndex(Object k, int size) {
    if (!(k instanceof Long) && !(k instanceof Boolean)) {
      throw DlnException.type("indices must be ints, got " + Values.typeName(k));
    }
    long i = k instanceof Boolean b ? (b ? 1 : 0) : (Long) k;
    long j = i < 0 ? i + size : i;
    if (j < 0 || j >= size) throw DlnException.index("index " + i + " is out of range for length " + size);
    return (int) j;
  }

  static List<Object> sliceList(List<?> items, Slice s) {
    int n = items.size();
    long step = s.step() == null ? 1 : s.step();
    if (step == 0) throw DlnException.value("slice step cannot be zero");
    long start;
    long stop;
    if (step > 0) {
      start = s.start() == null ? 0 : clamp(s.start() < 0 ? s.start() + n : s.start(), 0, n);
      stop = s.stop() == null ? n : clamp(s.stop() < 0 ? s.stop() + n : s.stop(), 0, n);
    } else {
      start = s.start() == null ? n - 1 : clamp(s.start() < 0 ? s.start() + n : s.start(), -1, n - 1);
      stop = s.stop() == null ? -1 : clamp(s.stop() < 0 ? s.stop() + n : s.stop(), -1, n - 1);
    }
    List<Object> out = new ArrayList<>();
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) out.add(items.get((int) i));
    return out;
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private Object call(Expr.Call c, Scope scope) {
    Object fn = eval(c.callee(), scope);
    List<Object> positional = new ArrayList<>(c.args().size());
    Map<String, Object> keywords = new LinkedHashMap<>();
    for (Expr.Arg a : c.args()) {
      Object v = eval(a.value(), scope);
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
    Callable callable = TypeTable.callable(fn);
    if (callable == null) {
      String what = c.callee() instanceof Expr.Name n ? "'" + n.name() + "' is " + article(Values.typeName(fn))
          : "this " + Values.typeName(fn);
      throw new DlnException("type error", what + " and cannot be called", null, c.pos());
    }
    return invoke(callable, positional, keywords, c.pos());
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
    } catch (DlnException e) {
      throw e.at(pos);
    } catch (ControlFlow cf) {
      throw cf;
    } catch (DlnRuntimeException e) {
      throw new DlnException(e.kind(), e.getMessage(), e.hint(), pos);
    } catch (StackOverflowError e) {
      throw new DlnException("recursion error", "maximum recursion depth exceeded", "check that the recursion has a base case", pos);
    } catch (RuntimeException e) {
      throw internal(e, pos);
    }
  }

  /** Iteration over lists, tuples, strings, dict keys and tensors (along the first axis). */
  Iterator<?> iterate(Object v, Pos pos) {
    if (v instanceof List<?> l) return new ArrayList<>(l).iterator();
    if (v instanceof Tuple t) return t.items().iterator();
    if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet()).iterator();
    if (v instanceof String s) {
      List<Object> chars = new ArrayList<>();
      for (char ch : s.toCharArray()) chars.add(String.valueOf(ch));
      return chars.iterator();
    }
    if (v instanceof INDArray t) {
      if (t.rank() == 0) throw new DlnException("type error", "cannot iterate over a 0-d tensor", null, pos);
      // Rows are made as they are consumed, each after a cancellation check: a 100,000-row tensor
      // must not build 100,000 views before Ctrl-C or a host's timeout is noticed.
      long n = t.size(0);
      return new Iterator<Object>() {
        private long i;

        @Override
        public boolean hasNext() {
          return i < n;
        }

        @Override
        public Object next() {
          if (i >= n) throw new java.util.NoSuchElementException();
          checkCancelled();
          return Tensors.get(t, List.of(i++));
        }
      };
    }
    if (v instanceof Iterable<?> it) return it.iterator();
    throw new DlnException("type error", Values.typeName(v) + " is not iterable", null, pos);
  }

  /** Iteration for builtins (sum, zip, list…). */
  public Iterator<?> iterate(Object v) {
    return iterate(v, null);
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
      throw new DlnException("interrupted", "stopped by Ctrl-C (or the host cancelled)", null, null);
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

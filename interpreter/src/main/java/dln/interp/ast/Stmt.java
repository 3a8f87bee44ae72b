package dln.interp.ast;

import dln.interp.Pos;
import java.util.List;

/** Statements of the immutable AST. */
public sealed interface Stmt {
  Pos pos();

  record ExprStmt(Pos pos, Expr expr) implements Stmt {}

  /** {@code a = b = value}: every target receives the value. */
  record Assign(Pos pos, List<Expr> targets, Expr value) implements Stmt {}

  record AugAssign(Pos pos, Expr target, String op, Expr value) implements Stmt {}

  record If(Pos pos, List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt {}

  record For(Pos pos, Expr target, Expr iterable, List<Stmt> body) implements Stmt {}

  record While(Pos pos, Expr test, List<Stmt> body) implements Stmt {}

  record Def(Pos pos, String name, List<Expr.Param> params, List<Stmt> body, String doc) implements Stmt {}

  record Return(Pos pos, Expr value) implements Stmt {}

  record Pass(Pos pos) implements Stmt {}

  record Break(Pos pos) implements Stmt {}

  record Continue(Pos pos) implements Stmt {}

  /** {@code import a.b as n}: binds n (or, without as, the first name a) to the module. */
  record Import(Pos pos, List<ImportedName> names) implements Stmt {}

  /** {@code from a.b import x, y as z} or, with no names, {@code from a.b import *}. */
  record FromImport(Pos pos, String module, List<ImportedName> names) implements Stmt {}

  /** One imported name: a dotted module path or a member, the name it is bound to (null: none given), its place. */
  record ImportedName(Pos pos, String name, String alias) {}

  /** try/except/else/finally; handlers, otherwise and finalBody may be empty. */
  record Try(Pos pos, List<Stmt> body, List<Handler> handlers, List<Stmt> otherwise, List<Stmt> finalBody) implements Stmt {}

  /** {@code except [type [as name]]:}; type and name may be null. */
  record Handler(Pos pos, Expr type, String name, List<Stmt> body) {}

  /** {@code raise [exception [from cause]]}; a bare raise (exception null) re-raises. */
  record Raise(Pos pos, Expr exception, Expr cause) implements Stmt {}

  record Assert(Pos pos, Expr test, Expr message) implements Stmt {}

  /** {@code global a, b} (global true) or {@code nonlocal a, b}. */
  record Declare(Pos pos, boolean global, List<String> names) implements Stmt {}

  record Del(Pos pos, List<Expr> targets) implements Stmt {}

  /** {@code class name(bases):}; bases holds at most one expression (single inheritance). */
  record ClassDef(Pos pos, String name, List<Expr> bases, List<Stmt> body, String doc) implements Stmt {}

  /**
   * A def or class with decorators above it ({@code @property}, {@code @tf.function(jit_compile=True)}):
   * the definition is bound, then each decorator, innermost (last) first, is called on it and its
   * result bound in its place.
   */
  record Decorated(Pos pos, List<Expr> decorators, Stmt definition, String name) implements Stmt {}

  /** {@code with a as x, b:}; targets.get(i) is null where there is no {@code as}. */
  record With(Pos pos, List<Expr> contexts, List<Expr> targets, List<Stmt> body) implements Stmt {}
}

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
}

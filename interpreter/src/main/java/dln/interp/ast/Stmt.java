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
}

package dln.interp.ast;

import dln.interp.Pos;
import java.util.List;

/** Expressions of the immutable AST. Every node carries the position errors point at. */
public sealed interface Expr {
  Pos pos();

  record Literal(Pos pos, Object value) implements Expr {}

  record Name(Pos pos, String name) implements Expr {}

  record ListExpr(Pos pos, List<Expr> items) implements Expr {}

  record TupleExpr(Pos pos, List<Expr> items) implements Expr {}

  /** {@code [element for target in iterable if condition]}; condition may be null. */
  record ListComp(Pos pos, Expr element, Expr target, Expr iterable, Expr condition) implements Expr {}

  record DictExpr(Pos pos, List<Expr> keys, List<Expr> values) implements Expr {}

  record Attr(Pos pos, Expr object, String name) implements Expr {}

  /** {@code x[a, b:c]}: each subscript is an Expr or a {@link SliceExpr}. */
  record Index(Pos pos, Expr object, List<Expr> subscripts) implements Expr {}

  /** {@code start:stop:step} inside an index; absent parts are null. */
  record SliceExpr(Pos pos, Expr start, Expr stop, Expr step) implements Expr {}

  record Call(Pos pos, Expr callee, List<Arg> args) implements Expr {}

  /** One call argument. {@code name} is set for {@code k=v} and terse {@code k v} arguments. */
  record Arg(Pos pos, ArgKind kind, String name, Expr value) {}

  enum ArgKind { POSITIONAL, KEYWORD, STAR, STAR_STAR }

  /** Arithmetic: op is one of + - * / // % ** @. */
  record Binary(Pos pos, String op, Expr left, Expr right) implements Expr {}

  /** Unary + and -. */
  record Unary(Pos pos, String op, Expr operand) implements Expr {}

  record Not(Pos pos, Expr operand) implements Expr {}

  /** {@code and} / {@code or}, short-circuit, returning an operand like Python. */
  record Logical(Pos pos, String op, Expr left, Expr right) implements Expr {}

  /** A comparison chain {@code a < b <= c}; ops.get(i) sits between operands i and i+1. */
  record Compare(Pos pos, List<String> ops, List<Pos> opPos, List<Expr> operands) implements Expr {}

  record Conditional(Pos pos, Expr test, Expr then, Expr otherwise) implements Expr {}

  record Lambda(Pos pos, List<Param> params, Expr body) implements Expr {}

  /** {@code a -> f}: calls f with a. */
  record Chain(Pos pos, Expr input, Expr function) implements Expr {}

  /** A function parameter; {@code dflt} may be null. */
  record Param(Pos pos, String name, Expr dflt, ParamKind kind) {}

  enum ParamKind { NORMAL, VARARGS, VARKW }

  /** {@code {key: value for target in iterable if condition}}; condition may be null. */
  record DictComp(Pos pos, Expr key, Expr value, Expr target, Expr iterable, Expr condition) implements Expr {}

  /** An f-string: its parts are string {@link Literal}s and {@link FormatField}s, joined in order. */
  record FString(Pos pos, List<Expr> parts) implements Expr {}

  /**
   * One {@code {value!conv:spec}} of an f-string. conv is 0, 'r', 's' or 'a'; spec is an FString
   * (it may hold fields itself, as in {@code {x:{width}}}) or null.
   */
  record FormatField(Pos pos, Expr value, char conv, Expr spec) implements Expr {}
}

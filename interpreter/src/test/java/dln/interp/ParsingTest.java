package dln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.interp.ast.Expr;
import dln.interp.ast.Stmt;
import dln.interp.parse.Parsing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AST builder: shapes of trees and the positions errors will point at. */
class ParsingTest {
  private static List<Stmt> parse(String code) {
    return Parsing.parse(new Source("t.dln", code));
  }

  private static Expr expr(String code) {
    return ((Stmt.ExprStmt) parse(code).get(0)).expr();
  }

  @Test
  void precedenceFollowsPython() {
    Expr e = expr("1 + 2 * 3 ** 2");
    Expr.Binary plus = assertInstanceOf(Expr.Binary.class, e);
    assertEquals("+", plus.op());
    Expr.Binary times = assertInstanceOf(Expr.Binary.class, plus.right());
    assertEquals("*", times.op());
    assertEquals("**", assertInstanceOf(Expr.Binary.class, times.right()).op());
  }

  @Test
  void chainIsLeftAssociativeAndBelowOr() {
    Expr e = expr("a -> f -> g");
    Expr.Chain outer = assertInstanceOf(Expr.Chain.class, e);
    assertInstanceOf(Expr.Chain.class, outer.input());
    assertEquals("g", ((Expr.Name) outer.function()).name());
    Expr.Chain c = assertInstanceOf(Expr.Chain.class, expr("a or b -> f"));
    assertInstanceOf(Expr.Logical.class, c.input());
  }

  @Test
  void terseKeywordArguments() {
    Expr.Call call = assertInstanceOf(Expr.Call.class, expr("Conv2D(128, 5, stride 2, padding same)"));
    assertEquals(4, call.args().size());
    assertEquals("stride", call.args().get(2).name());
    assertEquals(Expr.ArgKind.KEYWORD, call.args().get(2).kind());
    assertEquals("padding", call.args().get(3).name());
    assertEquals("same", ((Expr.Name) call.args().get(3).value()).name());
  }

  @Test
  void minusAfterNameIsSubtractionNotTerseArgument() {
    Expr.Call call = assertInstanceOf(Expr.Call.class, expr("f(x -1)"));
    assertEquals(1, call.args().size());
    assertEquals(Expr.ArgKind.POSITIONAL, call.args().get(0).kind());
    assertInstanceOf(Expr.Binary.class, call.args().get(0).value());
  }

  @Test
  void positionsAreLineAndColumn() {
    List<Stmt> prog = parse("x = 1\n\nif x:\n    y = x + 2\n");
    Stmt.If s = assertInstanceOf(Stmt.If.class, prog.get(1));
    assertEquals(3, s.pos().line());
    Stmt.Assign a = assertInstanceOf(Stmt.Assign.class, s.bodies().get(0).get(0));
    assertEquals(4, a.pos().line());
    assertEquals(4, a.pos().col());
    Expr.Binary plus = assertInstanceOf(Expr.Binary.class, a.value());
    assertEquals(10, plus.pos().col(), "binary operators point at the operator");
  }

  @Test
  void slicesAndTuplesInIndexes() {
    Expr.Index ix = assertInstanceOf(Expr.Index.class, expr("x[:, 1:3, ::2, -1]"));
    assertEquals(4, ix.subscripts().size());
    Expr.SliceExpr all = assertInstanceOf(Expr.SliceExpr.class, ix.subscripts().get(0));
    assertEquals(null, all.start());
    Expr.SliceExpr mid = assertInstanceOf(Expr.SliceExpr.class, ix.subscripts().get(1));
    assertEquals(1L, ((Expr.Literal) mid.start()).value());
    assertEquals(3L, ((Expr.Literal) mid.stop()).value());
    Expr.SliceExpr step = assertInstanceOf(Expr.SliceExpr.class, ix.subscripts().get(2));
    assertEquals(2L, ((Expr.Literal) step.step()).value());
    assertEquals(-1L, ((Expr.Literal) ix.subscripts().get(3)).value());
  }

  @Test
  void newlinesInsideBracketsAndTrailingCommas() {
    List<Stmt> prog = parse("xs = [\n  1,\n  2,\n]\nf(a,\n  b=2,\n)\n");
    assertEquals(2, prog.size());
  }

  @Test
  void tupleUnpackingTargets() {
    Stmt.Assign a = assertInstanceOf(Stmt.Assign.class, parse("(a, b), (c, d) = f()").get(0));
    Expr.TupleExpr t = assertInstanceOf(Expr.TupleExpr.class, a.targets().get(0));
    assertEquals(2, t.items().size());
    assertInstanceOf(Expr.TupleExpr.class, t.items().get(0));
  }

  @Test
  void syntaxErrorsSpeakGrammar() {
    DlnException e = assertThrows(DlnException.class, () -> parse("x = (1 + )"));
    assertEquals("expected an expression, found ')'", e.getMessage());
    assertEquals(1, e.pos().line());
    assertEquals(9, e.pos().col());
    DlnException assign = assertThrows(DlnException.class, () -> parse("f() = 3"));
    assertEquals("cannot assign to a function call", assign.getMessage());
  }

  @Test
  void incompleteInputIsRecognisedForTheRepl() {
    assertTrue(Parsing.isIncomplete(assertThrows(DlnException.class, () -> parse("xs = [1, 2,"))));
    assertTrue(Parsing.isIncomplete(assertThrows(DlnException.class, () -> parse("def f():"))));
  }
}

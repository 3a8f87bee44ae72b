package dln.interp.parse;

import dln.grammar.DlnParser;
import dln.grammar.DlnParser.*;
import dln.interp.DlnException;
import dln.interp.Pos;
import dln.interp.Source;
import dln.interp.ast.Expr;
import dln.interp.ast.Stmt;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds the immutable AST from ANTLR's parse tree, recording a position on every node. */
final class AstBuilder {
  private final Source source;

  AstBuilder(Source source) {
    this.source = source;
  }

  private Pos pos(Token t) {
    return new Pos(source, t.getLine(), t.getCharPositionInLine());
  }

  private Pos pos(ParserRuleContext ctx) {
    return pos(ctx.getStart());
  }

  List<Stmt> file(File_inputContext ctx) {
    List<Stmt> out = new ArrayList<>();
    for (StmtContext s : ctx.stmt()) stmt(s, out);
    return out;
  }

  private void stmt(StmtContext ctx, List<Stmt> out) {
    if (ctx.simple_stmts() != null) {
      for (Simple_stmtContext s : ctx.simple_stmts().simple_stmt()) out.add(simple(s));
    } else {
      out.add(compound(ctx.compound_stmt()));
    }
  }

  private List<Stmt> block(BlockContext ctx) {
    List<Stmt> out = new ArrayList<>();
    if (ctx.simple_stmts() != null) {
      for (Simple_stmtContext s : ctx.simple_stmts().simple_stmt()) out.add(simple(s));
    } else {
      for (StmtContext s : ctx.stmt()) stmt(s, out);
    }
    return out;
  }

  private Stmt simple(Simple_stmtContext ctx) {
    Pos p = pos(ctx);
    if (ctx instanceof PassStmt_Context) return new Stmt.Pass(p);
    if (ctx instanceof BreakStmt_Context) return new Stmt.Break(p);
    if (ctx instanceof ContinueStmt_Context) return new Stmt.Continue(p);
    if (ctx instanceof ReturnStmt_Context r) {
      return new Stmt.Return(p, r.testlist() == null ? null : testlist(r.testlist()));
    }
    if (ctx instanceof ImportStmt_Context i) return importStmt(i.import_stmt());
    if (ctx instanceof RaiseStmt_Context r) {
      return new Stmt.Raise(p, r.test().isEmpty() ? null : test(r.test(0)), r.test().size() > 1 ? test(r.test(1)) : null);
    }
    if (ctx instanceof AssertStmt_Context a) {
      return new Stmt.Assert(p, test(a.test(0)), a.test().size() > 1 ? test(a.test(1)) : null);
    }
    if (ctx instanceof GlobalStmt_Context g) return new Stmt.Declare(p, true, names(g.NAME()));
    if (ctx instanceof NonlocalStmt_Context n) return new Stmt.Declare(p, false, names(n.NAME()));
    if (ctx instanceof DelStmt_Context d) {
      Expr t = targetlist(d.targetlist());
      List<Expr> targets = t instanceof Expr.TupleExpr tu && !(d.targetlist().target().size() == 1) ? tu.items() : List.of(t);
      for (Expr x : targets) checkTarget(x, false);
      return new Stmt.Del(p, targets);
    }
    Assign_stmtContext a = ((AssignStmt_Context) ctx).assign_stmt();
    if (a instanceof ExprStmtContext e) return new Stmt.ExprStmt(p, testlist(e.testlist()));
    if (a instanceof AugAssignContext aug) {
      Expr target = testlist(aug.testlist(0));
      checkTarget(target, false);
      String op = aug.augassign().getText();
      return new Stmt.AugAssign(pos(aug.augassign()), target, op.substring(0, op.length() - 1), testlist(aug.testlist(1)));
    }
    AssignContext as = (AssignContext) a;
    List<TestlistContext> parts = as.testlist();
    List<Expr> targets = new ArrayList<>();
    for (int i = 0; i < parts.size() - 1; i++) {
      Expr t = testlist(parts.get(i));
      checkTarget(t, true);
      targets.add(t);
    }
    return new Stmt.Assign(p, targets, testlist(parts.get(parts.size() - 1)));
  }

  private Stmt importStmt(Import_stmtContext ctx) {
    List<Stmt.ImportedName> names = new ArrayList<>();
    if (ctx instanceof ImportNamesContext in) {
      for (Dotted_as_nameContext d : in.dotted_as_name()) {
        names.add(new Stmt.ImportedName(pos(d), d.dotted_name().getText(), d.NAME() == null ? null : d.NAME().getText()));
      }
      return new Stmt.Import(pos(ctx), names);
    }
    FromImportContext f = (FromImportContext) ctx;
    for (Import_as_nameContext n : f.import_as_name()) {
      names.add(new Stmt.ImportedName(pos(n), n.NAME(0).getText(), n.NAME().size() > 1 ? n.NAME(1).getText() : null));
    }
    return new Stmt.FromImport(pos(f.dotted_name()), f.dotted_name().getText(), names);
  }

  private static List<String> names(List<TerminalNode> nodes) {
    List<String> out = new ArrayList<>();
    for (TerminalNode n : nodes) out.add(n.getText());
    return out;
  }

  private Stmt tryStmt(Try_stmtContext c) {
    // Children in order: 'try' ':' block, then (except_clause ':' block)*, ['else' ':' block], ['finally' ':' block].
    List<Stmt> body = null;
    List<Stmt.Handler> handlers = new ArrayList<>();
    List<Stmt> otherwise = List.of();
    List<Stmt> finalBody = List.of();
    for (int k = 0; k < c.getChildCount(); k++) {
      ParseTree head = c.getChild(k);
      if (!(head instanceof Except_clauseContext) && !(head instanceof TerminalNode)) continue;
      if (head instanceof TerminalNode tn && tn.getText().equals(":")) continue;
      List<Stmt> block = block((BlockContext) c.getChild(k + 2));
      if (head instanceof Except_clauseContext ex) {
        Expr type = ex.test() == null ? null : test(ex.test());
        handlers.add(new Stmt.Handler(pos(ex), type, ex.NAME() == null ? null : ex.NAME().getText(), block));
      } else {
        switch (head.getText()) {
          case "try" -> body = block;
          case "else" -> otherwise = block;
          default -> finalBody = block;
        }
      }
      k += 2;
    }
    for (int k = 0; k < handlers.size() - 1; k++) {
      if (handlers.get(k).type() == null) {
        throw new DlnException("syntax error", "default 'except:' must be last", "move the bare except: after the others",
            handlers.get(k).pos());
      }
    }
    return new Stmt.Try(pos(c), body, handlers, otherwise, finalBody);
  }

  /** Only names, attributes, indexes and (for plain =) tuples/lists of targets can be assigned. */
  private void checkTarget(Expr e, boolean unpack) {
    if (e instanceof Expr.Name || e instanceof Expr.Attr || e instanceof Expr.Index) return;
    if (unpack && (e instanceof Expr.TupleExpr t)) {
      for (Expr x : t.items()) checkTarget(x, true);
      return;
    }
    if (unpack && (e instanceof Expr.ListExpr l)) {
      for (Expr x : l.items()) checkTarget(x, true);
      return;
    }
    String what = e instanceof Expr.Call ? "a function call" : e instanceof Expr.Literal ? "a literal" : "this expression";
    throw new DlnException("syntax error", "cannot assign to " + what, "the left side of = must be a name, "
        + "an attribute (a.b), an index (a[i]) or a tuple of those", e.pos());
  }

  private Stmt compound(Compound_stmtContext ctx) {
    if (ctx.if_stmt() != null) {
      If_stmtContext c = ctx.if_stmt();
      List<Expr> tests = new ArrayList<>();
      List<List<Stmt>> bodies = new ArrayList<>();
      for (int i = 0; i < c.test().size(); i++) {
        tests.add(test(c.test(i)));
        bodies.add(block(c.block(i)));
      }
      List<Stmt> otherwise = c.block().size() > c.test().size() ? block(c.block(c.block().size() - 1)) : List.of();
      return new Stmt.If(pos(c), tests, bodies, otherwise);
    }
    if (ctx.for_stmt() != null) {
      For_stmtContext c = ctx.for_stmt();
      Expr target = targetlist(c.targetlist());
      checkTarget(target, true);
      return new Stmt.For(pos(c), target, testlist(c.testlist()), block(c.block()));
    }
    if (ctx.while_stmt() != null) {
      While_stmtContext c = ctx.while_stmt();
      return new Stmt.While(pos(c), test(c.test()), block(c.block()));
    }
    if (ctx.try_stmt() != null) return tryStmt(ctx.try_stmt());
    if (ctx.classdef() != null) return classDef(ctx.classdef());
    if (ctx.decorated() != null) return decorated(ctx.decorated());
    if (ctx.with_stmt() != null) {
      With_stmtContext w = ctx.with_stmt();
      List<Expr> contexts = new ArrayList<>();
      List<Expr> targets = new ArrayList<>();
      for (With_itemContext item : w.with_item()) {
        contexts.add(test(item.test()));
        Expr t = item.target() == null ? null : expr(item.target().expr());
        if (t != null) checkTarget(t, true);
        targets.add(t);
      }
      return new Stmt.With(pos(w), contexts, targets, block(w.block()));
    }
    return funcDef(ctx.funcdef());
  }

  /** Decorators as the expressions they name: {@code @a.b} an attribute chain, {@code @a.b(args)} a call of it. */
  private Stmt decorated(DecoratedContext d) {
    List<Expr> decorators = new ArrayList<>();
    for (DecoratorContext dec : d.decorator()) {
      List<org.antlr.v4.runtime.tree.TerminalNode> names = dec.dotted_name().NAME();
      Expr e = new Expr.Name(pos(names.get(0).getSymbol()), names.get(0).getText());
      for (int i = 1; i < names.size(); i++) e = new Expr.Attr(pos(names.get(i).getSymbol()), e, names.get(i).getText());
      if (dec.getChildCount() > 3) e = new Expr.Call(pos(dec), e, args(dec.arglist()));
      decorators.add(e);
    }
    Stmt def = d.funcdef() != null ? funcDef(d.funcdef()) : classDef(d.classdef());
    String name = def instanceof Stmt.Def f ? f.name() : ((Stmt.ClassDef) def).name();
    return new Stmt.Decorated(pos(d), decorators, def, name);
  }

  private Stmt classDef(ClassdefContext c) {
    List<Expr> bases = new ArrayList<>();
    for (Expr.Arg a : args(c.arglist())) {
      if (a.kind() != Expr.ArgKind.POSITIONAL) {
        throw new DlnException("syntax error", "class bases are plain names here", "write class Name(Base):", a.pos());
      }
      bases.add(a.value());
    }
    if (bases.size() > 1) {
      throw new DlnException("syntax error", "a class can have one base class in DLN", "multiple inheritance is not supported",
          bases.get(1).pos());
    }
    List<Stmt> body = block(c.block());
    return new Stmt.ClassDef(pos(c.NAME().getSymbol()), c.NAME().getText(), bases, body, docOf(body));
  }

  private Stmt funcDef(FuncdefContext f) {
    List<Expr.Param> params = new ArrayList<>();
    if (f.parameters() != null) for (ParameterContext p : f.parameters().parameter()) params.add(param(p));
    checkParams(params);
    List<Stmt> body = block(f.block());
    return new Stmt.Def(pos(f.NAME().getSymbol()), f.NAME().getText(), params, body, docOf(body));
  }

  /** A docstring: the body's first statement when it is a string literal. */
  private static String docOf(List<Stmt> body) {
    if (!body.isEmpty() && body.get(0) instanceof Stmt.ExprStmt es && es.expr() instanceof Expr.Literal l
        && l.value() instanceof String s) {
      return s.strip();
    }
    return null;
  }

  private Expr.Param param(ParameterContext p) {
    String first = p.getChild(0).getText();
    if (first.equals("*")) return new Expr.Param(pos(p), p.NAME().getText(), null, Expr.ParamKind.VARARGS);
    if (first.equals("**")) return new Expr.Param(pos(p), p.NAME().getText(), null, Expr.ParamKind.VARKW);
    return new Expr.Param(pos(p), p.NAME().getText(), p.test() == null ? null : test(p.test()), Expr.ParamKind.NORMAL);
  }

  private void checkParams(List<Expr.Param> params) {
    boolean seenDefault = false;
    List<String> names = new ArrayList<>();
    for (Expr.Param p : params) {
      if (names.contains(p.name())) {
        throw new DlnException("syntax error", "duplicate parameter '" + p.name() + "'", null, p.pos());
      }
      names.add(p.name());
      if (p.kind() != Expr.ParamKind.NORMAL) continue;
      if (p.dflt() != null) seenDefault = true;
      else if (seenDefault) {
        throw new DlnException("syntax error", "parameter '" + p.name() + "' without a default follows one with a default",
            "give '" + p.name() + "' a default value or move it before the parameters that have one", p.pos());
      }
    }
  }

  private Expr targetlist(TargetlistContext ctx) {
    List<Expr> items = new ArrayList<>();
    for (TargetContext t : ctx.target()) items.add(expr(t.expr()));
    if (items.size() == 1 && ctx.getChildCount() == 1) return items.get(0);
    return new Expr.TupleExpr(pos(ctx), items);
  }

  Expr testlist(TestlistContext ctx) {
    if (ctx.test().size() == 1 && ctx.trailing == null) return test(ctx.test(0));
    List<Expr> items = new ArrayList<>();
    for (TestContext t : ctx.test()) items.add(test(t));
    return new Expr.TupleExpr(pos(ctx), items);
  }

  Expr test(TestContext ctx) {
    if (ctx instanceof LambdaContext l) {
      List<Expr.Param> params = new ArrayList<>();
      if (l.lambda_params() != null) for (ParameterContext p : l.lambda_params().parameter()) params.add(param(p));
      checkParams(params);
      return new Expr.Lambda(pos(l), params, test(l.test()));
    }
    ConditionalContext c = (ConditionalContext) ctx;
    Expr value = chain(c.chain(0));
    if (c.chain().size() == 1) return value;
    return new Expr.Conditional(pos(c), chain(c.chain(1)), value, test(c.test()));
  }

  // The operator chains below take each child list once: ANTLR's ctx.term(i) and ctx.term() scan
  // all children per call, which made `1 + 1 + ... + 1` quadratic (a 1 MB line never finished
  // parsing; found by HostileInputTest).

  private Expr chain(ChainContext ctx) {
    List<Or_testContext> items = ctx.or_test();
    Expr e = or(items.get(0));
    for (int i = 1; i < items.size(); i++) {
      Token arrow = ((TerminalNode) ctx.getChild(2 * i - 1)).getSymbol();
      e = new Expr.Chain(pos(arrow), e, or(items.get(i)));
    }
    return e;
  }

  private Expr or(Or_testContext ctx) {
    List<And_testContext> items = ctx.and_test();
    Expr e = and(items.get(0));
    for (int i = 1; i < items.size(); i++) {
      e = new Expr.Logical(pos(((TerminalNode) ctx.getChild(2 * i - 1)).getSymbol()), "or", e, and(items.get(i)));
    }
    return e;
  }

  private Expr and(And_testContext ctx) {
    List<Not_testContext> items = ctx.not_test();
    Expr e = not(items.get(0));
    for (int i = 1; i < items.size(); i++) {
      e = new Expr.Logical(pos(((TerminalNode) ctx.getChild(2 * i - 1)).getSymbol()), "and", e, not(items.get(i)));
    }
    return e;
  }

  private Expr not(Not_testContext ctx) {
    if (ctx.not_test() != null) return new Expr.Not(pos(ctx), not(ctx.not_test()));
    ComparisonContext c = ctx.comparison();
    if (c.expr().size() == 1) return expr(c.expr(0));
    List<String> ops = new ArrayList<>();
    List<Pos> opPos = new ArrayList<>();
    List<Expr> operands = new ArrayList<>();
    for (ExprContext e : c.expr()) operands.add(expr(e));
    for (Comp_opContext op : c.comp_op()) {
      ops.add(op.getChildCount() == 2 ? op.getChild(0).getText() + " " + op.getChild(1).getText() : op.getText());
      opPos.add(pos(op));
    }
    return new Expr.Compare(pos(c), ops, opPos, operands);
  }

  private Expr expr(ExprContext ctx) {
    Arith_exprContext a = ctx.arith_expr();
    List<TermContext> terms = a.term();
    List<AddopContext> ops = a.addop();
    Expr e = term(terms.get(0));
    for (int i = 1; i < terms.size(); i++) {
      AddopContext op = ops.get(i - 1);
      e = new Expr.Binary(pos(op), op.getText(), e, term(terms.get(i)));
    }
    return e;
  }

  private Expr term(TermContext ctx) {
    List<FactorContext> factors = ctx.factor();
    List<MulopContext> ops = ctx.mulop();
    Expr e = factor(factors.get(0));
    for (int i = 1; i < factors.size(); i++) {
      MulopContext op = ops.get(i - 1);
      e = new Expr.Binary(pos(op), op.getText(), e, factor(factors.get(i)));
    }
    return e;
  }

  private Expr factor(FactorContext ctx) {
    if (ctx.factor() != null) {
      Expr operand = factor(ctx.factor());
      String op = ctx.getChild(0).getText();
      // Fold -1 and -1.5 into literals so they print and index like numbers.
      if (operand instanceof Expr.Literal l && op.equals("-")) {
        if (l.value() instanceof Long v) return new Expr.Literal(pos(ctx), -v);
        if (l.value() instanceof Double v) return new Expr.Literal(pos(ctx), -v);
      }
      return new Expr.Unary(pos(ctx), op, operand);
    }
    PowerContext p = ctx.power();
    Expr base = atomExpr(p.atom_expr());
    if (p.factor() == null) return base;
    return new Expr.Binary(pos(((TerminalNode) p.getChild(1)).getSymbol()), "**", base, factor(p.factor()));
  }

  private Expr atomExpr(Atom_exprContext ctx) {
    Expr e = atom(ctx.atom());
    for (TrailerContext t : ctx.trailer()) {
      if (t instanceof AttrTrailerContext a) {
        e = new Expr.Attr(pos(a.NAME().getSymbol()), e, a.NAME().getText());
      } else if (t instanceof IndexTrailerContext ix) {
        List<Expr> subs = new ArrayList<>();
        for (SubscriptContext s : ix.subscriptlist().subscript()) subs.add(subscript(s));
        e = new Expr.Index(pos(ix), e, subs);
      } else {
        CallTrailerContext c = (CallTrailerContext) t;
        Pos callPos = e instanceof Expr.Attr a ? a.pos() : e instanceof Expr.Name n ? n.pos() : pos(c);
        e = new Expr.Call(callPos, e, args(c.arglist()));
      }
    }
    return e;
  }

  private Expr subscript(SubscriptContext s) {
    boolean isSlice = false;
    for (ParseTree c : s.children) if (c instanceof TerminalNode tn && tn.getText().equals(":")) isSlice = true;
    if (!isSlice) return test(s.test(0));
    // Work out which of start/stop/step each test fills, by its place among the colons.
    Expr[] parts = new Expr[3];
    int slot = 0;
    for (ParseTree c : s.children) {
      if (c instanceof TerminalNode tn && tn.getText().equals(":")) slot++;
      else if (c instanceof TestContext tc) parts[slot] = test(tc);
    }
    return new Expr.SliceExpr(pos(s), parts[0], parts[1], parts[2]);
  }

  private List<Expr.Arg> args(ArglistContext ctx) {
    List<Expr.Arg> out = new ArrayList<>();
    if (ctx == null) return out;
    boolean seenKeyword = false;
    for (ArgumentContext a : ctx.argument()) {
      Expr.Arg arg;
      if (a instanceof GenArgContext g) {
        arg = new Expr.Arg(pos(g), Expr.ArgKind.POSITIONAL, null, comprehension(pos(g), test(g.test()), g.comp_for()));
      } else if (a instanceof KwArgContext k) {
        arg = new Expr.Arg(pos(k), Expr.ArgKind.KEYWORD, k.NAME().getText(), test(k.test()));
      } else if (a instanceof TerseArgContext k) {
        arg = new Expr.Arg(pos(k), Expr.ArgKind.KEYWORD, k.NAME().getText(), test(k.test()));
      } else if (a instanceof StarArgContext s) {
        arg = new Expr.Arg(pos(s), Expr.ArgKind.STAR, null, test(s.test()));
      } else if (a instanceof StarStarArgContext s) {
        arg = new Expr.Arg(pos(s), Expr.ArgKind.STAR_STAR, null, test(s.test()));
      } else {
        PosArgContext p = (PosArgContext) a;
        arg = new Expr.Arg(pos(p), Expr.ArgKind.POSITIONAL, null, test(p.test()));
      }
      if (arg.kind() == Expr.ArgKind.KEYWORD || arg.kind() == Expr.ArgKind.STAR_STAR) seenKeyword = true;
      else if (seenKeyword && arg.kind() == Expr.ArgKind.POSITIONAL) {
        throw new DlnException("syntax error", "positional argument follows keyword argument",
            "put positional arguments first, e.g. Dense(64, activation=relu)", arg.pos());
      }
      out.add(arg);
    }
    return out;
  }

  private Expr atom(AtomContext ctx) {
    Pos p = pos(ctx);
    if (ctx instanceof NameAtomContext n) return new Expr.Name(p, n.getText());
    if (ctx instanceof IntAtomContext i) return new Expr.Literal(p, parseInt(i.getText(), p));
    if (ctx instanceof FloatAtomContext f) return new Expr.Literal(p, Double.parseDouble(f.getText().replace("_", "")));
    if (ctx instanceof TrueAtomContext) return new Expr.Literal(p, Boolean.TRUE);
    if (ctx instanceof FalseAtomContext) return new Expr.Literal(p, Boolean.FALSE);
    if (ctx instanceof NoneAtomContext) return new Expr.Literal(p, dln.interp.value.None.NONE);
    if (ctx instanceof EllipsisAtomContext) return new Expr.Literal(p, dln.interp.value.Ellipsis.ELLIPSIS);
    if (ctx instanceof StringAtomContext s) {
      return strings(p, s.STRING());
    }
    if (ctx instanceof ListCompAtomContext lc) return comprehension(p, test(lc.test()), lc.comp_for());
    // A generator expression is evaluated eagerly, as a list: sum(x for x in xs) reads it once.
    if (ctx instanceof GenAtomContext g) return comprehension(p, test(g.test()), g.comp_for());
    if (ctx instanceof DictCompAtomContext dc) {
      Expr.ListComp loop = comprehension(p, test(dc.test(1)), dc.comp_for());
      return new Expr.DictComp(p, test(dc.test(0)), loop.element(), loop.target(), loop.iterable(), loop.condition());
    }
    if (ctx instanceof ListAtomContext l) {
      List<Expr> items = new ArrayList<>();
      for (TestContext t : l.test()) items.add(test(t));
      return new Expr.ListExpr(p, items);
    }
    if (ctx instanceof DictAtomContext d) {
      List<Expr> keys = new ArrayList<>();
      List<Expr> values = new ArrayList<>();
      for (DictentryContext e : d.dictentry()) {
        keys.add(test(e.test(0)));
        values.add(test(e.test(1)));
      }
      return new Expr.DictExpr(p, keys, values);
    }
    ParenAtomContext par = (ParenAtomContext) ctx;
    if (par.testlist() == null) return new Expr.TupleExpr(p, List.of());
    Expr inner = testlist(par.testlist());
    if (inner instanceof Expr.TupleExpr t) return new Expr.TupleExpr(p, t.items());
    return inner;
  }

  private Expr.ListComp comprehension(Pos p, Expr element, Comp_forContext cf) {
    Expr target = targetlist(cf.targetlist());
    checkTarget(target, true);
    Expr cond = cf.or_test().size() > 1 ? or(cf.or_test(1)) : null;
    return new Expr.ListComp(p, element, target, or(cf.or_test(0)), cond);
  }

  /** Adjacent literals concatenate; an f-string among them makes the whole an FString. */
  private Expr strings(Pos p, List<TerminalNode> tokens) {
    List<Expr> parts = new ArrayList<>();
    boolean formatted = false;
    for (TerminalNode t : tokens) {
      String text = t.getText();
      String prefix = Strings.prefix(text);
      Pos at = pos(t.getSymbol());
      if (prefix.contains("f")) {
        formatted = true;
        parts.addAll(FStrings.parse(source, text, at).parts());
      } else {
        String lit = text.substring(prefix.length());
        parts.add(new Expr.Literal(at, prefix.contains("r") ? lit.substring(quoteLength(lit), lit.length() - quoteLength(lit))
            : Strings.unescape(lit, at)));
      }
    }
    if (!formatted) {
      StringBuilder sb = new StringBuilder();
      for (Expr e : parts) sb.append((String) ((Expr.Literal) e).value());
      return new Expr.Literal(p, sb.toString());
    }
    return new Expr.FString(p, parts);
  }

  private static int quoteLength(String lit) {
    return lit.startsWith("'''") || lit.startsWith("\"\"\"") ? 3 : 1;
  }

  private static Long parseInt(String text, Pos p) {
    String t = text.replace("_", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseLong(t.substring(2), 16);
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new DlnException("syntax error", "integer literal too large: " + text, null, p);
    }
  }
}

/*
 * DLN grammar. A Python-style surface so that Keras code from workshop slides runs verbatim:
 * newline-terminated statements, indented blocks (INDENT/DEDENT are made by DlnLexerBase),
 * calls with k=v and terse `k v` arguments, and the chain operator `->`.
 */
grammar Dln;

tokens { INDENT, DEDENT }

@lexer::members {
  // The indentation logic lives in Indenter (plain Java) so that it can be read and tested.
  private final Indenter indenter = new Indenter(this);
  @Override public Token nextToken() { return indenter.nextToken(); }
  /** The raw token stream, before INDENT/DEDENT are added. */
  public Token rawNextToken() { return super.nextToken(); }
  private void openBracket() { indenter.openBracket(); }
  private void closeBracket() { indenter.closeBracket(); }
  /** The innermost bracket left open at the end of input, or null. */
  public Token unclosedBracket() { return indenter.unclosedBracket(); }
}

// ---------------------------------------------------------------- statements

file_input : (NEWLINE | stmt)* EOF ;

/** One REPL entry or `-e` snippet: like a file. */
single_input : (NEWLINE | stmt)* EOF ;

stmt : simple_stmts | compound_stmt ;

simple_stmts : simple_stmt (';' simple_stmt)* ';'? (NEWLINE | EOF) ;

simple_stmt
    : assign_stmt                              # assignStmt_
    | 'pass'                                   # passStmt_
    | 'break'                                  # breakStmt_
    | 'continue'                               # continueStmt_
    | 'return' testlist?                       # returnStmt_
    | import_stmt                              # importStmt_
    | 'raise' (test ('from' test)?)?           # raiseStmt_
    | 'assert' test (',' test)?                # assertStmt_
    | 'global' NAME (',' NAME)*                # globalStmt_
    | 'nonlocal' NAME (',' NAME)*              # nonlocalStmt_
    | 'del' targetlist                         # delStmt_
    ;

/** Python's imports: the modules are DLN's builtins grouped as keras, numpy, tensorflow... */
import_stmt
    : 'import' dotted_as_name (',' dotted_as_name)*                       # importNames
    | 'from' dotted_name 'import' ( star='*'
                                  | import_as_name (',' import_as_name)* ','?
                                  | '(' import_as_name (',' import_as_name)* ','? ')' )  # fromImport
    ;
dotted_as_name : dotted_name ('as' NAME)? ;
import_as_name : NAME ('as' NAME)? ;
dotted_name : NAME ('.' NAME)* ;

assign_stmt
    : testlist augassign testlist              # augAssign
    | testlist ('=' testlist)+                 # assign
    | testlist                                 # exprStmt
    ;

augassign : '+=' | '-=' | '*=' | '/=' | '//=' | '%=' | '**=' | '@=' ;

compound_stmt : if_stmt | for_stmt | while_stmt | funcdef | try_stmt | classdef | with_stmt | decorated ;

/** `@name`, `@a.b(args)` lines above a def or class: Python's decorators. */
decorated : decorator+ (funcdef | classdef) ;
decorator : '@' dotted_name ('(' arglist? ')')? NEWLINE ;

/** `class Name(Base):` with methods; one base at most (see ClassStatements in the interpreter). */
classdef : 'class' NAME ('(' arglist? ')')? ':' block ;

with_stmt : 'with' with_item (',' with_item)* ':' block ;
with_item : test ('as' target)? ;

/** try/except/else/finally; `except` alone catches every error but Ctrl-C (see TryStatements). */
try_stmt
    : 'try' ':' block (except_clause ':' block)+ ('else' ':' block)? ('finally' ':' block)?
    | 'try' ':' block 'finally' ':' block
    ;

except_clause : 'except' (test ('as' NAME)?)? ;

if_stmt : 'if' test ':' block ('elif' test ':' block)* ('else' ':' block)? ;

for_stmt : 'for' targetlist 'in' testlist ':' block ;

while_stmt : 'while' test ':' block ;

funcdef : 'def' NAME '(' parameters? ')' ':' block ;

parameters : parameter (',' parameter)* ','? ;

parameter : NAME ('=' test)? | '*' NAME | '**' NAME ;

block : simple_stmts | NEWLINE INDENT stmt+ DEDENT ;

targetlist : target (',' target)* ','? ;
target : expr ;

// ---------------------------------------------------------------- expressions

testlist : test (',' test)* (trailing=',')? ;

test
    : chain ('if' chain 'else' test)?          # conditional
    | 'lambda' lambda_params? ':' test         # lambda
    ;

lambda_params : parameter (',' parameter)* ;

/** `a -> f -> g` is g(f(a)); the lowest binary operator, just above the conditional. */
chain : or_test ('->' or_test)* ;

or_test : and_test ('or' and_test)* ;

and_test : not_test ('and' not_test)* ;

not_test : 'not' not_test | comparison ;

comparison : expr (comp_op expr)* ;

comp_op : '<' | '>' | '==' | '>=' | '<=' | '!=' | 'in' | 'not' 'in' | 'is' | 'is' 'not' ;

expr : arith_expr ;

arith_expr : term (addop term)* ;
addop : '+' | '-' ;

term : factor (mulop factor)* ;
mulop : '*' | '/' | '//' | '%' | '@' ;

factor : ('+' | '-') factor | power ;

power : atom_expr ('**' factor)? ;

atom_expr : atom trailer* ;

trailer
    : '(' arglist? ')'                         # callTrailer
    | '[' subscriptlist ']'                    # indexTrailer
    | '.' NAME                                 # attrTrailer
    ;

atom
    : '(' (testlist)? ')'                      # parenAtom
    | '[' test comp_for ']'                    # listCompAtom
    | '(' test comp_for ')'                    # genAtom
    | '{' test ':' test comp_for '}'           # dictCompAtom
    | '[' (test (',' test)* ','?)? ']'         # listAtom
    | '{' (dictentry (',' dictentry)* ','?)? '}' # dictAtom
    | NAME                                     # nameAtom
    | INT                                      # intAtom
    | FLOAT                                    # floatAtom
    | STRING+                                  # stringAtom
    | ('true' | 'True')                        # trueAtom
    | ('false' | 'False')                      # falseAtom
    | ('none' | 'None')                        # noneAtom
    | '...'                                    # ellipsisAtom
    ;

dictentry : test ':' test ;

/** The loop of a list comprehension: [x * 2 for x in xs if x > 0]. */
comp_for : 'for' targetlist 'in' or_test ('if' or_test)? ;

subscriptlist : subscript (',' subscript)* ','? ;
subscript : test | test? ':' test? (':' test?)? ;

arglist : argument (',' argument)* ','? ;

/** Positional, `k=v`, terse `k v` (as in `Conv2D(128, 5, stride 2)`), and `*xs` / `**kw`. */
argument
    : NAME '=' test                            # kwArg
    | test comp_for                            # genArg
    | test                                     # posArg
    | NAME test                                # terseArg
    | '*' test                                 # starArg
    | '**' test                                # starStarArg
    ;

// ---------------------------------------------------------------- lexer

NAME : [a-zA-Z_] [a-zA-Z_0-9]* ;

FLOAT
    : DIGITS '.' DIGITS? EXPONENT?
    | '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;
INT : DIGITS | '0' [xX] [0-9a-fA-F_]+ ;
fragment DIGITS : [0-9] [0-9_]* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

/** A string literal, with Python's prefixes: f'…' is formatted (FStrings), r'…' raw. */
STRING : STRING_PREFIX? STRING_BODY ;
fragment STRING_PREFIX : [fFrRbBuU] | [fFrRbB] [fFrRbB] ;
fragment STRING_BODY
    : '\'' ( '\\' . | ~[\\\r\n'] )* '\''
    | '"' ( '\\' . | ~[\\\r\n"] )* '"'
    | '\'\'\'' .*? '\'\'\''
    | '"""' .*? '"""'
    ;

OPEN_PAREN : '(' { openBracket(); } ;
CLOSE_PAREN : ')' { closeBracket(); } ;
OPEN_BRACK : '[' { openBracket(); } ;
CLOSE_BRACK : ']' { closeBracket(); } ;
OPEN_BRACE : '{' { openBracket(); } ;
CLOSE_BRACE : '}' { closeBracket(); } ;

NEWLINE : ( '\r'? '\n' | '\r' ) [ \t\f]* ;

COMMENT : '#' ~[\r\n]* -> skip ;
LINE_JOIN : '\\' [ \t]* ( '\r'? '\n' | '\r' ) -> skip ;
WS : [ \t\f]+ -> skip ;

/** Anything else becomes one token the parser cannot use, so it reports it with its position. */
UNKNOWN_CHAR : . ;

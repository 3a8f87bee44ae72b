package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dln.Dln;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DlnHighlighterTest {
  private Dln dln;
  private DlnHighlighter highlighter;

  @BeforeEach
  void setUp() {
    dln = Dln.builder().out(new PrintWriter(new StringWriter())).err(new PrintWriter(new StringWriter())).build();
    highlighter = new DlnHighlighter(new Catalog(dln.interpreter()));
  }

  /** The style at the first character of {@code part} within {@code code}. */
  private AttributedStyle styleOf(String code, String part) {
    AttributedString s = highlighter.highlight(code);
    assertEquals(code, s.toString(), "highlighting never changes the text");
    return s.styleAt(code.indexOf(part));
  }

  @Test
  void keywordsStringsNumbersCommentsAndBuiltins() {
    String code = "for x in range(10): print('hi', 2.5e-3)  # loop";
    assertEquals(DlnHighlighter.KEYWORD, styleOf(code, "for"));
    assertEquals(DlnHighlighter.KEYWORD, styleOf(code, "in "));
    assertEquals(DlnHighlighter.BUILTIN, styleOf(code, "range"));
    assertEquals(DlnHighlighter.NUMBER, styleOf(code, "10"));
    assertEquals(DlnHighlighter.STRING, styleOf(code, "'hi'"));
    assertEquals(DlnHighlighter.NUMBER, styleOf(code, "2.5e-3"));
    assertEquals(DlnHighlighter.COMMENT, styleOf(code, "# loop"));
    assertEquals(AttributedStyle.DEFAULT, styleOf(code, "x "));
  }

  @Test
  void userVariablesShadowingABuiltinAreNotColouredAsBuiltins() {
    dln.eval("len = 3");
    assertEquals(AttributedStyle.DEFAULT, styleOf("len + 1", "len"));
    assertEquals(AttributedStyle.DEFAULT, styleOf("xs.print", "print"), "attributes are not builtins");
  }

  @Test
  void capitalisedBuiltinsAreLayers() {
    // Layers arrive with the nn library; a capitalised builtin added here stands in for one.
    dln.interpreter().builtins().def("Dense", "units, activation?", "A layer.\nExample: Dense(10)", a -> null);
    dln.interpreter().globals().parent().define("Dense", dln.interpreter().builtins().get("Dense"));
    assertEquals(DlnHighlighter.LAYER, styleOf("Dense(10)", "Dense"));
  }

  @Test
  void errorsAreMarked() {
    assertEquals(DlnHighlighter.ERROR, styleOf("print('unterminated)", "'unterminated"));
    assertEquals(DlnHighlighter.ERROR, highlighter.highlight("f(1))").styleAt(4), "the extra ')'");
    assertEquals(AttributedStyle.DEFAULT, highlighter.highlight("f(1))").styleAt(3));
    assertEquals(DlnHighlighter.ERROR, styleOf("x = [1, 2)", ")"));
    assertEquals(DlnHighlighter.ERROR, styleOf("x = 1 $ 2", "$"));
    assertEquals(AttributedStyle.DEFAULT, styleOf("f((1))", ")"));
  }

  @Test
  void tripleQuotedStringsSpanLines() {
    String code = "s = '''one\ntwo'''\nx = 1";
    assertEquals(DlnHighlighter.STRING, styleOf(code, "two"));
    assertEquals(DlnHighlighter.NUMBER, styleOf(code, "1"));
  }

  @Test
  void commandsAreColouredAsCommands() {
    assertEquals(DlnHighlighter.COMMAND, styleOf(":help print", ":help"));
    assertEquals(AttributedStyle.DEFAULT, styleOf(":help print", "print"));
  }
}

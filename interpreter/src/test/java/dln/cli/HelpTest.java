package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.call.Builtin;
import dln.interp.value.Namespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HelpTest {
  private Dln dln;
  private Catalog catalog;

  @BeforeEach
  void setUp() {
    dln = Dln.builder().out(new PrintWriter(new StringWriter())).err(new PrintWriter(new StringWriter())).build();
    catalog = new Catalog(dln.interpreter());
  }

  /** Every builtin (and namespace member) gets a signature, a description line and an example. */
  @Test
  void everyBuiltinHasSignatureDescriptionAndExample() {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Object> e : dln.interpreter().builtins().values().entrySet()) {
      List<Map.Entry<String, Object>> items = new ArrayList<>();
      if (e.getValue() instanceof Namespace ns) {
        ns.members().forEach((k, v) -> items.add(Map.entry(e.getKey() + "." + k, v)));
      } else {
        items.add(e);
      }
      for (Map.Entry<String, Object> item : items) {
        if (!(item.getValue() instanceof Builtin b)) continue;
        String help = Help.text(catalog, item.getKey());
        String[] lines = help.split("\n");
        boolean ok = lines[0].equals(b.signature()) && lines.length >= 3 && !lines[1].isBlank()
            && !lines[1].contains("(no description)") && help.contains("Example:");
        if (!ok) missing.add(item.getKey());
      }
    }
    assertEquals(List.of(), missing, "builtins whose :help lacks a description or an example");
  }

  @Test
  void enumLikeParametersListTheirValues() {
    dln.interpreter().builtins().def("Conv2D", "filters, kernel_size, strides?, padding?, activation?",
        "A 2-D convolution.\nExample: Conv2D(32, 3, padding='same')", a -> null);
    dln.interpreter().globals().parent().define("Conv2D", dln.interpreter().builtins().get("Conv2D"));
    String help = Help.text(catalog, "Conv2D");
    assertTrue(help.startsWith("Conv2D(filters, kernel_size, strides?, padding?, activation?)\n  A 2-D convolution."), help);
    assertTrue(help.contains("\n  padding: valid, same"), help);
    assertTrue(help.contains("\n  activation: linear, sigmoid, tanh, relu, elu, softmax"), help);
  }

  @Test
  void userFunctionsMethodsValuesAndUnknownNames() {
    dln.eval("def area(w, h=2):\n    return w * h\nxs = [1]");
    assertEquals("area(w, h=2)\n  (no description)", Help.text(catalog, "area"));
    assertTrue(Help.text(catalog, "xs.append").startsWith("list.append("), Help.text(catalog, "xs.append"));
    assertTrue(Help.text(catalog, "xs").startsWith("xs is a list; attributes and methods: "), Help.text(catalog, "xs"));
    assertTrue(Help.text(catalog, "prnt").startsWith("no help for 'prnt' (did you mean 'print'?)"));
    assertTrue(Help.text(catalog, ":sa").startsWith(":save FILE\n"));
    assertTrue(Help.text(catalog, "").contains(":summary MODEL"));
  }

  /** Issue 17: a method's help is reachable without a value at hand, by Type.member and by bare name. */
  @Test
  void methodsHaveHelpByTypeDotMemberAndByBareName() {
    String qualified = Help.text(catalog, "Sequential.fit");
    assertTrue(qualified.startsWith("Sequential.fit(x, y?"), qualified);
    assertTrue(!qualified.contains("no help"), qualified);
    // Bare: the type that declares it (Model, which Sequential extends), the same text.
    String bare = Help.text(catalog, "fit");
    assertTrue(bare.startsWith("Model.fit(x, y?"), bare);
    assertEquals(qualified.substring(qualified.indexOf('\n')), bare.substring(bare.indexOf('\n')));
    assertTrue(Help.text(catalog, "Sequential.nosuch").startsWith("no help for 'Sequential.nosuch'"));
  }
}

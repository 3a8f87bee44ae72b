package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.Formatting;
import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.Iteration;
import dln.interp.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The methods of strings (s.split, s.format…), declared in {@link TypeTable}. */
final class StringMethods {
  private StringMethods() {}

  static void install() {
    TypeTable.define(String.class, "string")
        .method("join", "items", "Joins strings with this one between them.\nExample: ', '.join(['a', 'b'])", (String s, Args a) -> {
          List<String> parts = new ArrayList<>();
          for (Object o : Iteration.toList(a.invoker(), a.get("items"))) {
            if (!(o instanceof String str)) throw DlnException.type("join() needs strings, found " + Values.typeName(o));
            parts.add(str);
          }
          return String.join(s, parts);
        })
        .method("format", "*args, **kwargs", "Fills {} fields.\nExample: 'loss {:.3f}'.format(0.12345)", (String s, Args a) ->
            Formatting.format(s, a.rest(), a.restKeywords()))
        .method("upper", "", "Upper-case copy.", (String s, Args a) -> s.toUpperCase(Locale.ROOT))
        .method("lower", "", "Lower-case copy.", (String s, Args a) -> s.toLowerCase(Locale.ROOT))
        .method("strip", "chars?", "Without leading and trailing whitespace.", (String s, Args a) -> s.strip())
        .method("lstrip", "", "Without leading whitespace.", (String s, Args a) -> s.stripLeading())
        .method("rstrip", "", "Without trailing whitespace.", (String s, Args a) -> s.stripTrailing())
        .method("split", "sep?, maxsplit?", "Splits on sep (default: runs of whitespace).\nExample: 'a,b'.split(',')", (String s, Args a) -> {
          List<Object> out = new ArrayList<>();
          if (!a.has("sep")) {
            for (String p : s.strip().split("\\s+")) if (!p.isEmpty()) out.add(p);
          } else {
            String sep = a.string("sep");
            if (sep.isEmpty()) throw DlnException.value("empty separator");
            int limit = a.has("maxsplit") ? a.intValue("maxsplit") + 1 : -1;
            out.addAll(List.of(s.split(java.util.regex.Pattern.quote(sep), limit)));
          }
          return out;
        })
        .method("replace", "old, new", "Copy with every old replaced by new.", (String s, Args a) -> s.replace(a.string("old"), a.string("new")))
        .method("startswith", "prefix", "True if the string starts with prefix.", (String s, Args a) -> s.startsWith(a.string("prefix")))
        .method("endswith", "suffix", "True if the string ends with suffix.", (String s, Args a) -> s.endsWith(a.string("suffix")))
        .method("find", "sub", "Index of sub, or -1.", (String s, Args a) -> (long) s.indexOf(a.string("sub")))
        .method("count", "sub", "Occurrences of sub.", (String s, Args a) -> {
          String sub = a.string("sub");
          if (sub.isEmpty()) return (long) s.length() + 1;
          long n = 0;
          for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
          return n;
        })
        .method("center", "width", "Centred in a field of width.", (String s, Args a) -> Formatting.spec(s, "^" + a.integer("width")))
        .method("ljust", "width", "Left-justified in a field of width.", (String s, Args a) -> Formatting.spec(s, "<" + a.integer("width")))
        .method("rjust", "width", "Right-justified in a field of width.", (String s, Args a) -> Formatting.spec(s, ">" + a.integer("width")))
        .method("isdigit", "", "True if all characters are digits.", (String s, Args a) -> !s.isEmpty() && s.chars().allMatch(Character::isDigit));
  }
}

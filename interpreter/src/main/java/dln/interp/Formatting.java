package dln.interp;

import dln.interp.value.Tuple;
import dln.interp.value.Values;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python's string formatting: {@code '%.2f' % x} and {@code '{:.2f} {name}'.format(...)}. */
public final class Formatting {
  private Formatting() {}

  static String percent(String fmt, Object arg) {
    List<Object> args = arg instanceof Tuple t ? t.items() : List.of(arg);
    StringBuilder sb = new StringBuilder();
    int next = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      int j = i + 1;
      while (j < fmt.length() && "-+ 0#.0123456789".indexOf(fmt.charAt(j)) >= 0) j++;
      if (j >= fmt.length()) throw DlnException.value("incomplete format in '" + fmt + "'");
      char conv = fmt.charAt(j);
      String spec = fmt.substring(i + 1, j);
      i = j;
      if (conv == '%') {
        sb.append('%');
        continue;
      }
      if (next >= args.size()) throw DlnException.type("not enough arguments for format string '" + fmt + "'");
      sb.append(one(spec, conv, args.get(next++)));
    }
    if (next < args.size()) throw DlnException.type("not all arguments converted during string formatting");
    return sb.toString();
  }

  /** Formats one value with a Python format spec such as ".2f", "5d", ">8", ",". */
  public static String spec(Object v, String spec) {
    return FormatSpec.format(v, spec);
  }

  private static Object number(Object v) {
    v = Values.unwrapScalar(v);
    if (!Values.isNumber(v)) throw DlnException.type("a number is needed for this format, got " + Values.typeName(v));
    return v;
  }

  private static String one(String flags, char conv, Object v) {
    switch (conv) {
      case 's':
        return String.format(Locale.ROOT, "%" + flags + "s", Values.str(v));
      case 'r':
        return String.format(Locale.ROOT, "%" + flags + "s", Values.repr(v));
      case 'd':
      case 'i': {
        Object n = number(v);
        long l = n instanceof Long x ? x : (long) Values.toDouble(n);
        return String.format(Locale.ROOT, "%" + flags + "d", l);
      }
      case 'x':
        return String.format(Locale.ROOT, "%" + flags + "x", (long) Values.toDouble(number(v)));
      case 'f':
      case 'e':
      case 'g':
      case 'E':
      case 'F':
      case 'G':
        return String.format(Locale.ROOT, "%" + flags + conv, Values.toDouble(number(v)));
      default:
        throw DlnException.value("unsupported format character '" + conv + "'");
    }
  }

  /** str.format: {} {0} {name} {:.2f} {name:>8}. */
  public static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
    StringBuilder sb = new StringBuilder();
    int auto = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c == '{' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
        sb.append('{');
        i++;
      } else if (c == '}' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
        sb.append('}');
        i++;
      } else if (c == '{') {
        int end = fmt.indexOf('}', i);
        if (end < 0) throw DlnException.value("unclosed '{' in format string");
        String field = fmt.substring(i + 1, end);
        String spec = "";
        int colon = field.indexOf(':');
        if (colon >= 0) {
          spec = field.substring(colon + 1);
          field = field.substring(0, colon);
        }
        Object v;
        if (field.isEmpty()) {
          if (auto >= args.size()) throw DlnException.index("format string needs more arguments than the " + args.size() + " given");
          v = args.get(auto++);
        } else if (field.chars().allMatch(Character::isDigit)) {
          int k = Integer.parseInt(field);
          if (k >= args.size()) throw DlnException.index("format field {" + k + "} but only " + args.size() + " arguments given");
          v = args.get(k);
        } else {
          if (!kwargs.containsKey(field)) throw DlnException.value("format field {" + field + "} has no keyword argument");
          v = kwargs.get(field);
        }
        sb.append(spec(v, spec));
        i = end;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}

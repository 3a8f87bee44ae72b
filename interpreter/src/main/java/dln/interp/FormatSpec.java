package dln.interp;

import dln.interp.value.Values;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's format-spec mini-language, {@code [[fill]align][sign][#][0][width][,|_][.precision][type]},
 * as f-strings and str.format use it: {@code {acc:.3f}}, {@code {n:,}}, {@code {v:>8}}, {@code {x:08.2e}}.
 */
final class FormatSpec {
  private static final Pattern SPEC = Pattern.compile(
      "(?:(.)?([<>=^]))?([+\\- ])?(#)?(0)?(\\d+)?([,_])?(?:\\.(\\d+))?([bcdeEfFgGnosxX%])?", Pattern.DOTALL);

  private FormatSpec() {}

  static String format(Object v, String spec) {
    if (spec.isEmpty()) return Values.str(v);
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw new DlnException("value error", "invalid format specifier '" + spec + "'",
          "the form is [[fill]align][sign][0][width][,][.precision][type], e.g. '>8', '.3f', ','", null);
    }
    char fill = m.group(1) != null ? m.group(1).charAt(0) : ' ';
    char align = m.group(2) != null ? m.group(2).charAt(0) : 0;
    char sign = m.group(3) != null ? m.group(3).charAt(0) : '-';
    boolean alt = m.group(4) != null;
    if (m.group(5) != null && m.group(2) == null) {
      fill = '0';
      align = '=';
    }
    int width = m.group(6) != null ? Integer.parseInt(m.group(6)) : 0;
    String grouping = m.group(7);
    int precision = m.group(8) != null ? Integer.parseInt(m.group(8)) : -1;
    char type = m.group(9) != null ? m.group(9).charAt(0) : 0;

    if (type != 's') v = Values.unwrapScalar(v);
    if (v instanceof Boolean b && type != 0 && type != 's') v = b ? 1L : 0L;
    String body;
    boolean numeric = v instanceof Long || v instanceof Double;
    if (type == 's' || (type == 0 && !numeric)) {
      if (grouping != null || sign != '-') throw DlnException.value("this format needs a number, got " + Values.typeName(v));
      body = Values.str(v);
      if (precision >= 0 && body.length() > precision) body = body.substring(0, precision);
      return pad(body, width, fill, align == 0 ? '<' : align == '=' ? '<' : align);
    }
    if (!numeric) {
      throw new DlnException("value error", "unknown format code '" + type + "' for a " + Values.typeName(v),
          "format numbers with it, or use {x!s} / str(x)", null);
    }
    String digits;
    boolean negative;
    if (v instanceof Long l && (type == 0 || "dnbox Xc".indexOf(type) >= 0)) {
      if (precision >= 0) throw DlnException.value("precision not allowed in an integer format specifier");
      negative = l < 0;
      long a = Math.abs(l);
      digits = switch (type) {
        case 'b' -> (alt ? "0b" : "") + Long.toBinaryString(a);
        case 'o' -> (alt ? "0o" : "") + Long.toOctalString(a);
        case 'x' -> (alt ? "0x" : "") + Long.toHexString(a);
        case 'X' -> (alt ? "0X" : "") + Long.toHexString(a).toUpperCase(Locale.ROOT);
        case 'c' -> String.valueOf((char) a);
        default -> group(Long.toString(a), grouping);
      };
    } else {
      if ("dnboxXc".indexOf(type) >= 0 && type != 0) {
        throw new DlnException("value error", "unknown format code '" + type + "' for a float", "use .0f to show a float without decimals", null);
      }
      double d = Values.toDouble(v);
      negative = d < 0 || (d == 0 && 1 / d < 0);
      d = Math.abs(d);
      digits = floatDigits(d, type, precision, alt, grouping);
    }
    String signText = negative ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "";
    if (align == '=') return signText + pad(digits, width - signText.length(), fill, '>');
    return pad(signText + digits, width, fill, align == 0 ? '>' : align);
  }

  private static String floatDigits(double d, char type, int precision, boolean alt, String grouping) {
    if (Double.isNaN(d)) return Character.isUpperCase(type) ? "NAN" : "nan";
    if (Double.isInfinite(d)) return Character.isUpperCase(type) ? "INF" : "inf";
    int p = precision < 0 ? 6 : precision;
    String out = switch (type) {
      case 'f', 'F' -> group(String.format(Locale.ROOT, "%." + p + "f", d), grouping);
      case 'e', 'E' -> String.format(Locale.ROOT, "%." + p + "e", d);
      case '%' -> group(String.format(Locale.ROOT, "%." + p + "f", d * 100), grouping) + "%";
      case 'g', 'G' -> general(d, p, alt);
      default -> precision < 0 ? Values.str(d) : general(d, p, true);
    };
    return Character.isUpperCase(type) ? out.toUpperCase(Locale.ROOT) : out;
  }

  /** Python's 'g': p significant digits, fixed or scientific by the exponent, trailing zeros dropped. */
  private static String general(double d, int p, boolean keepPoint) {
    if (p == 0) p = 1;
    if (d == 0) return "0";
    BigDecimal r = new BigDecimal(d).round(new MathContext(p));
    int exp = r.precision() - r.scale() - 1;
    String s;
    if (exp >= -4 && exp < p) {
      s = r.setScale(Math.max(0, p - 1 - exp), java.math.RoundingMode.HALF_EVEN).toPlainString();
      if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", keepPoint ? ".0" : "");
    } else {
      String mant = String.format(Locale.ROOT, "%." + (p - 1) + "e", d);
      int e = mant.indexOf('e');
      String m = mant.substring(0, e);
      if (m.contains(".")) m = m.replaceAll("0+$", "").replaceAll("\\.$", "");
      s = m + mant.substring(e);
    }
    return s;
  }

  /** Thousands separators in the integer part: 1234567.5 with ',' is 1,234,567.5. */
  private static String group(String number, String sep) {
    if (sep == null) return number;
    int dot = number.indexOf('.');
    String whole = dot < 0 ? number : number.substring(0, dot);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) sb.append(sep);
      sb.append(whole.charAt(i));
    }
    return dot < 0 ? sb.toString() : sb + number.substring(dot);
  }

  private static String pad(String s, int width, char fill, char align) {
    if (s.length() >= width) return s;
    int n = width - s.length();
    String f = String.valueOf(fill);
    return switch (align) {
      case '>' -> f.repeat(n) + s;
      case '^' -> f.repeat(n / 2) + s + f.repeat(n - n / 2);
      default -> s + f.repeat(n);
    };
  }
}

package dev.tokenwise.audit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Writes values as config YAML: flow style ({@code { exact: true, ttl: 1h }}, {@code [ a, b ]}) where a
 * line holds it, block style below its key otherwise. Values come either from a recommendation (String,
 * Number, Boolean, List, Map, null: written so that the loader reads them back as the same value) or
 * from the file itself ({@link Raw}: written as they stood, {@code ${ENV}} references included).
 */
final class YamlValues {
  /** The longest line a flow value is written on; a longer one goes below its key in block style. */
  static final int WIDTH = 100;

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./@+-]*");
  private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();

  private YamlValues() {}

  /**
   * A scalar copied from the file, before {@code ${ENV}} substitution.
   *
   * @param source its text in the file, quotes included
   * @param value what YAML reads from it, references still unreplaced
   * @param style how it is written
   */
  record Raw(String source, String value, ScalarStyle style) {}

  /** A value on one line. */
  static String flow(Object v) {
    if (v instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return "{}";
      }
      List<String> parts = new ArrayList<>();
      map.forEach((k, x) -> parts.add(key(k.toString()) + ": " + flow(x)));
      return "{ " + String.join(", ", parts) + " }";
    }
    if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        return "[]";
      }
      List<String> parts = new ArrayList<>();
      list.forEach(x -> parts.add(flow(x)));
      return "[ " + String.join(", ", parts) + " ]";
    }
    return scalar(v);
  }

  /**
   * The lines of {@code key: value} with the key at column {@code indent}: the value on the key's line
   * when it fits in {@link #WIDTH}, else below it in block style.
   */
  static List<String> entry(String key, Object v, int indent) {
    String head = " ".repeat(indent) + key(key) + ":";
    String oneLine = flow(v);
    List<String> lines = new ArrayList<>();
    boolean collection = v instanceof Map<?, ?> m && !m.isEmpty() || v instanceof List<?> l && !l.isEmpty();
    if (!collection || head.length() + 1 + oneLine.length() <= WIDTH) {
      lines.add(head + " " + oneLine);
      return lines;
    }
    lines.add(head);
    lines.addAll(below(v, indent + 2));
    return lines;
  }

  /** A collection's lines in block style at column {@code indent}, for below a key. */
  static List<String> below(Object v, int indent) {
    List<String> lines = new ArrayList<>();
    if (v instanceof Map<?, ?> map) {
      map.forEach((k, x) -> lines.addAll(entry(k.toString(), x, indent)));
    } else if (v instanceof List<?> list) {
      list.forEach(x -> lines.add(" ".repeat(indent) + "- " + flow(x)));
    } else {
      lines.add(" ".repeat(indent) + flow(v));
    }
    return lines;
  }

  /** A mapping key: plain when YAML reads it back as the same text, else double-quoted. */
  static String key(String k) {
    return plainSafe(k) ? k : quoted(k);
  }

  /** One scalar; a recommendation's text has its {@code ${} written as {@code $${} so it stays literal. */
  static String scalar(Object v) {
    if (v instanceof Raw raw) {
      return raw(raw);
    }
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger
        || v instanceof Short || v instanceof Byte) {
      return v.toString();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.isNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
      }
      String s = BigDecimal.valueOf(d).toPlainString();
      return s.contains(".") ? s : s + ".0";
    }
    String text = v.toString().replace("${", "$${");
    return plainSafe(text) ? text : quoted(text);
  }

  /**
   * A scalar copied from the file as it stood when that is safe on one line in flow style; else its
   * value double-quoted (a multi-line or block scalar, or plain text holding a flow indicator).
   */
  private static String raw(Raw raw) {
    boolean oneLine = raw.source().indexOf('\n') < 0 && raw.source().indexOf('\r') < 0;
    return switch (raw.style()) {
      case PLAIN -> oneLine && raw.source().chars().noneMatch(c -> ",[]{}:#".indexOf(c) >= 0) ? raw.source()
          : quoted(raw.value());
      case SINGLE_QUOTED, DOUBLE_QUOTED -> oneLine ? raw.source() : quoted(raw.value());
      default -> quoted(raw.value());
    };
  }

  private static boolean plainSafe(String s) {
    return PLAIN.matcher(s).matches() && Tag.STR.equals(RESOLVER.resolve(s, true));
  }

  static String quoted(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}

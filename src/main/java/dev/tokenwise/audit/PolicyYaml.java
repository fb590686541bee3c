package dev.tokenwise.audit;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The policy a {@link Recommendation} would add, as the YAML the reports show: one entry of
 * {@code policies:} that matches the pattern and sets the key, values in flow style.
 *
 * <pre>
 * - match: { pattern: faq-bot }
 *   cache: { exact: true, ttl: 1h }
 * </pre>
 *
 * <p>Rendering only: writing it into a config file is {@code tokenwise apply}'s business.
 */
public final class PolicyYaml {
  /** Plain scalars YAML 1.2 (core schema) or 1.1 would read as something other than a string. */
  private static final Pattern NOT_A_STRING = Pattern.compile(
      "(?i)(true|false|yes|no|y|n|on|off|null|~|[-+]?(\\d[\\d_]*)?(\\.\\d*)?([eE][-+]?\\d+)?|[-+]?\\.(inf|nan)"
          + "|0x[0-9a-f_]+|0o[0-7_]+|\\d+(:\\d+)+(\\.\\d*)?)");

  private PolicyYaml() {}

  /** The policy entry, two lines, each ending in a newline. */
  public static String of(Recommendation r) {
    return "- match: { pattern: " + scalar(r.pattern()) + " }\n  " + scalar(r.key()) + ": " + value(r.value()) + "\n";
  }

  /** A value in flow style: maps as {@code { k: v }}, lists as {@code [a, b]}. */
  static String value(Object v) {
    if (v instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return "{}";
      }
      StringBuilder out = new StringBuilder("{ ");
      for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<?, ?> e = it.next();
        out.append(scalar(String.valueOf(e.getKey()))).append(": ").append(value(e.getValue()));
        out.append(it.hasNext() ? ", " : " }");
      }
      return out.toString();
    }
    if (v instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ", ").append(value(list.get(i)));
      }
      return out.append(']').toString();
    }
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Number n) {
      boolean floating = n instanceof Double || n instanceof Float;
      return floating ? BigDecimal.valueOf(n.doubleValue()).toPlainString() : n.toString();
    }
    return scalar(v.toString());
  }

  /** A string as a plain scalar when YAML reads it back as the same string in a flow, else double-quoted. */
  static String scalar(String s) {
    return plain(s) ? s : quoted(s);
  }

  private static boolean plain(String s) {
    if (s.isEmpty() || NOT_A_STRING.matcher(s).matches() || s.startsWith(" ") || s.endsWith(" ")) {
      return false;
    }
    if ("-?:".indexOf(s.charAt(0)) >= 0 || "!&*#|>'\"%@`".indexOf(s.charAt(0)) >= 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || ",[]{}:#".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

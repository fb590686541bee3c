package dev.tokenwise.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.util.List;

/**
 * The rows of {@code requests} behind a figure of the JSON report: those of a period that meet a
 * condition, and what the figure adds up over them. The conditions name the columns as the log stores
 * them, and undo the labels the audit gives to missing values ({@code (none)}, {@code ?}, …).
 *
 * @param where an SQL condition, or null for every row of the period
 * @param sums the column or expression the figure adds up, or a description when SQL cannot add it up
 *     (the amounts in a trace); null for a count
 */
record RowQuery(Period period, String where, String sums) {
  static final String COST = "cost_pico_usd";

  ObjectNode json() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("table", "requests");
    n.put("from", period.from().toString());
    n.put("to", period.to().toString());
    n.put("where", where);
    n.put("sums", sums);
    n.put("sql", sql());
    return n;
  }

  /** The statement that returns the figure (when SQL can add it up) and the number of rows. */
  String sql() {
    String select = sums == null ? "COUNT(*)" : sums.contains("_pico_usd") ? "SUM(" + sums + "), COUNT(*)" : "trace";
    String sql = "SELECT " + select + " FROM requests WHERE time_ms >= " + period.from().toEpochMilli()
        + " AND time_ms < " + period.to().toEpochMilli();
    if (where != null) {
      sql += " AND " + (where.contains(" OR ") ? "(" + where + ")" : where);
    }
    return sql;
  }

  /** A pattern's rows; the audit's {@code (none)} is the rows without one. */
  static String pattern(String pattern) {
    return nullOr(pattern, Audit.NO_PATTERN, "pattern");
  }

  /** Several patterns' rows. */
  static String patterns(List<String> patterns) {
    if (patterns.isEmpty()) {
      return "FALSE";
    }
    return String.join(" OR ", patterns.stream().map(RowQuery::pattern).toList());
  }

  /** {@code provider/model} as the audit keys it: the provider ("?" when none) and the model used. */
  static String model(String key) {
    int cut = key.indexOf('/');
    String provider = cut < 0 ? Audit.NO_PROVIDER_SHORT : key.substring(0, cut);
    String model = key.substring(cut + 1);
    return nullOr(provider, Audit.NO_PROVIDER_SHORT, "provider") + " AND COALESCE(model_used, model_requested) = " + literal(model);
  }

  static String provider(String key) {
    return nullOr(key, Audit.NO_PROVIDER, "provider");
  }

  static String tenant(String key) {
    return nullOr(key, Audit.NO_TENANT, "tenant");
  }

  /** The rows of the patterns outside the top: those without a pattern too, unless they are a top one. */
  static String other(List<String> top) {
    List<String> named = top.stream().filter(p -> !p.equals(Audit.NO_PATTERN)).toList();
    String notIn = named.isEmpty() ? null
        : "pattern NOT IN (" + String.join(", ", named.stream().map(RowQuery::literal).toList()) + ")";
    if (top.contains(Audit.NO_PATTERN)) {
      return notIn == null ? "pattern IS NOT NULL" : notIn;
    }
    return notIn == null ? null : "pattern IS NULL OR " + notIn;
  }

  /** The rows whose trace holds a saving of the tactic. */
  static String tactic(String tactic) {
    return "trace LIKE " + literal("%savings: " + tactic + " %");
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String nullOr(String key, String nullLabel, String column) {
    return key.equals(nullLabel) ? column + " IS NULL" : column + " = " + literal(key);
  }
}

package dev.tokenwise.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the request log's rows as {@link CallRow}s, streaming: a million rows pass through the
 * consumer without being held here. The text columns that repeat (tenant, pattern, provider, model) are
 * shared between rows, so a consumer that keeps every row keeps each distinct name once.
 */
final class CallRows {
  static final String SELECT = "SELECT id, time_ms, tenant, pattern, dialect, provider, model_used, model_requested,"
      + " input_tokens, cached_input_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens,"
      + " cost_pico_usd, baseline_pico_usd, total_ms, status, stream, finish_reason, attempts, cache_status, shape"
      + " FROM requests WHERE time_ms >= ? AND time_ms < ?";
  /**
   * The time index gives this order without a sort (rows of the same millisecond come in the index's order);
   * for some patterns, the pattern-and-time index gives each pattern's rows in time order, one after the other.
   */
  private static final String ORDER = " ORDER BY time_ms";
  private static final String ORDER_BY_PATTERN = " ORDER BY pattern, time_ms";

  static final String FAILED_ATTEMPTS = "SELECT a.request_id, a.time_ms, r.pattern, a.provider, a.model, a.status,"
      + " a.outcome, a.cost_pico_usd FROM request_attempts a JOIN requests r ON r.id = a.request_id"
      + " WHERE a.time_ms >= ? AND a.time_ms < ? AND a.outcome <> 'ok' ORDER BY a.time_ms, a.request_id, a.attempt";

  static final String SPEND_GROUPS = "SELECT pattern, provider, COALESCE(model_used, model_requested), tenant,"
      + " time_ms / 86400000, COUNT(*), COALESCE(SUM(cost_pico_usd), 0), SUM(CASE WHEN cost_pico_usd IS NULL THEN 1"
      + " ELSE 0 END), COALESCE(SUM(CASE WHEN cost_pico_usd IS NOT NULL THEN baseline_pico_usd END), 0),"
      + " COALESCE(SUM(CASE WHEN baseline_pico_usd IS NOT NULL THEN cost_pico_usd END), 0),"
      + " SUM(CASE WHEN cost_pico_usd IS NOT NULL AND baseline_pico_usd IS NOT NULL THEN 1 ELSE 0 END),"
      + " SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END),"
      + " SUM(input_tokens + cached_input_tokens + cache_write_5m_tokens + cache_write_1h_tokens), SUM(output_tokens),"
      + " SUM(CASE WHEN shape IS NULL THEN 1 ELSE 0 END)"
      + " FROM requests WHERE time_ms >= ? AND time_ms < ? GROUP BY 1, 2, 3, 4, 5";

  static final String SAVINGS_TRACES = "SELECT trace FROM requests WHERE time_ms >= ? AND time_ms < ?"
      + " AND trace LIKE '%savings: %'";

  /** Rows read per round trip from PostgreSQL (SQLite steps through its result as it goes). */
  private static final int FETCH = 5_000;
  private static final String SAVINGS = "savings: ";

  private CallRows() {}

  static void scan(Connection c, SqlFlavor flavor, long fromMs, long toMs, java.util.Collection<String> patterns,
      Consumer<CallRow> sink) throws SQLException {
    List<String> only = patterns == null ? null : List.copyOf(patterns);
    if (only != null && only.isEmpty()) {
      return;
    }
    String sql = SELECT + (only == null ? ORDER : " AND pattern IN ("
        + String.join(", ", java.util.Collections.nCopies(only.size(), "?")) + ")" + ORDER_BY_PATTERN);
    boolean autoCommit = c.getAutoCommit();
    if (flavor == SqlFlavor.POSTGRESQL) {
      c.setAutoCommit(false); // PostgreSQL streams through a cursor only inside a transaction
    }
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setFetchSize(FETCH);
      p.setLong(1, fromMs);
      p.setLong(2, toMs);
      for (int i = 0; only != null && i < only.size(); i++) {
        p.setString(3 + i, only.get(i));
      }
      Map<String, String> names = new HashMap<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          sink.accept(read(rs, names));
        }
      }
    } finally {
      if (flavor == SqlFlavor.POSTGRESQL) {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /** Reads the current row by column number, in {@link #SELECT}'s order (a name lookup per cell costs more). */
  private static CallRow read(ResultSet rs, Map<String, String> names) throws SQLException {
    String used = rs.getString(7);
    String requested = shared(names, rs.getString(8));
    return new CallRow(
        rs.getString(1),
        rs.getLong(2),
        shared(names, rs.getString(3)),
        shared(names, rs.getString(4)),
        shared(names, rs.getString(5)),
        shared(names, rs.getString(6)),
        used == null ? requested : shared(names, used),
        requested,
        rs.getLong(9),
        rs.getLong(10),
        rs.getLong(11) + rs.getLong(12),
        rs.getLong(13),
        money(rs, 14),
        money(rs, 15),
        rs.getLong(16),
        rs.getInt(17),
        rs.getBoolean(18),
        shared(names, rs.getString(19)),
        rs.getInt(20),
        shared(names, rs.getString(21)),
        CallShape.fromBytes(rs.getBytes(22)));
  }

  private static Long money(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** The trace's savings entries, which the stages' trace puts last, or null when it has none. */
  static String savings(String trace) {
    if (trace == null) {
      return null;
    }
    int at = trace.indexOf(SAVINGS);
    return at < 0 ? null : trace.substring(at);
  }

  static SpendGroup readGroup(ResultSet rs) throws SQLException {
    return new SpendGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
        rs.getLong(13), rs.getLong(14), rs.getLong(15));
  }

  static FailedAttempt readFailed(ResultSet rs) throws SQLException {
    return new FailedAttempt(rs.getString("request_id"), rs.getLong("time_ms"), rs.getString("pattern"),
        rs.getString("provider"), rs.getString("model"), rs.getInt("status"), rs.getString("outcome"),
        RequestRows.money(rs, "cost_pico_usd"));
  }

  private static String shared(Map<String, String> names, String value) {
    if (value == null) {
      return null;
    }
    String known = names.putIfAbsent(value, value);
    return known == null ? value : known;
  }
}

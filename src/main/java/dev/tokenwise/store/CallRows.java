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
      + " cost_pico_usd, baseline_pico_usd, total_ms, status, stream, finish_reason, attempts, cache_status, trace,"
      + " request_hash, query_hash, prefix_hash, prefix_masked_hash, prefix_tokens, turns, max_tokens, answer_hash,"
      + " shape_flags FROM requests WHERE time_ms >= ? AND time_ms < ?";
  private static final String ORDER = " ORDER BY time_ms, id";

  static final String FAILED_ATTEMPTS = "SELECT a.request_id, a.time_ms, r.pattern, a.provider, a.model, a.status,"
      + " a.outcome, a.cost_pico_usd FROM request_attempts a JOIN requests r ON r.id = a.request_id"
      + " WHERE a.time_ms >= ? AND a.time_ms < ? AND a.outcome <> 'ok' ORDER BY a.time_ms, a.request_id, a.attempt";

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
    String sql = SELECT + (only == null ? "" : " AND pattern IN ("
        + String.join(", ", java.util.Collections.nCopies(only.size(), "?")) + ")") + ORDER;
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

  private static CallRow read(ResultSet rs, Map<String, String> names) throws SQLException {
    String used = rs.getString("model_used");
    String requested = shared(names, rs.getString("model_requested"));
    return new CallRow(
        rs.getString("id"),
        rs.getLong("time_ms"),
        shared(names, rs.getString("tenant")),
        shared(names, rs.getString("pattern")),
        shared(names, rs.getString("dialect")),
        shared(names, rs.getString("provider")),
        used == null ? requested : shared(names, used),
        requested,
        rs.getLong("input_tokens"),
        rs.getLong("cached_input_tokens"),
        rs.getLong("cache_write_5m_tokens") + rs.getLong("cache_write_1h_tokens"),
        rs.getLong("output_tokens"),
        RequestRows.money(rs, "cost_pico_usd"),
        RequestRows.money(rs, "baseline_pico_usd"),
        rs.getLong("total_ms"),
        rs.getInt("status"),
        rs.getBoolean("stream"),
        shared(names, rs.getString("finish_reason")),
        rs.getInt("attempts"),
        shared(names, rs.getString("cache_status")),
        savings(rs.getString("trace")),
        RequestRows.shape(rs));
  }

  /** The trace's savings entries, which the stages' trace puts last, or null when it has none. */
  static String savings(String trace) {
    if (trace == null) {
      return null;
    }
    int at = trace.indexOf(SAVINGS);
    return at < 0 ? null : trace.substring(at);
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

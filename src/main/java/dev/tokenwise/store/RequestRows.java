package dev.tokenwise.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** The mapping between {@link RequestRecord} and a row of the {@code requests} table. */
final class RequestRows {

  /** The columns in record order; the binding and reading below follow this order. */
  static final List<String> COLUMNS =
      List.of(
          "id", "time_ms", "tenant", "pattern", "dialect", "endpoint", "provider",
          "model_requested", "model_used", "input_tokens", "cached_input_tokens",
          "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
          "usage_estimated", "cost_pico_usd", "baseline_pico_usd", "ttfb_ms", "total_ms", "status",
          "stream", "finish_reason", "attempts", "cache_status", "error", "request_body",
          "response_body", "trace", "shape");

  static final String INSERT =
      "INSERT INTO requests (" + String.join(", ", COLUMNS) + ") VALUES ("
          + String.join(", ", COLUMNS.stream().map(c -> "?").toList()) + ")";

  static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM requests";

  private RequestRows() {}

  /**
   * Binds one record to {@link #INSERT}. With {@code stripNul}, NUL characters in text become U+FFFD:
   * PostgreSQL refuses them in TEXT, and one odd body must not sink the whole batch it came in.
   */
  static void bind(PreparedStatement p, RequestRecord r, boolean stripNul) throws SQLException {
    int i = 1;
    p.setString(i++, r.id());
    p.setLong(i++, r.time().toEpochMilli());
    p.setString(i++, text(r.tenant(), stripNul));
    p.setString(i++, text(r.pattern(), stripNul));
    p.setString(i++, text(r.dialect(), stripNul));
    p.setString(i++, text(r.endpoint(), stripNul));
    p.setString(i++, text(r.provider(), stripNul));
    p.setString(i++, text(r.modelRequested(), stripNul));
    p.setString(i++, text(r.modelUsed(), stripNul));
    p.setLong(i++, r.inputTokens());
    p.setLong(i++, r.cachedInputTokens());
    p.setLong(i++, r.cacheWrite5mTokens());
    p.setLong(i++, r.cacheWrite1hTokens());
    p.setLong(i++, r.outputTokens());
    p.setLong(i++, r.reasoningTokens());
    p.setBoolean(i++, r.usageEstimated());
    setMoney(p, i++, r.costPicoUsd());
    setMoney(p, i++, r.baselinePicoUsd());
    p.setLong(i++, r.ttfbMillis());
    p.setLong(i++, r.totalMillis());
    p.setInt(i++, r.status());
    p.setBoolean(i++, r.stream());
    p.setString(i++, text(r.finishReason(), stripNul));
    p.setInt(i++, r.attempts());
    p.setString(i++, text(r.cacheStatus(), stripNul));
    p.setString(i++, text(r.error(), stripNul));
    p.setString(i++, text(r.requestBody(), stripNul));
    p.setString(i++, text(r.responseBody(), stripNul));
    p.setString(i++, text(r.trace(), stripNul));
    if (r.shape() == null) {
      p.setNull(i, Types.BINARY);
    } else {
      p.setBytes(i, r.shape().toBytes());
    }
  }

  /** Reads the current row of a result set made by {@link #SELECT}. */
  static RequestRecord read(ResultSet rs) throws SQLException {
    return new RequestRecord(
        rs.getString("id"),
        Instant.ofEpochMilli(rs.getLong("time_ms")),
        rs.getString("tenant"),
        rs.getString("pattern"),
        rs.getString("dialect"),
        rs.getString("endpoint"),
        rs.getString("provider"),
        rs.getString("model_requested"),
        rs.getString("model_used"),
        rs.getLong("input_tokens"),
        rs.getLong("cached_input_tokens"),
        rs.getLong("cache_write_5m_tokens"),
        rs.getLong("cache_write_1h_tokens"),
        rs.getLong("output_tokens"),
        rs.getLong("reasoning_tokens"),
        rs.getBoolean("usage_estimated"),
        money(rs, "cost_pico_usd"),
        money(rs, "baseline_pico_usd"),
        rs.getLong("ttfb_ms"),
        rs.getLong("total_ms"),
        rs.getInt("status"),
        rs.getBoolean("stream"),
        rs.getString("finish_reason"),
        rs.getInt("attempts"),
        rs.getString("cache_status"),
        rs.getString("error"),
        rs.getString("request_body"),
        rs.getString("response_body"),
        rs.getString("trace")).withShape(CallShape.fromBytes(rs.getBytes("shape")));
  }

  private static void setMoney(PreparedStatement p, int index, Long picoUsd) throws SQLException {
    if (picoUsd == null) {
      p.setNull(index, Types.BIGINT);
    } else {
      p.setLong(index, picoUsd);
    }
  }

  static Long money(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    // Null means the price was unknown; reading it as 0 would make an unknown call look free.
    return rs.wasNull() ? null : value;
  }

  /** The text as stored: with {@code stripNul}, NUL characters become U+FFFD (PostgreSQL refuses them). */
  static String text(String value, boolean stripNul) {
    if (!stripNul || value == null || value.indexOf('\0') < 0) {
      return value;
    }
    return value.replace('\0', '\uFFFD');
  }
}

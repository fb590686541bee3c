package dev.tokenwise.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** The mapping between {@link AttemptRecord} and a row of the {@code request_attempts} table. */
final class AttemptRows {
  static final String INSERT = "INSERT INTO request_attempts (request_id, attempt, time_ms, provider, model, status,"
      + " latency_ms, outcome, error, cost_pico_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String SELECT = "SELECT request_id, attempt, provider, model, status, latency_ms, outcome, error,"
      + " cost_pico_usd FROM request_attempts";

  private AttemptRows() {}

  /** Binds one attempt of a request to {@link #INSERT}; see {@link RequestRows#bind} for {@code stripNul}. */
  static void bind(PreparedStatement p, RequestRecord request, AttemptRecord a, boolean stripNul) throws SQLException {
    p.setString(1, request.id());
    p.setInt(2, a.number());
    p.setLong(3, request.time().toEpochMilli());
    p.setString(4, RequestRows.text(a.provider(), stripNul));
    p.setString(5, RequestRows.text(a.model(), stripNul));
    p.setInt(6, a.status());
    p.setLong(7, a.latencyMillis());
    p.setString(8, RequestRows.text(a.outcome(), stripNul));
    p.setString(9, RequestRows.text(a.error(), stripNul));
    if (a.costPicoUsd() == null) {
      p.setNull(10, Types.BIGINT);
    } else {
      p.setLong(10, a.costPicoUsd());
    }
  }

  /** Reads the current row of a result set made by {@link #SELECT}. */
  static AttemptRecord read(ResultSet rs) throws SQLException {
    long cost = rs.getLong("cost_pico_usd");
    Long costPicoUsd = rs.wasNull() ? null : cost;
    return new AttemptRecord(rs.getInt("attempt"), rs.getString("provider"), rs.getString("model"),
        rs.getInt("status"), rs.getLong("latency_ms"), rs.getString("outcome"), rs.getString("error"), costPicoUsd);
  }
}

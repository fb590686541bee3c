package dev.tokenwise.store;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The spend guard's alerts in the request log's database (table {@code alerts}): a row when a guard
 * trips, completed with the time it cleared. Shares the log's connection pool and closes with it.
 * Rows come from the guard's one alert writer, off the request path.
 */
public final class AlertTable {
  private static final String COLUMNS = "id, time_ms, kind, scope, period, figure_pico_usd, limit_pico_usd, message,"
      + " cleared_ms, cleared_by";

  private final DataSource pool;
  private final SqlFlavor flavor;
  private final String name;

  AlertTable(DataSource pool, SqlFlavor flavor, String name) {
    this.pool = pool;
    this.flavor = flavor;
    this.name = name;
  }

  /** Writes a new alert; an alert whose id is there already is left as it is. */
  public void insert(AlertRecord a) {
    String sql = "INSERT INTO alerts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    boolean stripNul = flavor == SqlFlavor.POSTGRESQL;
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      p.setString(i++, a.id());
      p.setLong(i++, a.time().toEpochMilli());
      p.setString(i++, a.kind());
      p.setString(i++, RequestRows.text(a.scope(), stripNul));
      p.setString(i++, a.period());
      p.setLong(i++, a.figurePicoUsd());
      p.setLong(i++, a.limitPicoUsd());
      p.setString(i++, RequestRows.text(a.message(), stripNul));
      if (a.clearedAt() == null) {
        p.setNull(i++, Types.BIGINT);
      } else {
        p.setLong(i++, a.clearedAt().toEpochMilli());
      }
      p.setString(i, a.clearedBy());
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not write alert " + a.id(), e);
    }
  }

  /** Marks an alert cleared, unless it already is; returns whether it changed. */
  public boolean clear(String id, Instant at, String by) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(
            "UPDATE alerts SET cleared_ms = ?, cleared_by = ? WHERE id = ? AND cleared_ms IS NULL")) {
      p.setLong(1, at.toEpochMilli());
      p.setString(2, by);
      p.setString(3, id);
      return p.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("could not clear alert " + id, e);
    }
  }

  /** The newest alerts first, at most {@code limit}. */
  public List<AlertRecord> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT " + COLUMNS + " FROM alerts ORDER BY time_ms DESC, id DESC LIMIT ?")) {
      p.setInt(1, limit);
      List<AlertRecord> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long cleared = rs.getLong("cleared_ms");
          boolean open = rs.wasNull();
          out.add(new AlertRecord(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("time_ms")), rs.getString("kind"),
              rs.getString("scope"), rs.getString("period"), rs.getLong("figure_pico_usd"),
              rs.getLong("limit_pico_usd"), rs.getString("message"), open ? null : Instant.ofEpochMilli(cleared),
              rs.getString("cleared_by")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read the alerts", e);
    }
  }

  @Override
  public String toString() {
    return "AlertTable[" + name + "]";
  }

  private GatewayException failure(String what, SQLException e) {
    return GatewayException.of(ErrorKind.INTERNAL, "alert table " + name + ": " + what + ": " + e.getMessage(), e);
  }
}

package dev.tokenwise.store;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The shadow tests' pairs in the request log's database (table {@code shadow_pairs}): a row when a live
 * call's copy to a candidate model came back, completed with its score. Shares the log's connection pool
 * and closes with it. Rows come from the shadow tests' own threads, off the request path.
 */
public final class ShadowTable {
  private static final String COLUMNS = "id, time_ms, pattern, request_id, production_model, candidate_model,"
      + " production_cost_pico_usd, candidate_cost_pico_usd, scoring_cost_pico_usd, spend_pico_usd,"
      + " production_latency_ms, candidate_latency_ms, candidate_status, candidate_error, production_text,"
      + " candidate_text, score, passed, scorer, note";
  /** A pair whose copy answered and whose two costs are known: the pairs the cost comparison is over. */
  public static final String PRICED = "candidate_error IS NULL AND production_cost_pico_usd IS NOT NULL"
      + " AND candidate_cost_pico_usd IS NOT NULL";
  /** A pair whose copy got no answer (an error status, or a 200 whose answer could not be read). */
  public static final String FAILED = "candidate_error IS NOT NULL";
  private static final String SUMMARY = "SELECT pattern, candidate_model, COUNT(*), COUNT(score),"
      + " SUM(CASE WHEN " + FAILED + " THEN 1 ELSE 0 END), SUM(CASE WHEN passed = TRUE THEN 1 ELSE 0 END),"
      + " SUM(score), SUM(CASE WHEN " + PRICED + " THEN 1 ELSE 0 END),"
      + " SUM(CASE WHEN " + PRICED + " THEN production_cost_pico_usd ELSE 0 END),"
      + " SUM(CASE WHEN " + PRICED + " THEN candidate_cost_pico_usd ELSE 0 END), SUM(spend_pico_usd)"
      + " FROM shadow_pairs WHERE time_ms >= ? AND time_ms < ? GROUP BY pattern, candidate_model"
      + " ORDER BY pattern, candidate_model";

  private final DataSource pool;
  private final SqlFlavor flavor;
  private final String name;

  ShadowTable(DataSource pool, SqlFlavor flavor, String name) {
    this.pool = pool;
    this.flavor = flavor;
    this.name = name;
  }

  /** Writes a new pair; a pair whose id is there already is left as it is. */
  public void insert(ShadowPair s) {
    String sql = "INSERT INTO shadow_pairs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    boolean stripNul = flavor == SqlFlavor.POSTGRESQL;
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      p.setString(i++, s.id());
      p.setLong(i++, s.time().toEpochMilli());
      p.setString(i++, RequestRows.text(s.pattern(), stripNul));
      p.setString(i++, s.requestId());
      p.setString(i++, s.productionModel());
      p.setString(i++, s.candidateModel());
      i = nullableLong(p, i, s.productionCostPicoUsd());
      i = nullableLong(p, i, s.candidateCostPicoUsd());
      p.setLong(i++, s.scoringCostPicoUsd());
      p.setLong(i++, s.spendPicoUsd());
      p.setLong(i++, s.productionLatencyMillis());
      p.setLong(i++, s.candidateLatencyMillis());
      p.setInt(i++, s.candidateStatus());
      p.setString(i++, RequestRows.text(s.candidateError(), stripNul));
      p.setString(i++, RequestRows.text(s.productionText(), stripNul));
      p.setString(i++, RequestRows.text(s.candidateText(), stripNul));
      if (s.score() == null) {
        p.setNull(i++, Types.DOUBLE);
      } else {
        p.setDouble(i++, s.score());
      }
      if (s.passed() == null) {
        p.setNull(i++, Types.BOOLEAN);
      } else {
        p.setBoolean(i++, s.passed());
      }
      p.setString(i++, s.scorer());
      p.setString(i, RequestRows.text(s.note(), stripNul));
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not write shadow pair " + s.id(), e);
    }
  }

  /**
   * Puts a scorer's verdict on a pair, and adds what scoring cost to its cost and to what it counted against
   * the day's cap; returns whether the pair was there. A null score leaves the pair unscored with the
   * scorer's note (a judge that could not grade it).
   */
  public boolean score(String id, Double score, Boolean passed, String scorer, String note, long scoringCostPicoUsd) {
    if (score != null && !(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("a score lies in [0, 1], got " + score);
    }
    if ((score == null) != (passed == null)) {
      throw new IllegalArgumentException("a pair is scored and passed or failed together, or neither");
    }
    String sql = "UPDATE shadow_pairs SET score = ?, passed = ?, scorer = ?, note = ?,"
        + " scoring_cost_pico_usd = scoring_cost_pico_usd + ?, spend_pico_usd = spend_pico_usd + ? WHERE id = ?";
    boolean stripNul = flavor == SqlFlavor.POSTGRESQL;
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      if (score == null) {
        p.setNull(1, Types.DOUBLE);
        p.setNull(2, Types.BOOLEAN);
      } else {
        p.setDouble(1, score);
        p.setBoolean(2, passed);
      }
      p.setString(3, scorer);
      p.setString(4, RequestRows.text(note, stripNul));
      p.setLong(5, scoringCostPicoUsd);
      p.setLong(6, scoringCostPicoUsd);
      p.setString(7, id);
      return p.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("could not score shadow pair " + id, e);
    }
  }

  /** The pairs of {@code [from, to)} summed per pattern and candidate model, by pattern then model. */
  public List<ShadowSummary> summaries(Instant from, Instant to) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(SUMMARY)) {
      p.setLong(1, from.toEpochMilli());
      p.setLong(2, to.toEpochMilli());
      List<ShadowSummary> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new ShadowSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getLong(6), rs.getDouble(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not sum the shadow pairs between " + from + " and " + to, e);
    }
  }

  /** What one shadow's pairs counted against its cap on a UTC day (0 when it has none). */
  public long spent(String pattern, String candidateModel, LocalDate day) {
    String sql = "SELECT SUM(spend_pico_usd) FROM shadow_pairs WHERE pattern = ? AND candidate_model = ?"
        + " AND time_ms >= ? AND time_ms < ?";
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, pattern);
      p.setString(2, candidateModel);
      p.setLong(3, day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      p.setLong(4, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw failure("could not read the shadow spend of " + day, e);
    }
  }

  /** A pattern's newest pairs first (every pattern's when {@code pattern} is null), at most {@code limit}. */
  public List<ShadowPair> recent(String pattern, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String sql = "SELECT " + COLUMNS + " FROM shadow_pairs" + (pattern == null ? "" : " WHERE pattern = ?")
        + " ORDER BY time_ms DESC, id DESC LIMIT ?";
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      if (pattern != null) {
        p.setString(i++, pattern);
      }
      p.setInt(i, limit);
      List<ShadowPair> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read the shadow pairs", e);
    }
  }

  /** Drops the answer texts of pairs older than {@code before}, as the log's bodies are; returns how many changed. */
  public int pruneTexts(Instant before) {
    String sql = "UPDATE shadow_pairs SET production_text = NULL, candidate_text = NULL"
        + " WHERE time_ms < ? AND (production_text IS NOT NULL OR candidate_text IS NOT NULL)";
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, before.toEpochMilli());
      return p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not prune shadow texts older than " + before, e);
    }
  }

  @Override
  public String toString() {
    return "ShadowTable[" + name + "]";
  }

  private static ShadowPair read(ResultSet rs) throws SQLException {
    return new ShadowPair(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("time_ms")), rs.getString("pattern"),
        rs.getString("request_id"), rs.getString("production_model"), rs.getString("candidate_model"),
        nullableLong(rs, "production_cost_pico_usd"), nullableLong(rs, "candidate_cost_pico_usd"),
        rs.getLong("scoring_cost_pico_usd"), rs.getLong("spend_pico_usd"), rs.getLong("production_latency_ms"),
        rs.getLong("candidate_latency_ms"), rs.getInt("candidate_status"), rs.getString("candidate_error"),
        rs.getString("production_text"), rs.getString("candidate_text"), nullableDouble(rs, "score"),
        nullableBoolean(rs, "passed"), rs.getString("scorer"), rs.getString("note"));
  }

  private static int nullableLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.BIGINT);
    } else {
      p.setLong(i, v);
    }
    return i + 1;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
    boolean v = rs.getBoolean(column);
    return rs.wasNull() ? null : v;
  }

  private GatewayException failure(String what, SQLException e) {
    return GatewayException.of(ErrorKind.INTERNAL, "shadow table " + name + ": " + what + ": " + e.getMessage(), e);
  }
}

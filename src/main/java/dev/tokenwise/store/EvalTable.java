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
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Model-eval sweeps in the request log's database (tables {@code eval_runs}, {@code eval_items},
 * {@code eval_results}): the run, its set, and every candidate's answer as soon as it came, so that an
 * interrupted sweep resumes without paying twice and every figure of a report can be read back.
 */
public final class EvalTable {
  private static final String RUN_COLUMNS = "id, pattern, created_ms, updated_ms, status, current_model, spec,"
      + " estimate_pico, budget_pico, summary";
  private static final String ITEM_COLUMNS = "run_id, item_no, source, time_ms, dialect, request_body, input_text,"
      + " reference, rubric, ref_input_tokens, ref_output_tokens";
  private static final String RESULT_COLUMNS = "run_id, item_no, model, time_ms, status, answer, cost_pico, latency_ms,"
      + " input_tokens, output_tokens, score, pass, note, detail, judge_cost_pico";

  private final DataSource pool;
  private final boolean stripNul;
  private final String name;

  EvalTable(DataSource pool, SqlFlavor flavor, String name) {
    this.pool = pool;
    this.stripNul = flavor == SqlFlavor.POSTGRESQL;
    this.name = name;
  }

  /**
   * A sweep.
   *
   * @param spec its settings as JSON text
   * @param summary its figures and verdict as JSON text, or null until it ended
   */
  public record Run(String id, String pattern, Instant created, Instant updated, String status, String currentModel,
      String spec, long estimatePicoUsd, long budgetPicoUsd, String summary) {}

  /** One item of a sweep's set. */
  public record Item(String runId, int no, String source, Instant time, String dialect, String requestBody,
      String input, String reference, String rubric, long refInputTokens, long refOutputTokens) {}

  /**
   * One candidate's answer to one item.
   *
   * @param status the HTTP status, 0 when no answer came
   * @param costPicoUsd what the call cost, or null when unknown
   * @param score in [0, 1], or null when the call failed
   * @param pass whether the item passed, or null when the call failed
   * @param detail the scorer's figures as JSON text, or null
   * @param judgeCostPicoUsd what scoring it cost (judge calls)
   */
  public record Result(String runId, int no, String model, Instant time, int status, String answer, Long costPicoUsd,
      long latencyMillis, long inputTokens, long outputTokens, Double score, Boolean pass, String note, String detail,
      long judgeCostPicoUsd) {}

  /** Writes a new run with its set, in one transaction. */
  public void create(Run run, List<Item> items) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO eval_runs (" + RUN_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          int i = 1;
          p.setString(i++, run.id());
          p.setString(i++, text(run.pattern()));
          p.setLong(i++, run.created().toEpochMilli());
          p.setLong(i++, run.updated().toEpochMilli());
          p.setString(i++, run.status());
          p.setString(i++, text(run.currentModel()));
          p.setString(i++, text(run.spec()));
          p.setLong(i++, run.estimatePicoUsd());
          p.setLong(i++, run.budgetPicoUsd());
          p.setString(i, text(run.summary()));
          p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO eval_items (" + ITEM_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (Item it : items) {
            int i = 1;
            p.setString(i++, run.id());
            p.setInt(i++, it.no());
            p.setString(i++, text(it.source()));
            p.setLong(i++, it.time().toEpochMilli());
            p.setString(i++, it.dialect());
            p.setString(i++, text(it.requestBody()));
            p.setString(i++, text(it.input()));
            p.setString(i++, text(it.reference()));
            p.setString(i++, text(it.rubric()));
            p.setLong(i++, it.refInputTokens());
            p.setLong(i, it.refOutputTokens());
            p.addBatch();
          }
          p.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure("could not write eval run " + run.id(), e);
    }
  }

  /** Writes one answer; an answer already there for the same item and model is left as it is. */
  public void add(Result r) {
    String sql = "INSERT INTO eval_results (" + RESULT_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, item_no, model) DO NOTHING";
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      p.setString(i++, r.runId());
      p.setInt(i++, r.no());
      p.setString(i++, r.model());
      p.setLong(i++, r.time().toEpochMilli());
      p.setInt(i++, r.status());
      p.setString(i++, text(r.answer()));
      nullableLong(p, i++, r.costPicoUsd());
      p.setLong(i++, r.latencyMillis());
      p.setLong(i++, r.inputTokens());
      p.setLong(i++, r.outputTokens());
      if (r.score() == null) {
        p.setNull(i++, Types.DOUBLE);
      } else {
        p.setDouble(i++, r.score());
      }
      if (r.pass() == null) {
        p.setNull(i++, Types.INTEGER);
      } else {
        p.setInt(i++, r.pass() ? 1 : 0);
      }
      p.setString(i++, text(r.note()));
      p.setString(i++, text(r.detail()));
      p.setLong(i, r.judgeCostPicoUsd());
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not write an answer of eval run " + r.runId(), e);
    }
  }

  /** Drops a run's answers whose call failed (they cost nothing), so that a resumed run tries them again. */
  public int dropFailed(String runId) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement("DELETE FROM eval_results WHERE run_id = ? AND status <> 200")) {
      p.setString(1, runId);
      return p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not drop the failed calls of eval run " + runId, e);
    }
  }

  /** Sets the score of a stored answer that could not be scored before (its judge failed); the call is not made again. */
  public void rescore(Result r) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement("UPDATE eval_results SET score = ?, pass = ?, note = ?, detail = ?,"
            + " judge_cost_pico = judge_cost_pico + ? WHERE run_id = ? AND item_no = ? AND model = ?")) {
      if (r.score() == null) {
        p.setNull(1, Types.DOUBLE);
      } else {
        p.setDouble(1, r.score());
      }
      if (r.pass() == null) {
        p.setNull(2, Types.INTEGER);
      } else {
        p.setInt(2, r.pass() ? 1 : 0);
      }
      p.setString(3, text(r.note()));
      p.setString(4, text(r.detail()));
      p.setLong(5, r.judgeCostPicoUsd());
      p.setString(6, r.runId());
      p.setInt(7, r.no());
      p.setString(8, r.model());
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not rescore an answer of eval run " + r.runId(), e);
    }
  }

  /** Sets a run's status, and its summary when one is given. */
  public void finish(String id, String status, String summary, Instant at) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(
            "UPDATE eval_runs SET status = ?, summary = COALESCE(?, summary), updated_ms = ? WHERE id = ?")) {
      p.setString(1, status);
      p.setString(2, text(summary));
      p.setLong(3, at.toEpochMilli());
      p.setString(4, id);
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not update eval run " + id, e);
    }
  }

  /** One run by id. */
  public Optional<Run> run(String id) {
    List<Run> runs = runs("SELECT " + RUN_COLUMNS + " FROM eval_runs WHERE id = ?", id, 1);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
  }

  /** The newest runs first, at most {@code limit}; of one pattern when {@code pattern} is not null. */
  public List<Run> runs(String pattern, int limit) {
    if (pattern == null) {
      return runs("SELECT " + RUN_COLUMNS + " FROM eval_runs ORDER BY created_ms DESC, id DESC LIMIT ?", null, limit);
    }
    return runs("SELECT " + RUN_COLUMNS + " FROM eval_runs WHERE pattern = ? ORDER BY created_ms DESC, id DESC LIMIT ?",
        pattern, limit);
  }

  private List<Run> runs(String sql, String arg, int limit) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      int i = 1;
      if (arg != null) {
        p.setString(i++, arg);
      }
      if (sql.endsWith("LIMIT ?")) {
        p.setInt(i, Math.max(0, limit));
      }
      List<Run> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new Run(rs.getString("id"), rs.getString("pattern"), Instant.ofEpochMilli(rs.getLong("created_ms")),
              Instant.ofEpochMilli(rs.getLong("updated_ms")), rs.getString("status"), rs.getString("current_model"),
              rs.getString("spec"), rs.getLong("estimate_pico"), rs.getLong("budget_pico"), rs.getString("summary")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read the eval runs", e);
    }
  }

  /** A run's set, in item order. */
  public List<Item> items(String runId) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT " + ITEM_COLUMNS + " FROM eval_items WHERE run_id = ? ORDER BY item_no")) {
      p.setString(1, runId);
      List<Item> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new Item(rs.getString("run_id"), rs.getInt("item_no"), rs.getString("source"),
              Instant.ofEpochMilli(rs.getLong("time_ms")), rs.getString("dialect"), rs.getString("request_body"),
              rs.getString("input_text"), rs.getString("reference"), rs.getString("rubric"),
              rs.getLong("ref_input_tokens"), rs.getLong("ref_output_tokens")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read the items of eval run " + runId, e);
    }
  }

  /** A run's answers, by item then model. */
  public List<Result> results(String runId) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(
            "SELECT " + RESULT_COLUMNS + " FROM eval_results WHERE run_id = ? ORDER BY item_no, model")) {
      p.setString(1, runId);
      List<Result> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long cost = rs.getLong("cost_pico");
          Long costOrNull = rs.wasNull() ? null : cost;
          double score = rs.getDouble("score");
          Double scoreOrNull = rs.wasNull() ? null : score;
          int pass = rs.getInt("pass");
          Boolean passOrNull = rs.wasNull() ? null : pass != 0;
          out.add(new Result(rs.getString("run_id"), rs.getInt("item_no"), rs.getString("model"),
              Instant.ofEpochMilli(rs.getLong("time_ms")), rs.getInt("status"), rs.getString("answer"), costOrNull,
              rs.getLong("latency_ms"), rs.getLong("input_tokens"), rs.getLong("output_tokens"), scoreOrNull,
              passOrNull, rs.getString("note"), rs.getString("detail"), rs.getLong("judge_cost_pico")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read the answers of eval run " + runId, e);
    }
  }

  @Override
  public String toString() {
    return "EvalTable[" + name + "]";
  }

  private String text(String value) {
    return RequestRows.text(value, stripNul);
  }

  private static void nullableLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.BIGINT);
    } else {
      p.setLong(i, v);
    }
  }

  private GatewayException failure(String what, SQLException e) {
    return GatewayException.of(ErrorKind.INTERNAL, "eval tables " + name + ": " + what + ": " + e.getMessage(), e);
  }
}

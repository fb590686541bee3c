package dev.tokenwise.store;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The response cache's answers in the request log's database (table {@code response_cache}), so that a
 * restarted gateway finds its cache again. It shares the log's connection pool and lives as long as the
 * log does: closing the log closes it. Writes come in batches from the cache's one writer thread.
 */
public final class AnswerTable {

  /** The columns in the order that {@link #bind} and {@link #read} follow. */
  static final List<String> COLUMNS =
      List.of(
          "cache_key", "tenant", "pattern", "dialect", "scope", "query", "embedding", "body", "model",
          "finish_reason", "input_tokens", "cached_input_tokens", "cache_write_5m_tokens",
          "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "usage_estimated",
          "cost_pico_usd", "baseline_pico_usd", "created_ms", "expires_ms");

  // SQLite (3.24+) and PostgreSQL spell an upsert the same way.
  private static final String UPSERT =
      "INSERT INTO response_cache (" + String.join(", ", COLUMNS) + ") VALUES ("
          + String.join(", ", COLUMNS.stream().map(c -> "?").toList()) + ") ON CONFLICT (cache_key) DO UPDATE SET "
          + String.join(", ", COLUMNS.stream().skip(1).map(c -> c + " = excluded." + c).toList());

  private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM response_cache";

  /** Rows fetched per round trip while loading, so that a large cache never sits in memory twice. */
  private static final int FETCH_SIZE = 100;

  private final DataSource pool;
  private final SqlFlavor flavor;
  private final String name;

  AnswerTable(DataSource pool, SqlFlavor flavor, String name) {
    this.pool = pool;
    this.flavor = flavor;
    this.name = name;
  }

  /** Inserts or replaces answers in one transaction; of two with the same key, the later one wins. */
  public void upsert(List<CachedAnswer> answers) {
    if (answers.isEmpty()) {
      return;
    }
    // PostgreSQL's driver folds a batch into one multi-row INSERT, which may not touch a row twice.
    Map<String, CachedAnswer> byKey = new LinkedHashMap<>();
    for (CachedAnswer a : answers) {
      byKey.remove(a.key());
      byKey.put(a.key(), a);
    }
    boolean stripNul = flavor == SqlFlavor.POSTGRESQL;
    inTransaction(
        "could not store " + byKey.size() + " answers",
        c -> {
          try (PreparedStatement p = c.prepareStatement(UPSERT)) {
            for (CachedAnswer a : byKey.values()) {
              bind(p, a, stripNul);
              p.addBatch();
            }
            p.executeBatch();
          }
          return 0L;
        });
  }

  /** Deletes the answers under these keys in one transaction; returns how many rows went. */
  public long delete(Collection<String> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    return inTransaction(
        "could not delete " + keys.size() + " answers",
        c -> {
          long n = 0;
          try (PreparedStatement p = c.prepareStatement("DELETE FROM response_cache WHERE cache_key = ?")) {
            for (String key : keys) {
              p.setString(1, key);
              p.addBatch();
            }
            for (int changed : p.executeBatch()) {
              n += Math.max(0, changed);
            }
          }
          return n;
        });
  }

  /** Deletes the answers of one pattern, every tenant's; returns how many rows went. */
  public long deletePattern(String pattern) {
    return update("DELETE FROM response_cache WHERE pattern = ?", p -> p.setString(1, pattern),
        "could not delete the answers of a pattern");
  }

  /** Deletes every answer; returns how many rows went. */
  public long deleteAll() {
    return update("DELETE FROM response_cache", p -> {}, "could not delete every answer");
  }

  /** Deletes the answers that expired at or before {@code nowMillis}; returns how many rows went. */
  public long deleteExpired(long nowMillis) {
    return update("DELETE FROM response_cache WHERE expires_ms <= ?", p -> p.setLong(1, nowMillis),
        "could not delete expired answers");
  }

  /** Calls {@code sink} with the answers still live at {@code nowMillis}, newest first, at most {@code limit}. */
  public void loadLive(long nowMillis, int limit, Consumer<CachedAnswer> sink) {
    if (limit <= 0) {
      return;
    }
    String sql = SELECT + " WHERE expires_ms > ? ORDER BY created_ms DESC, cache_key LIMIT ?";
    try (Connection c = pool.getConnection()) {
      // PostgreSQL streams a result set in fetch-size pieces only inside a transaction.
      boolean cursor = flavor == SqlFlavor.POSTGRESQL;
      if (cursor) {
        c.setAutoCommit(false);
      }
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setFetchSize(FETCH_SIZE);
        p.setLong(1, nowMillis);
        p.setInt(2, limit);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            sink.accept(read(rs));
          }
        }
      } finally {
        if (cursor) {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw failure("could not load the cached answers", e);
    }
  }

  /** One answer by key, live or not. */
  public Optional<CachedAnswer> find(String key) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(SELECT + " WHERE cache_key = ?")) {
      p.setString(1, key);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("could not read a cached answer", e);
    }
  }

  /** Rows held, expired ones included until they are deleted. */
  public long count() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM response_cache")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failure("could not count the cached answers", e);
    }
  }

  @Override
  public String toString() {
    return "AnswerTable[" + name + "]";
  }

  private interface Work {
    long run(Connection c) throws SQLException;
  }

  private interface Binder {
    void bind(PreparedStatement p) throws SQLException;
  }

  private long inTransaction(String what, Work work) {
    try (Connection c = pool.getConnection()) {
      flavor.begin(c);
      try {
        long n = work.run(c);
        flavor.commit(c);
        return n;
      } catch (SQLException | RuntimeException e) {
        flavor.rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private long update(String sql, Binder binder, String what) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      binder.bind(p);
      return p.executeUpdate();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private GatewayException failure(String what, SQLException e) {
    // Driver messages name tables and constraints, never row values (see JdbcLogStore.poolConfig).
    return GatewayException.of(ErrorKind.INTERNAL, "response cache table " + name + ": " + what + ": "
        + e.getMessage(), e);
  }

  private static void bind(PreparedStatement p, CachedAnswer a, boolean stripNul) throws SQLException {
    Usage u = a.usage() == null ? Usage.NONE : a.usage();
    int i = 1;
    p.setString(i++, a.key());
    p.setString(i++, RequestRows.text(a.tenant(), stripNul));
    p.setString(i++, RequestRows.text(a.pattern(), stripNul));
    p.setString(i++, RequestRows.text(a.dialect(), stripNul));
    p.setString(i++, RequestRows.text(a.scope(), stripNul));
    p.setString(i++, RequestRows.text(a.query(), stripNul));
    p.setBytes(i++, floats(a.embedding()));
    p.setBytes(i++, a.body());
    p.setString(i++, RequestRows.text(a.model(), stripNul));
    p.setString(i++, RequestRows.text(a.finishReason(), stripNul));
    p.setLong(i++, u.inputTokens());
    p.setLong(i++, u.cachedInputTokens());
    p.setLong(i++, u.cacheWrite5mTokens());
    p.setLong(i++, u.cacheWrite1hTokens());
    p.setLong(i++, u.outputTokens());
    p.setLong(i++, u.reasoningTokens());
    p.setBoolean(i++, u.estimated());
    p.setLong(i++, a.costPicoUsd());
    p.setLong(i++, a.baselinePicoUsd());
    p.setLong(i++, a.createdMillis());
    p.setLong(i, a.expiresMillis());
  }

  private static CachedAnswer read(ResultSet rs) throws SQLException {
    Usage usage =
        new Usage(
            rs.getLong("input_tokens"),
            rs.getLong("cached_input_tokens"),
            rs.getLong("cache_write_5m_tokens"),
            rs.getLong("cache_write_1h_tokens"),
            rs.getLong("output_tokens"),
            rs.getLong("reasoning_tokens"),
            rs.getBoolean("usage_estimated"));
    return new CachedAnswer(
        rs.getString("cache_key"),
        rs.getString("tenant"),
        rs.getString("pattern"),
        rs.getString("dialect"),
        rs.getString("scope"),
        rs.getString("query"),
        floats(rs.getBytes("embedding")),
        rs.getBytes("body"),
        rs.getString("model"),
        rs.getString("finish_reason"),
        usage,
        rs.getLong("cost_pico_usd"),
        rs.getLong("baseline_pico_usd"),
        rs.getLong("created_ms"),
        rs.getLong("expires_ms"));
  }

  /** A vector as little-endian bytes, or null. */
  static byte[] floats(float[] v) {
    if (v == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  /** The vector that {@link #floats(float[])} wrote, or null. */
  static float[] floats(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length % 4 != 0) {
      throw new IllegalStateException("an embedding of " + bytes.length + " bytes is not a float vector");
    }
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}

package dev.tokenwise.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The request log over JDBC, on a SQLite file or a PostgreSQL database, behind a small HikariCP pool.
 * SQLite runs in WAL mode so that the dashboard's reads never wait for the writer; its one writer at a
 * time is enough because every write comes from {@link AsyncLogWriter} in batches.
 */
final class JdbcLogStore implements LogStore {
  private static final Logger LOG = System.getLogger(JdbcLogStore.class.getName());

  /** How long a SQLite write waits for another connection's write lock before failing. */
  static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

  private final HikariDataSource pool;
  private final SqlFlavor flavor;
  private final String name;
  private final AnswerTable answers;
  private final AlertTable alerts;
  private final EvalTable evals;
  private final ShadowTable shadows;

  private JdbcLogStore(HikariDataSource pool, SqlFlavor flavor, String name) {
    this.pool = pool;
    this.flavor = flavor;
    this.name = name;
    this.answers = new AnswerTable(pool, flavor, name);
    this.alerts = new AlertTable(pool, flavor, name);
    this.evals = new EvalTable(pool, flavor, name);
    this.shadows = new ShadowTable(pool, flavor, name);
  }

  /** Opens the database named by the URL and brings its schema up to date. */
  static JdbcLogStore open(StoreUrl url, Clock clock) {
    if (url.flavor() == SqlFlavor.SQLITE) {
      createParentFolders(url.file());
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(url));
    } catch (RuntimeException e) {
      throw GatewayException.of(
          ErrorKind.INTERNAL,
          "request log: cannot open " + url.redacted() + ": " + rootMessage(e) + "; "
              + (url.flavor() == SqlFlavor.SQLITE
                  ? "check that the folder is writable"
                  : "check that PostgreSQL is running and that store.url names the right host,"
                      + " database, user and password"),
          e);
    }
    JdbcLogStore store = new JdbcLogStore(pool, url.flavor(), url.redacted());
    try (Connection c = pool.getConnection()) {
      int ran = Migrations.apply(c, url.flavor(), clock.instant());
      if (ran > 0) {
        LOG.log(Level.INFO, "request log: applied {0} schema migration(s) to {1}", ran, url.redacted());
      }
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw GatewayException.of(
          ErrorKind.INTERNAL,
          "request log: cannot prepare the schema of " + url.redacted() + ": " + rootMessage(e), e);
    }
    return store;
  }

  @Override
  public void insert(List<RequestRecord> rows) {
    if (rows.isEmpty()) {
      return;
    }
    boolean stripNul = flavor == SqlFlavor.POSTGRESQL;
    try (Connection c = pool.getConnection()) {
      flavor.begin(c);
      try (PreparedStatement p = c.prepareStatement(RequestRows.INSERT);
          PreparedStatement a = c.prepareStatement(AttemptRows.INSERT)) {
        boolean anyAttempt = false;
        for (RequestRecord r : rows) {
          RequestRows.bind(p, r, stripNul);
          p.addBatch();
          for (AttemptRecord attempt : r.attemptLog()) {
            AttemptRows.bind(a, r, attempt, stripNul);
            a.addBatch();
            anyAttempt = true;
          }
        }
        p.executeBatch();
        if (anyAttempt) {
          // in the same transaction: a call is never logged without its attempts, nor they without it
          a.executeBatch();
        }
        flavor.commit(c);
      } catch (SQLException | RuntimeException e) {
        flavor.rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("could not insert " + rows.size() + " rows", e);
    }
  }

  @Override
  public Optional<RequestRecord> find(String id) {
    List<RequestRecord> found =
        query(RequestRows.SELECT + " WHERE id = ?", p -> p.setString(1, id), "find " + id);
    return withAttempts(found, "find the attempts of " + id).stream().findFirst();
  }

  @Override
  public List<RequestRecord> recent(int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return withAttempts(query(
        RequestRows.SELECT + " ORDER BY time_ms DESC, id DESC LIMIT ?",
        p -> p.setInt(1, limit),
        "read the newest rows"), "read the attempts of the newest rows");
  }

  @Override
  public List<RequestRecord> recentAnswered(String pattern, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return query(RequestRows.SELECT + " WHERE pattern = ? AND status = 200 ORDER BY time_ms DESC, id DESC LIMIT ?",
        p -> {
          p.setString(1, pattern);
          p.setInt(2, limit);
        }, "read the newest answered rows of pattern " + pattern);
  }

  /** The rows with their attempts, read in one query over their ids. */
  private List<RequestRecord> withAttempts(List<RequestRecord> rows, String what) {
    if (rows.isEmpty()) {
      return rows;
    }
    String sql = AttemptRows.SELECT + " WHERE request_id IN ("
        + String.join(", ", java.util.Collections.nCopies(rows.size(), "?")) + ") ORDER BY request_id, attempt";
    java.util.Map<String, List<AttemptRecord>> byRequest = new java.util.HashMap<>();
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < rows.size(); i++) {
        p.setString(i + 1, rows.get(i).id());
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          byRequest.computeIfAbsent(rs.getString("request_id"), k -> new ArrayList<>()).add(AttemptRows.read(rs));
        }
      }
    } catch (SQLException e) {
      throw failure("could not " + what, e);
    }
    List<RequestRecord> out = new ArrayList<>(rows.size());
    for (RequestRecord r : rows) {
      List<AttemptRecord> attempts = byRequest.get(r.id());
      out.add(attempts == null ? r : r.withAttempts(attempts));
    }
    return out;
  }

  @Override
  public List<RequestRecord> between(Instant from, Instant to) {
    return query(
        RequestRows.SELECT + " WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms, id",
        p -> {
          p.setLong(1, from.toEpochMilli());
          p.setLong(2, to.toEpochMilli());
        },
        "read rows between " + from + " and " + to);
  }

  @Override
  public void scanCalls(Instant from, Instant to, java.util.Collection<String> patterns,
      java.util.function.Consumer<CallRow> sink) {
    try (Connection c = pool.getConnection()) {
      CallRows.scan(c, flavor, from.toEpochMilli(), to.toEpochMilli(), patterns, sink);
    } catch (SQLException e) {
      throw failure("could not read the calls between " + from + " and " + to, e);
    }
  }

  @Override
  public List<SpendGroup> spendGroups(Instant from, Instant to) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(CallRows.SPEND_GROUPS)) {
      p.setLong(1, from.toEpochMilli());
      p.setLong(2, to.toEpochMilli());
      List<SpendGroup> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(CallRows.readGroup(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not sum the spend between " + from + " and " + to, e);
    }
  }

  @Override
  public void scanSavings(Instant from, Instant to, java.util.function.Consumer<String> sink) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(CallRows.SAVINGS_TRACES)) {
      p.setFetchSize(5_000);
      p.setLong(1, from.toEpochMilli());
      p.setLong(2, to.toEpochMilli());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String savings = CallRows.savings(rs.getString(1));
          if (savings != null) {
            sink.accept(savings);
          }
        }
      }
    } catch (SQLException e) {
      throw failure("could not read the savings between " + from + " and " + to, e);
    }
  }

  @Override
  public List<FailedAttempt> failedAttempts(Instant from, Instant to) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(CallRows.FAILED_ATTEMPTS)) {
      p.setLong(1, from.toEpochMilli());
      p.setLong(2, to.toEpochMilli());
      List<FailedAttempt> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(CallRows.readFailed(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read the failed attempts between " + from + " and " + to, e);
    }
  }

  /** Also drops the shadow pairs' answer texts of that age, which are bodies too. */
  @Override
  public int pruneBodies(Instant before) {
    shadows.pruneTexts(before);
    String sql =
        "UPDATE requests SET request_body = NULL, response_body = NULL"
            + " WHERE time_ms < ? AND (request_body IS NOT NULL OR response_body IS NOT NULL)";
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, before.toEpochMilli());
      return p.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not prune bodies older than " + before, e);
    }
  }

  @Override
  public long count() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM requests")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failure("could not count rows", e);
    }
  }

  @Override
  public AnswerTable answers() {
    return answers;
  }

  @Override
  public AlertTable alerts() {
    return alerts;
  }

  @Override
  public EvalTable evals() {
    return evals;
  }

  @Override
  public ShadowTable shadows() {
    return shadows;
  }

  @Override
  public void close() {
    pool.close();
  }

  /** The database as it may be shown, password hidden. */
  @Override
  public String toString() {
    return "JdbcLogStore[" + name + "]";
  }

  /** A connection from the pool, for tests that look at the schema itself. */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  private interface Binder {
    void bind(PreparedStatement p) throws SQLException;
  }

  private List<RequestRecord> query(String sql, Binder binder, String what) {
    try (Connection c = pool.getConnection();
        PreparedStatement p = c.prepareStatement(sql)) {
      binder.bind(p);
      try (ResultSet rs = p.executeQuery()) {
        List<RequestRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(RequestRows.read(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw failure("could not " + what, e);
    }
  }

  private GatewayException failure(String what, SQLException e) {
    // Driver messages name tables and constraints, never row values: PostgreSQL's detail lines
    // (which can quote a whole failing row, bodies included) are switched off in poolConfig.
    return GatewayException.of(
        ErrorKind.INTERNAL, "request log " + name + ": " + what + ": " + e.getMessage(), e);
  }

  private static HikariConfig poolConfig(StoreUrl url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("tokenwise-store");
    config.setJdbcUrl(url.jdbcUrl());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    Properties props;
    if (url.flavor() == SqlFlavor.SQLITE) {
      config.setDriverClassName("org.sqlite.JDBC");
      // Readers and the one writer; more connections would only queue on SQLite's write lock.
      config.setMaximumPoolSize(4);
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // NORMAL in WAL mode survives a crash of the process; only a power cut can lose the last commits.
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
      props = sqlite.toProperties();
    } else {
      config.setDriverClassName("org.postgresql.Driver");
      config.setMaximumPoolSize(4);
      config.setUsername(url.user());
      config.setPassword(url.password());
      props = new Properties();
      props.setProperty("ApplicationName", "tokenwise");
      // Keeps "Failing row contains (...)" and parameter values out of exception messages and logs.
      props.setProperty("logServerErrorDetail", "false");
      // One multi-row INSERT per batch instead of one round trip per row.
      props.setProperty("reWriteBatchedInserts", "true");
    }
    config.setDataSourceProperties(props);
    return config;
  }

  private static void createParentFolders(Path file) {
    Path parent = file.getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "request log: cannot create the folder " + parent + " for sqlite:" + file, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    // Depth-capped: a cause chain is not trusted to end.
    for (int depth = 0; depth < 10 && t.getCause() != null && t.getCause() != t; depth++) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.GatewayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcLogStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dir;
  private final List<JdbcLogStore> opened = new ArrayList<>();

  @AfterEach
  void close_stores() {
    opened.forEach(JdbcLogStore::close);
  }

  private JdbcLogStore open(Path file) {
    JdbcLogStore store = JdbcLogStore.open(StoreUrl.parse("sqlite:" + file), CLOCK);
    opened.add(store);
    return store;
  }

  private JdbcLogStore open() {
    return open(dir.resolve("log.db"));
  }

  @Test
  void round_trips_every_field_including_large_picodollars_and_unicode_bodies() {
    JdbcLogStore store = open();
    RequestRecord full = TestRows.full("req-full", T0);
    store.insert(List.of(full));

    assertEquals(Optional.of(full), store.find("req-full"));
  }

  @Test
  void scans_the_calls_of_a_period_with_their_shape_sums_them_reads_savings_and_lists_failed_attempts() {
    JdbcLogStore store = open();
    RequestRecord full = TestRows.full("req-a", T0)
        .withAttempts(List.of(new AttemptRecord(1, "openai", "gpt-4o", 503, 12, "failed", "503", 5L),
            new AttemptRecord(2, "openai", "gpt-4o", 200, 40, "ok", null, 9L)));
    RequestRecord sparse = TestRows.sparse("req-b", T0.plusSeconds(1));
    RequestRecord outside = TestRows.sparse("req-c", T0.plusSeconds(3600));
    RequestRecord saved = new RequestRecord("req-d", T0.plusSeconds(2), "t", "p", "openai-chat", "/v1/chat/completions",
        "openai", "gpt-4o", null, 1, 0, 0, 0, 1, 0, false, 1L, 5L, 0, 0, 200, false, "stop", 1, "miss", null, null,
        null, "route: gpt-4o -> gpt-4o-mini; savings: route 0.000004 USD");
    store.insert(List.of(full, sparse, outside, saved));

    List<CallRow> rows = new ArrayList<>();
    store.scanCalls(T0, T0.plusSeconds(60), rows::add);

    assertEquals(List.of("req-a", "req-b", "req-d"), rows.stream().map(CallRow::id).toList());
    CallRow a = rows.get(0);
    assertEquals(full.shape(), a.shape());
    assertEquals("gpt-4o-2024-08-06", a.model(), "the model the provider used");
    assertEquals(1_234 + 1_024 + 17 + 19, a.promptTokens());
    assertEquals(null, rows.get(1).shape(), "a row without a shape reads as none");
    assertEquals("claude-x", rows.get(1).model(), "no model used: the one asked for");
    List<String> savings = new ArrayList<>();
    store.scanSavings(T0, T0.plusSeconds(60), savings::add);
    assertEquals(List.of("savings: route 0.000004 USD"), savings);
    List<CallRow> only = new ArrayList<>();
    store.scanCalls(T0, T0.plusSeconds(60), List.of("p", "classify-ticket"), only::add);
    assertEquals(List.of("req-a", "req-d"), only.stream().map(CallRow::id).toList(), "by pattern, then time");

    List<SpendGroup> groups = store.spendGroups(T0, T0.plusSeconds(60));
    assertEquals(3, groups.size());
    SpendGroup d = groups.stream().filter(g -> "p".equals(g.pattern())).findFirst().orElseThrow();
    assertEquals(new SpendGroup("p", "openai", "gpt-4o", "t", T0.toEpochMilli() / 86_400_000L, 1, 1, 0, 5, 1, 1, 0, 1,
        1, 1), d);
    SpendGroup b = groups.stream().filter(g -> "fp-0a1b".equals(g.pattern())).findFirst().orElseThrow();
    assertEquals(1, b.unknownCost(), "a row of unknown cost");
    assertEquals(1, b.errors());
    assertEquals(0, b.withBaseline());
    assertEquals(List.of(new FailedAttempt("req-a", T0.toEpochMilli(), "classify-ticket", "openai", "gpt-4o", 503,
        "failed", 5L)), store.failedAttempts(T0, T0.plusSeconds(60)));
  }

  @Test
  void attempts_are_written_with_their_call_and_read_back_by_id_and_among_the_newest() {
    JdbcLogStore store = open();
    List<AttemptRecord> attempts = List.of(
        new AttemptRecord(1, "openai", "gpt-4o", 503, 120, "failed", "HTTP 503", 0L),
        new AttemptRecord(2, "groq", "llama-3.3-70b-versatile", 0, 500, "failed",
            "no response headers within 500 ms (first_byte_timeout)", 0L),
        new AttemptRecord(3, "anthropic", "claude-haiku-4-5", 200, 340, "ok", null, 4_200_000L));
    RequestRecord row = TestRows.full("req-chain", T0).withAttempts(attempts);
    store.insert(List.of(row, TestRows.sparse("req-plain", T0.plusMillis(1))));

    assertEquals(attempts, store.find("req-chain").orElseThrow().attemptLog());
    assertEquals(List.of(List.of(), attempts), store.recent(2).stream().map(RequestRecord::attemptLog).toList());
    assertEquals(List.of(), store.between(T0, T0.plusSeconds(1)).get(0).attemptLog(), "period reports leave them out");
  }

  @Test
  void an_unknown_attempt_cost_stays_unknown() {
    JdbcLogStore store = open();
    AttemptRecord unknown = new AttemptRecord(1, "local", "my-model", 200, 10, "ok", null, null);
    store.insert(List.of(TestRows.sparse("req-u", T0).withAttempts(List.of(unknown))));
    assertNull(store.find("req-u").orElseThrow().attemptLog().get(0).costPicoUsd());
  }

  @Test
  void a_batch_whose_attempts_cannot_be_written_leaves_no_row_behind() {
    JdbcLogStore store = open();
    AttemptRecord once = new AttemptRecord(1, "openai", "gpt-4o", 200, 10, "ok", null, 0L);
    RequestRecord twice = TestRows.sparse("req-dup", T0).withAttempts(List.of(once, once));
    assertThrows(GatewayException.class, () -> store.insert(List.of(twice)));
    assertEquals(Optional.empty(), store.find("req-dup"));
    assertEquals(0, store.count());
  }

  @Test
  void keeps_unknown_costs_as_null_rather_than_zero() {
    JdbcLogStore store = open();
    RequestRecord sparse = TestRows.sparse("req-sparse", T0);
    store.insert(List.of(sparse));

    RequestRecord back = store.find("req-sparse").orElseThrow();
    assertNull(back.costPicoUsd());
    assertNull(back.baselinePicoUsd());
    assertEquals(sparse, back);
  }

  @Test
  void finds_nothing_for_an_unknown_id() {
    assertEquals(Optional.empty(), open().find("nope"));
  }

  @Test
  void between_returns_the_half_open_range_oldest_first() {
    JdbcLogStore store = open();
    store.insert(
        List.of(
            TestRows.sparse("c", T0.plusSeconds(2)),
            TestRows.sparse("a", T0),
            TestRows.sparse("d", T0.plusSeconds(3)),
            TestRows.sparse("b", T0.plusSeconds(1)),
            TestRows.sparse("before", T0.minusMillis(1))));

    List<String> ids = ids(store.between(T0, T0.plusSeconds(3)));

    assertEquals(List.of("a", "b", "c"), ids);
  }

  @Test
  void recent_returns_the_newest_rows_first_up_to_the_limit() {
    JdbcLogStore store = open();
    for (int i = 0; i < 5; i++) {
      store.insert(List.of(TestRows.sparse("r" + i, T0.plusSeconds(i))));
    }

    assertEquals(List.of("r4", "r3", "r2"), ids(store.recent(3)));
    assertEquals(5, store.recent(100).size());
    assertEquals(List.of(), store.recent(0));
  }

  @Test
  void prune_bodies_drops_old_bodies_and_keeps_every_row() {
    JdbcLogStore store = open();
    RequestRecord old = TestRows.full("old", T0.minusSeconds(3600));
    RequestRecord edge = TestRows.full("edge", T0);
    RequestRecord fresh = TestRows.full("fresh", T0.plusSeconds(60));
    store.insert(List.of(old, edge, fresh));

    assertEquals(1, store.pruneBodies(T0));

    RequestRecord prunedOld = store.find("old").orElseThrow();
    assertNull(prunedOld.requestBody());
    assertNull(prunedOld.responseBody());
    assertEquals(old.costPicoUsd(), prunedOld.costPicoUsd());
    assertEquals(old.outputTokens(), prunedOld.outputTokens());
    assertEquals(edge, store.find("edge").orElseThrow());
    assertEquals(fresh, store.find("fresh").orElseThrow());
    assertEquals(3, store.count());
    assertEquals(0, store.pruneBodies(T0), "rows already pruned are not counted again");
  }

  @Test
  void inserts_a_batch_all_or_nothing() {
    JdbcLogStore store = open();
    store.insert(List.of(TestRows.sparse("dup", T0)));

    GatewayException e =
        assertThrows(
            GatewayException.class,
            () ->
                store.insert(
                    List.of(TestRows.sparse("new-1", T0), TestRows.full("dup", T0))));

    assertEquals(1, store.count());
    assertTrue(e.getMessage().contains("could not insert 2 rows"), e.getMessage());
    store.insert(List.of(TestRows.sparse("new-2", T0)));
    assertEquals(2, store.count(), "the connection is usable after the rollback");
  }

  @Test
  void opening_twice_applies_the_migrations_once_and_keeps_the_rows() throws SQLException {
    Path file = dir.resolve("twice.db");
    JdbcLogStore first = open(file);
    first.insert(List.of(TestRows.full("kept", T0)));
    first.close();

    JdbcLogStore second = open(file);

    assertEquals(1, second.count());
    try (Connection c = second.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, script FROM schema_version ORDER BY version")) {
      for (String script : Migrations.SCRIPTS) {
        assertTrue(rs.next(), "a row for " + script);
        assertEquals(Migrations.version(script), rs.getInt(1));
        assertEquals(script, rs.getString(2));
      }
      assertTrue(!rs.next(), "one row per version");
    }
  }

  @Test
  void a_version_missing_below_the_newest_is_applied_later() throws SQLException {
    Path file = dir.resolve("gap.db");
    JdbcLogStore first = open(file);
    try (Connection c = first.connection();
        Statement s = c.createStatement()) {
      // as a database looks that got a later version before an earlier one was written
      s.execute("DROP TABLE response_cache");
      s.execute("DELETE FROM schema_version WHERE version = 3");
    }
    first.close();

    JdbcLogStore second = open(file);

    assertEquals(0, second.answers().count(), "version 3 ran again");
    try (Connection c = second.connection()) {
      assertEquals(Migrations.SCRIPTS.stream().map(Migrations::version).collect(java.util.stream.Collectors.toSet()),
          Migrations.appliedVersions(c));
    }
  }

  @Test
  void a_schema_version_this_build_does_not_know_stops_the_open() throws SQLException {
    Path file = dir.resolve("newer.db");
    JdbcLogStore first = open(file);
    try (Connection c = first.connection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, script, applied_ms) VALUES (99, 'V99__later.sql', 0)");
    }
    first.close();

    GatewayException e = assertThrows(GatewayException.class, () -> open(file));
    assertTrue(e.getMessage().contains("has version 99 but this tokenwise knows only"), e.getMessage());
  }

  @Test
  void eval_runs_are_kept_with_their_set_and_answers() {
    EvalTableChecks.a_run_its_set_and_its_answers_read_back(open(), T0);
  }

  @Test
  void the_newest_answered_rows_of_a_pattern_come_first_with_their_bodies() {
    JdbcLogStore store = open();
    store.insert(List.of(TestRows.full("a", T0), TestRows.full("b", T0.plusSeconds(1)),
        TestRows.full("c", T0.plusSeconds(2))));
    List<RequestRecord> rows = store.recentAnswered(TestRows.full("x", T0).pattern(), 2);
    assertEquals(List.of("c", "b"), rows.stream().map(RequestRecord::id).toList());
    assertTrue(rows.get(0).requestBody() != null);
    assertEquals(List.of(), store.recentAnswered("no-such-pattern", 5));
  }

  @Test
  void alerts_are_kept_cleared_once_and_listed_newest_first() {
    JdbcLogStore store = open();
    AlertRecord older = new AlertRecord("al-1", T0, "tenant_cap", "t-3f2a", "1h", 5_021_300_000_000L,
        5_000_000_000_000L, "tenant t-3f2a spent 5.0213 USD in the last hour; guard.tenant.usd_per_hour is 5", null,
        null);
    AlertRecord newer = new AlertRecord("al-2", T0.plusSeconds(60), "anomaly", "support-chat", "5m", 3L, 2L,
        "pattern support-chat …", null, null);
    store.alerts().insert(older);
    store.alerts().insert(newer);
    store.alerts().insert(older);

    assertTrue(store.alerts().clear("al-1", T0.plusSeconds(3600), "window"));
    assertTrue(!store.alerts().clear("al-1", T0.plusSeconds(7200), "admin"), "cleared once");

    List<AlertRecord> alerts = store.alerts().recent(10);
    assertEquals(List.of(newer, new AlertRecord("al-1", T0, "tenant_cap", "t-3f2a", "1h", 5_021_300_000_000L,
        5_000_000_000_000L, older.message(), T0.plusSeconds(3600), "window")), alerts);
    assertEquals(1, store.alerts().recent(1).size());
  }

  @Test
  void creates_missing_parent_folders_and_uses_wal_with_normal_sync() throws SQLException {
    Path file = dir.resolve("a/b/c/log.db");
    JdbcLogStore store = open(file);

    assertTrue(Files.exists(file));
    try (Connection c = store.connection();
        Statement s = c.createStatement()) {
      assertEquals("wal", single(s, "PRAGMA journal_mode"));
      assertEquals("1", single(s, "PRAGMA synchronous"), "1 is NORMAL");
      assertEquals(
          String.valueOf(JdbcLogStore.SQLITE_BUSY_TIMEOUT_MS), single(s, "PRAGMA busy_timeout"));
    }
  }

  @Test
  void has_indexes_on_time_pattern_and_tenant() throws SQLException {
    JdbcLogStore store = open();
    List<String> indexed = new ArrayList<>();
    try (Connection c = store.connection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT ii.name FROM sqlite_master m, pragma_index_info(m.name) ii"
                    + " WHERE m.type = 'index' AND m.tbl_name = 'requests' AND ii.seqno = 0")) {
      while (rs.next()) {
        indexed.add(rs.getString(1));
      }
    }
    assertTrue(indexed.containsAll(List.of("time_ms", "pattern", "tenant")), indexed.toString());
  }

  @Test
  void has_a_column_for_every_record_field() {
    // every component but the attempts, which have a table of their own
    assertEquals(RequestRecord.class.getRecordComponents().length - 1, RequestRows.COLUMNS.size());
    assertEquals(AttemptRecord.class.getRecordComponents().length + 2L, AttemptRows.INSERT.chars().filter(ch -> ch == '?').count(),
        "the attempt's fields, the request's id and its time");
  }

  @Test
  void every_migration_exists_for_both_databases() {
    for (String script : Migrations.SCRIPTS) {
      for (SqlFlavor flavor : SqlFlavor.values()) {
        assertNotNull(Migrations.load(flavor, script));
      }
    }
  }

  @Test
  void splits_scripts_into_statements_without_comments() {
    List<String> statements =
        Migrations.statements(
            "-- a comment\nCREATE TABLE t (\n  a INTEGER\n);\n\nCREATE INDEX i ON t (a);\n");

    assertEquals(List.of("CREATE TABLE t (\na INTEGER\n)", "CREATE INDEX i ON t (a)"), statements);
  }

  @Test
  void log_stores_opens_a_sqlite_url() {
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("via-front-door.db"))) {
      store.insert(List.of(TestRows.sparse("x", T0)));
      assertEquals(1, store.count());
    }
  }

  private static List<String> ids(List<RequestRecord> rows) {
    return rows.stream().map(RequestRecord::id).toList();
  }

  private static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

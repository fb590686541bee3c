package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenwise.core.GatewayException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request log against a real PostgreSQL, named by {@code TOKENWISE_TEST_PG_URL}. Each test works in
 * a schema of its own, so runs never see each other's rows and a failed run leaves nothing behind that
 * matters.
 */
class PostgresLogStoreIT {
  private static final String ENV = "TOKENWISE_TEST_PG_URL";
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");

  private static String baseUrl;
  private String schema;
  private final List<LogStore> opened = new ArrayList<>();

  @BeforeAll
  static void require_postgresql() {
    baseUrl = System.getenv(ENV);
    if (baseUrl == null || baseUrl.isBlank()) {
      fail(
          ENV + " is not set, so there is no PostgreSQL to test against. Start one with\n"
              + "  eval \"$(bash .ci/services.sh)\"\n"
              + "(it installs PostgreSQL when missing and prints the variable), or point " + ENV
              + " at yours, e.g. postgresql://tokenwise:tokenwise@127.0.0.1:5432/tokenwise");
    }
  }

  @BeforeEach
  void create_schema() throws SQLException {
    schema = "store_it_" + UUID.randomUUID().toString().replace("-", "");
    admin("CREATE SCHEMA " + schema);
  }

  @AfterEach
  void drop_schema() throws SQLException {
    opened.forEach(LogStore::close);
    admin("DROP SCHEMA " + schema + " CASCADE");
  }

  private String url() {
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private LogStore open() {
    LogStore store = LogStores.open(url());
    synchronized (opened) {
      opened.add(store);
    }
    return store;
  }

  @Test
  void the_audit_reads_calls_sums_and_failed_attempts_from_postgresql_as_from_sqlite() {
    LogStore store = open();
    RequestRecord a = TestRows.full("pg-a", T0).withAttempts(List.of(
        new AttemptRecord(1, "openai", "gpt-4o", 503, 12, "failed", "503", 5L),
        new AttemptRecord(2, "openai", "gpt-4o", 200, 40, "ok", null, 9L)));
    store.insert(List.of(a, TestRows.sparse("pg-b", T0.plusSeconds(1)), TestRows.sparse("pg-c", T0.plusSeconds(2))));

    List<CallRow> rows = new ArrayList<>();
    store.scanCalls(T0, T0.plusSeconds(60), List.of("classify-ticket"), rows::add);
    assertEquals(List.of("pg-a"), rows.stream().map(CallRow::id).toList());
    assertEquals(a.shape(), rows.get(0).shape());

    List<SpendGroup> groups = store.spendGroups(T0, T0.plusSeconds(60));
    SpendGroup full = groups.stream().filter(g -> "classify-ticket".equals(g.pattern())).findFirst().orElseThrow();
    assertEquals(1, full.calls());
    assertEquals(a.costPicoUsd(), full.spendPicoUsd(), "sums of bigints read back exactly");
    assertEquals(Long.MAX_VALUE, full.baselinePicoUsd());
    assertEquals(1_234 + 1_024 + 17 + 19, full.promptTokens());
    SpendGroup sparse = groups.stream().filter(g -> "fp-0a1b".equals(g.pattern())).findFirst().orElseThrow();
    assertEquals(2, sparse.calls());
    assertEquals(2, sparse.unknownCost());
    assertEquals(2, sparse.unshaped());
    assertEquals(List.of(new FailedAttempt("pg-a", T0.toEpochMilli(), "classify-ticket", "openai", "gpt-4o", 503,
        "failed", 5L)), store.failedAttempts(T0, T0.plusSeconds(60)));
  }

  private void admin(String sql) throws SQLException {
    StoreUrl parsed = StoreUrl.parse(baseUrl);
    try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), parsed.user(), parsed.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private long schemaVersions() throws SQLException {
    StoreUrl parsed = StoreUrl.parse(url());
    try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), parsed.user(), parsed.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void round_trips_every_field_including_null_costs_large_picodollars_and_unicode() {
    LogStore store = open();
    RequestRecord full = TestRows.full("pg-full", T0);
    RequestRecord sparse = TestRows.sparse("pg-sparse", T0.plusSeconds(1));
    store.insert(List.of(full, sparse));

    assertEquals(Optional.of(full), store.find("pg-full"));
    RequestRecord back = store.find("pg-sparse").orElseThrow();
    assertEquals(sparse, back);
    assertNull(back.costPicoUsd());
    assertEquals(2, store.count());
  }

  @Test
  void attempts_round_trip_with_their_call_and_an_unknown_cost_stays_null() {
    LogStore store = open();
    List<AttemptRecord> attempts = List.of(
        new AttemptRecord(1, "openai", "gpt-4o", 503, 120, "failed", "HTTP 503", 0L),
        new AttemptRecord(2, "local", "my\0model", 200, 80, "ok", null, null));
    store.insert(List.of(TestRows.full("pg-chain", T0).withAttempts(attempts)));

    List<AttemptRecord> back = store.find("pg-chain").orElseThrow().attemptLog();
    assertEquals(attempts.get(0), back.get(0));
    assertEquals("my\uFFFDmodel", back.get(1).model(), "NUL is replaced, as in the request's own text");
    assertNull(back.get(1).costPicoUsd());
    assertEquals(back, store.recent(1).get(0).attemptLog());
  }

  @Test
  void stores_a_body_with_a_nul_character_instead_of_failing_the_batch() {
    LogStore store = open();
    RequestRecord odd = TestRows.sparse("pg-nul", T0);
    odd =
        new RequestRecord(
            odd.id(), odd.time(), odd.tenant(), odd.pattern(), odd.dialect(), odd.endpoint(),
            odd.provider(), odd.modelRequested(), odd.modelUsed(), 1, 0, 0, 0, 1, 0, false, 5L, 5L,
            1, 2, 200, false, "stop", 1, "miss", null, "a\0b", "ok", null);
    store.insert(List.of(odd, TestRows.full("pg-next", T0)));

    assertEquals("a\uFFFDb", store.find("pg-nul").orElseThrow().requestBody());
    assertEquals(2, store.count());
  }

  @Test
  void between_and_recent_keep_their_order() {
    LogStore store = open();
    store.insert(
        List.of(
            TestRows.sparse("c", T0.plusSeconds(2)),
            TestRows.sparse("a", T0),
            TestRows.sparse("b", T0.plusSeconds(1)),
            TestRows.sparse("later", T0.plusSeconds(3))));

    assertEquals(List.of("a", "b", "c"), ids(store.between(T0, T0.plusSeconds(3))));
    assertEquals(List.of("later", "c"), ids(store.recent(2)));
  }

  @Test
  void prune_bodies_drops_old_bodies_and_keeps_every_row() {
    LogStore store = open();
    store.insert(List.of(TestRows.full("old", T0.minusSeconds(60)), TestRows.full("new", T0)));

    assertEquals(1, store.pruneBodies(T0));

    RequestRecord old = store.find("old").orElseThrow();
    assertNull(old.requestBody());
    assertNull(old.responseBody());
    assertEquals(TestRows.full("new", T0), store.find("new").orElseThrow());
    assertEquals(2, store.count());
  }

  @Test
  void alerts_are_kept_and_cleared_once() {
    LogStore store = open();
    AlertRecord a = new AlertRecord("al-pg", T0, "pattern_cap", "support-chat", "24h", 20_500_000_000_000L,
        20_000_000_000_000L, "pattern support-chat spent 20.5 USD in the last 24 hours", null, null);
    store.alerts().insert(a);

    assertTrue(store.alerts().clear("al-pg", T0.plusSeconds(60), "admin"));
    assertFalse(store.alerts().clear("al-pg", T0.plusSeconds(120), "window"));
    assertEquals(List.of(new AlertRecord("al-pg", T0, "pattern_cap", "support-chat", "24h", 20_500_000_000_000L,
        20_000_000_000_000L, a.message(), T0.plusSeconds(60), "admin")), store.alerts().recent(5));
  }

  @Test
  void eval_runs_are_kept_with_their_set_and_answers() {
    EvalTableChecks.a_run_its_set_and_its_answers_read_back(open(), T0);
  }

  @Test
  void opening_twice_applies_the_migrations_once() throws SQLException {
    LogStore first = open();
    first.insert(List.of(TestRows.full("kept", T0)));
    first.close();

    LogStore second = open();

    assertEquals(1, second.count());
    assertEquals(Migrations.SCRIPTS.size(), schemaVersions());
  }

  @Test
  void stores_opened_at_once_on_one_database_migrate_once_and_share_rows() throws Exception {
    int instances = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<LogStore> stores = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(instances)) {
      List<Future<LogStore>> opening = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        opening.add(
            pool.submit(
                () -> {
                  go.await();
                  return open();
                }));
      }
      go.countDown();
      for (Future<LogStore> f : opening) {
        stores.add(f.get());
      }
    }

    for (int i = 0; i < instances; i++) {
      stores.get(i).insert(List.of(TestRows.sparse("instance-" + i, T0.plusMillis(i))));
    }
    for (LogStore store : stores) {
      assertEquals(instances, store.count());
    }
    assertEquals(Migrations.SCRIPTS.size(), schemaVersions());
  }

  @Test
  void the_async_writer_writes_batches_to_postgresql() {
    LogStore store = open();
    try (AsyncLogWriter writer = new AsyncLogWriter(store, 1_000, 100, Duration.ofMillis(50))) {
      for (int i = 0; i < 500; i++) {
        assertTrue(writer.offer(TestRows.full("w-" + i, T0.plusMillis(i))));
      }
      writer.flush(Duration.ofSeconds(30));
      assertEquals(500, writer.written());
    }
    assertEquals(500, store.count());
  }

  @Test
  void a_wrong_password_fails_with_the_url_redacted() {
    StoreUrl good = StoreUrl.parse(baseUrl);
    String wrong =
        "postgresql://" + good.user() + ":not-the-password-42@"
            + good.jdbcUrl().substring("jdbc:postgresql://".length());

    GatewayException e = assertThrows(GatewayException.class, () -> LogStores.open(wrong));

    assertFalse(e.getMessage().contains("not-the-password-42"), e.getMessage());
    assertTrue(e.getMessage().contains(":***@"), e.getMessage());
  }

  private static List<String> ids(List<RequestRecord> rows) {
    return rows.stream().map(RequestRecord::id).toList();
  }
}

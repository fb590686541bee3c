package dev.tokenwise.store;

import static dev.tokenwise.testing.Answers.assertSameAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.testing.Answers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response cache's table on a real PostgreSQL ({@code TOKENWISE_TEST_PG_URL}), a schema per test. */
class PostgresAnswerTableIT {
  private static final String ENV = "TOKENWISE_TEST_PG_URL";
  private static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000;

  private static String baseUrl;
  private String schema;
  private LogStore store;
  private AnswerTable table;

  @BeforeAll
  static void require_postgresql() {
    baseUrl = System.getenv(ENV);
    if (baseUrl == null || baseUrl.isBlank()) {
      fail(ENV + " is not set; start PostgreSQL with  eval \"$(bash .ci/services.sh)\"  or point " + ENV
          + " at yours");
    }
  }

  @BeforeEach
  void open() throws SQLException {
    schema = "answers_it_" + UUID.randomUUID().toString().replace("-", "");
    admin("CREATE SCHEMA " + schema);
    store = LogStores.open(baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    table = store.answers();
  }

  @AfterEach
  void drop() throws SQLException {
    store.close();
    admin("DROP SCHEMA " + schema + " CASCADE");
  }

  private void admin(String sql) throws SQLException {
    StoreUrl parsed = StoreUrl.parse(baseUrl);
    try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), parsed.user(), parsed.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void round_trips_every_field_and_the_nulls() {
    CachedAnswer semantic = Answers.semantic("k-sem", "faq", T0, T0 + HOUR);
    CachedAnswer plain = Answers.plain("k-plain", "faq", T0, T0 + HOUR);
    table.upsert(List.of(semantic, plain));

    assertSameAnswer(semantic, table.find("k-sem").orElseThrow());
    assertSameAnswer(plain, table.find("k-plain").orElseThrow());
  }

  @Test
  void a_nul_in_the_query_text_is_replaced_rather_than_failing_the_batch() {
    CachedAnswer s = Answers.semantic("k", "p", T0, T0 + HOUR);
    CachedAnswer odd = new CachedAnswer(s.key(), s.tenant(), s.pattern(), s.dialect(), s.scope(), "a\0b",
        s.embedding(), s.body(), s.model(), s.finishReason(), s.usage(), s.costPicoUsd(),
        s.baselinePicoUsd(), s.createdMillis(), s.expiresMillis());
    table.upsert(List.of(odd, Answers.plain("next", "p", T0, T0 + HOUR)));

    assertEquals("a\uFFFDb", table.find("k").orElseThrow().query());
    assertEquals(2, table.count());
  }

  @Test
  void a_batch_that_names_one_key_twice_keeps_the_later_answer() {
    table.upsert(List.of(Answers.plain("k", "first", T0, T0 + HOUR), Answers.plain("x", "x", T0, T0 + HOUR),
        Answers.plain("k", "second", T0 + 1, T0 + HOUR)));

    assertEquals("second", table.find("k").orElseThrow().pattern());
    assertEquals(2, table.count());
  }

  @Test
  void loads_more_rows_than_one_fetch_newest_first_and_skips_expired_ones() {
    List<CachedAnswer> batch = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      batch.add(Answers.plain("k" + i, "p", T0 + i, i % 10 == 0 ? T0 : T0 + HOUR));
    }
    table.upsert(batch);

    List<String> keys = new ArrayList<>();
    table.loadLive(T0, 1_000, a -> keys.add(a.key()));

    assertEquals(225, keys.size());
    assertEquals("k249", keys.getFirst());
    assertEquals("k1", keys.getLast());
    List<String> firstTen = new ArrayList<>();
    table.loadLive(T0, 10, a -> firstTen.add(a.key()));
    assertEquals(keys.subList(0, 10), firstTen);
  }

  @Test
  void deletes_by_key_by_pattern_expired_and_all() {
    table.upsert(List.of(
        Answers.plain("a1", "a", T0, T0 + HOUR),
        Answers.plain("a2", "a", T0, T0 + HOUR),
        Answers.plain("b1", "b", T0, T0 + HOUR),
        Answers.plain("b2", "b", T0, T0 + 2 * HOUR),
        Answers.plain("c1", "c", T0, T0 + 3 * HOUR)));

    assertEquals(1, table.delete(List.of("a1", "nope")));
    assertEquals(1, table.deletePattern("a"));
    assertEquals(1, table.deleteExpired(T0 + HOUR));
    assertEquals(2, table.deleteAll());
    assertEquals(0, table.count());
  }
}

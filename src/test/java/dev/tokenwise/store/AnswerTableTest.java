package dev.tokenwise.store;

import static dev.tokenwise.testing.Answers.assertSameAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Usage;
import dev.tokenwise.testing.Answers;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerTableTest {
  private static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000;

  @TempDir Path dir;
  private JdbcLogStore store;
  private AnswerTable table;

  @BeforeEach
  void open() {
    store = JdbcLogStore.open(StoreUrl.parse("sqlite:" + dir.resolve("log.db")),
        Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
    table = store.answers();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void round_trips_every_field_of_a_semantic_answer_and_the_nulls_of_a_plain_one() {
    CachedAnswer semantic = Answers.semantic("k-sem", "faq", T0, T0 + HOUR);
    CachedAnswer plain = Answers.plain("k-plain", "faq", T0, T0 + HOUR);
    table.upsert(List.of(semantic, plain));

    assertSameAnswer(semantic, table.find("k-sem").orElseThrow());
    CachedAnswer back = table.find("k-plain").orElseThrow();
    assertSameAnswer(plain, back);
    assertNull(back.embedding());
    assertEquals(-1, back.costPicoUsd());
    assertEquals(2, table.count());
  }

  @Test
  void upsert_replaces_the_answer_under_a_key_and_the_later_of_two_in_a_batch_wins() {
    table.upsert(List.of(Answers.plain("k", "old", T0, T0 + HOUR)));

    table.upsert(List.of(Answers.plain("k", "first", T0 + 1, T0 + HOUR),
        Answers.semantic("k", "second", T0 + 2, T0 + 2 * HOUR)));

    assertSameAnswer(Answers.semantic("k", "second", T0 + 2, T0 + 2 * HOUR), table.find("k").orElseThrow());
    assertEquals(1, table.count());
  }

  @Test
  void loads_only_live_answers_newest_first_up_to_the_limit() {
    table.upsert(List.of(
        Answers.plain("old", "p", T0 - 3 * HOUR, T0 + HOUR),
        Answers.plain("expired", "p", T0 - HOUR, T0),
        Answers.plain("new", "p", T0 - 1, T0 + HOUR),
        Answers.plain("mid", "p", T0 - 2 * HOUR, T0 + HOUR)));

    assertEquals(List.of("new", "mid", "old"), keys(T0, 10));
    assertEquals(List.of("new", "mid"), keys(T0, 2));
    assertEquals(List.of(), keys(T0, 0));
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
    assertEquals(List.of("b2", "c1"), keys(T0, 10).stream().sorted().toList());
    assertEquals(2, table.deleteAll());
    assertEquals(0, table.count());
  }

  @Test
  void keeps_the_usage_figures_and_the_estimated_flag() {
    CachedAnswer a = Answers.semantic("u", "p", T0, T0 + HOUR);
    table.upsert(List.of(a));

    Usage back = table.find("u").orElseThrow().usage();
    assertEquals(new Usage(1_234, 1_024, 17, 19, 321, 64, true), back);
  }

  @Test
  void has_a_column_for_every_field_with_usage_spread_over_its_figures() {
    int fields = CachedAnswer.class.getRecordComponents().length;
    int usageFigures = Usage.class.getRecordComponents().length;
    assertEquals(fields - 1 + usageFigures, AnswerTable.COLUMNS.size());
  }

  @Test
  void has_indexes_on_pattern_and_expiry() throws SQLException {
    List<String> indexed = new ArrayList<>();
    try (Connection c = store.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT ii.name FROM sqlite_master m, pragma_index_info(m.name) ii"
                + " WHERE m.type = 'index' AND m.tbl_name = 'response_cache' AND ii.seqno = 0")) {
      while (rs.next()) {
        indexed.add(rs.getString(1));
      }
    }
    assertTrue(indexed.containsAll(List.of("pattern", "expires_ms")), indexed.toString());
  }

  @Test
  void an_embedding_survives_the_byte_form_exactly() {
    float[] v = {1f, -0f, Float.NaN, Float.MAX_VALUE, 1e-30f};
    float[] back = AnswerTable.floats(AnswerTable.floats(v));
    assertEquals(v.length, back.length);
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]));
    }
  }

  private List<String> keys(long now, int limit) {
    List<String> out = new ArrayList<>();
    table.loadLive(now, limit, a -> out.add(a.key()));
    return out;
  }
}

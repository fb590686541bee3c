package dev.tokenwise.cache;

import static dev.tokenwise.testing.Answers.assertSameAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.testing.Answers;
import dev.tokenwise.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryAnswersTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final long T0 = START.toEpochMilli();
  private static final long HOUR = 3_600_000;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(START);
  private final List<MemoryAnswers> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(MemoryAnswers::close);
  }

  private MemoryAnswers open(long maxBytes, int maxEntries, AnswerPersistence persistence) {
    return open(maxBytes, maxEntries, persistence, MemoryAnswers.QUEUE_CAPACITY);
  }

  private MemoryAnswers open(long maxBytes, int maxEntries, AnswerPersistence persistence, int queueCapacity) {
    MemoryAnswers m = MemoryAnswers.open(clock, maxBytes, maxEntries, persistence, queueCapacity,
        MemoryAnswers.SWEEP_EVERY);
    opened.add(m);
    return m;
  }

  @Test
  void serves_an_answer_until_its_expiry_by_the_clock() {
    MemoryAnswers m = open(1 << 20, 100, null);
    CachedAnswer a = Answers.plain("k", "p", T0, T0 + 1_000);
    m.put(a);

    clock.advance(Duration.ofMillis(999));
    assertSameAnswer(a, m.get("k", clock.millis()).orElseThrow());

    clock.advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), m.get("k", clock.millis()));
    assertEquals(0, m.size());
  }

  @Test
  void never_serves_an_answer_past_the_time_the_caller_gives() {
    MemoryAnswers m = open(1 << 20, 100, null);
    m.put(Answers.plain("k", "p", T0, T0 + 1_000));

    assertEquals(Optional.empty(), m.get("k", T0 + 1_000));
  }

  @Test
  void replacing_an_answer_takes_the_new_expiry() {
    MemoryAnswers m = open(1 << 20, 100, null);
    m.put(Answers.plain("k", "p", T0, T0 + 1_000));
    m.put(Answers.plain("k", "p", T0, T0 + 5_000));

    clock.advance(Duration.ofSeconds(2));

    assertTrue(m.get("k", clock.millis()).isPresent());
    assertEquals(1, m.size());
  }

  @Test
  void does_not_keep_an_answer_that_has_already_expired_or_outweighs_the_whole_cache() {
    MemoryAnswers m = open(10_000, 100, null);
    m.put(Answers.plain("old", "p", T0 - 10, T0));
    m.put(Answers.sized("huge", "p", 20_000, T0 + HOUR));

    assertEquals(0, m.size());
  }

  @Test
  void keeps_the_total_weight_within_max_bytes() {
    MemoryAnswers m = open(10_000, 1_000, null);
    for (int i = 0; i < 50; i++) {
      m.put(Answers.sized("k" + i, "p", 1_000, T0 + HOUR));
    }

    assertTrue(m.chargedBytes() <= 10_000, "charged " + m.chargedBytes());
    long weightEach = Answers.sized("k0", "p", 1_000, T0 + HOUR).weight();
    assertEquals(10_000 / weightEach, m.size());
  }

  @Test
  void keeps_the_count_within_max_entries_when_answers_are_small() {
    MemoryAnswers m = open(1_000_000, 5, null);
    for (int i = 0; i < 50; i++) {
      m.put(Answers.plain("k" + i, "p", T0, T0 + HOUR));
    }

    assertEquals(5, m.size());
    assertTrue(m.chargedBytes() <= 1_000_000);
  }

  @Test
  void refuses_bounds_that_leave_no_room_or_too_much_per_entry() {
    assertThrows(IllegalArgumentException.class, () -> MemoryAnswers.open(clock, 0, 10, null));
    assertThrows(IllegalArgumentException.class, () -> MemoryAnswers.open(clock, 10, 0, null));
    assertThrows(IllegalArgumentException.class, () -> MemoryAnswers.open(clock, 1L << 40, 2, null));
  }

  @Test
  void remove_pattern_drops_that_pattern_for_every_tenant_and_nothing_else() {
    FakePersistence table = new FakePersistence();
    MemoryAnswers m = open(1 << 20, 100, table);
    m.put(Answers.plain("a1", "a", T0, T0 + HOUR));
    m.put(Answers.semantic("a2", "a", T0, T0 + HOUR));
    m.put(Answers.plain("b1", "b", T0, T0 + HOUR));

    assertEquals(2, m.removePattern("a"));

    assertEquals(Optional.empty(), m.get("a1", T0));
    assertEquals(Optional.empty(), m.get("a2", T0));
    assertTrue(m.get("b1", T0).isPresent());
    assertTrue(m.flushWrites(WAIT));
    assertEquals(Set.of("b1"), table.rows.keySet());
    assertEquals(0, m.removePattern("none"));
  }

  @Test
  void remove_all_empties_memory_and_table() {
    FakePersistence table = new FakePersistence();
    MemoryAnswers m = open(1 << 20, 100, table);
    m.put(Answers.plain("a", "a", T0, T0 + HOUR));
    m.put(Answers.plain("b", "b", T0, T0 + HOUR));

    assertEquals(2, m.removeAll());

    assertEquals(0, m.size());
    assertTrue(m.flushWrites(WAIT));
    assertTrue(table.rows.isEmpty());
    assertTrue(table.calls.contains("deleteAll"), table.calls.toString());
  }

  @Test
  void an_answer_evicted_for_size_is_deleted_from_the_table_too() {
    FakePersistence table = new FakePersistence();
    MemoryAnswers m = open(1 << 20, 3, table);
    for (int i = 0; i < 10; i++) {
      m.put(Answers.plain("k" + i, "p", T0, T0 + HOUR));
    }
    assertTrue(m.flushWrites(WAIT));

    Set<String> held = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      if (m.get("k" + i, T0).isPresent()) {
        held.add("k" + i);
      }
    }
    assertEquals(3, held.size());
    assertEquals(held, table.rows.keySet());
  }

  @Test
  void loads_the_newest_live_answers_within_the_bounds_at_open() {
    FakePersistence table = new FakePersistence();
    for (int i = 0; i < 5; i++) {
      CachedAnswer a = Answers.semantic("k" + i, "p", T0 - HOUR + i, T0 + HOUR);
      table.rows.put(a.key(), a);
    }
    table.rows.put("dead", Answers.plain("dead", "p", T0, T0));

    MemoryAnswers m = open(1 << 20, 3, table);

    assertEquals(3, m.size());
    for (String key : List.of("k4", "k3", "k2")) {
      assertSameAnswer(table.rows.get(key), m.get(key, T0).orElseThrow());
    }
    assertEquals(Optional.empty(), m.get("k0", T0));
  }

  @Test
  void starts_empty_when_the_table_cannot_be_read() {
    FakePersistence table = new FakePersistence();
    table.rows.put("k", Answers.plain("k", "p", T0, T0 + HOUR));
    table.broken = true;

    MemoryAnswers m = open(1 << 20, 10, table);

    assertEquals(0, m.size());
    m.put(Answers.plain("k2", "p", T0, T0 + HOUR));
    assertTrue(m.get("k2", T0).isPresent());
  }

  @Test
  void a_full_queue_drops_and_counts_writes_instead_of_blocking_the_caller() throws InterruptedException {
    FakePersistence table = new FakePersistence();
    table.gate = new CountDownLatch(1);
    MemoryAnswers m = open(1 << 20, 100, table, 4);

    m.put(Answers.plain("held", "p", T0, T0 + HOUR));
    assertTrue(table.saving.await(10, TimeUnit.SECONDS), "the writer took the first save");
    for (int i = 0; i < 7; i++) {
      m.put(Answers.plain("k" + i, "p", T0, T0 + HOUR));
    }

    assertEquals(3, m.droppedWrites());
    assertEquals(3, m.failures());
    assertEquals(8, m.size(), "memory keeps every answer");
    table.gate.countDown();
    assertTrue(m.flushWrites(WAIT));
    assertEquals(Set.of("held", "k0", "k1", "k2", "k3"), table.rows.keySet());
  }

  @Test
  void a_failing_table_is_counted_and_never_reaches_the_caller() {
    FakePersistence table = new FakePersistence();
    MemoryAnswers m = open(1 << 20, 100, table);
    table.broken = true;

    m.put(Answers.plain("a", "p", T0, T0 + HOUR));
    m.put(Answers.plain("b", "p", T0, T0 + HOUR));
    assertTrue(m.flushWrites(WAIT));
    m.removePattern("p");
    assertTrue(m.flushWrites(WAIT));

    assertEquals(3, m.failedWrites());
    assertEquals(0, m.droppedWrites());
  }

  @Test
  void close_writes_what_is_queued_and_closes_the_table() {
    FakePersistence table = new FakePersistence();
    MemoryAnswers m = MemoryAnswers.open(clock, 1 << 20, 100, table);
    for (int i = 0; i < 50; i++) {
      m.put(Answers.plain("k" + i, "p", T0, T0 + HOUR));
    }

    m.close();

    assertEquals(50, table.rows.size());
    assertTrue(table.closed);
    m.put(Answers.plain("late", "p", T0, T0 + HOUR));
    assertEquals(1, m.droppedWrites(), "a put after close reaches memory only");
  }

  @Test
  void follow_semantic_replays_held_semantic_answers_then_sees_each_new_one() {
    MemoryAnswers m = open(1 << 20, 100, null);
    m.put(Answers.semantic("s1", "p", T0, T0 + HOUR));
    m.put(Answers.plain("plain", "p", T0, T0 + HOUR));
    m.put(Answers.semantic("gone", "p", T0, T0 + 10));
    clock.advance(Duration.ofMillis(10));

    List<String> seen = new ArrayList<>();
    m.followSemantic(a -> seen.add(a.key()));
    assertEquals(List.of("s1"), seen);

    m.put(Answers.semantic("s2", "p", T0, T0 + HOUR));
    m.put(Answers.plain("plain2", "p", T0, T0 + HOUR));
    assertEquals(List.of("s1", "s2"), seen);
    assertThrows(IllegalStateException.class, () -> m.followSemantic(a -> {}));
  }

  @Test
  void a_sink_that_throws_does_not_fail_the_put() {
    MemoryAnswers m = open(1 << 20, 100, null);
    m.followSemantic(a -> {
      throw new IllegalStateException("index full");
    });

    m.put(Answers.semantic("s", "p", T0, T0 + HOUR));

    assertTrue(m.get("s", T0).isPresent());
    assertEquals(1, m.failures());
    assertFalse(m.get("other", T0).isPresent());
  }
}

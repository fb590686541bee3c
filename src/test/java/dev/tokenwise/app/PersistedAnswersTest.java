package dev.tokenwise.app;

import static dev.tokenwise.testing.Answers.assertSameAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.cache.MemoryAnswers;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.testing.Answers;
import dev.tokenwise.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory cache over the SQLite answer table: what it held comes back after a restart. */
class PersistedAnswersTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final long T0 = START.toEpochMilli();
  private static final long HOUR = 3_600_000;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(START);

  private String url() {
    return "sqlite:" + dir.resolve("data/tokenwise.db");
  }

  @Test
  void answers_survive_a_restart_of_cache_and_store() {
    CachedAnswer semantic = Answers.semantic("s", "faq", T0, T0 + HOUR);
    CachedAnswer plain = Answers.plain("p", "faq", T0, T0 + HOUR);
    CachedAnswer shortLived = Answers.plain("short", "faq", T0, T0 + 1_000);
    try (LogStore store = LogStores.open(url());
        MemoryAnswers cache = MemoryAnswers.open(clock, 1 << 20, 100, new PersistedAnswers(store.answers()))) {
      cache.put(semantic);
      cache.put(plain);
      cache.put(shortLived);
      cache.put(Answers.plain("dropped", "other", T0, T0 + HOUR));
      cache.removePattern("other");
    }
    clock.advance(Duration.ofSeconds(1));

    try (LogStore store = LogStores.open(url());
        MemoryAnswers cache = MemoryAnswers.open(clock, 1 << 20, 100, new PersistedAnswers(store.answers()))) {
      long now = clock.millis();
      assertSameAnswer(semantic, cache.get("s", now).orElseThrow());
      assertSameAnswer(plain, cache.get("p", now).orElseThrow());
      assertEquals(Optional.empty(), cache.get("short", now));
      assertEquals(Optional.empty(), cache.get("dropped", now));
      assertEquals(2, cache.size());

      List<String> followed = new ArrayList<>();
      cache.followSemantic(a -> followed.add(a.key()));
      assertEquals(List.of("s"), followed);
    }
  }

  @Test
  void remove_all_reaches_the_table_before_the_store_closes() {
    try (LogStore store = LogStores.open(url());
        MemoryAnswers cache = MemoryAnswers.open(clock, 1 << 20, 100, new PersistedAnswers(store.answers()))) {
      cache.put(Answers.plain("a", "p", T0, T0 + HOUR));
      cache.removeAll();
    }
    try (LogStore store = LogStores.open(url())) {
      assertEquals(0, store.answers().count());
    }
  }
}

package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyPrunerTest {
  private static final Instant NOW = Instant.parse("2026-03-31T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration RETENTION = Duration.ofDays(30);

  @TempDir Path dir;
  private JdbcLogStore sqlite;

  @BeforeEach
  void open_store() {
    sqlite = JdbcLogStore.open(StoreUrl.parse("sqlite:" + dir.resolve("log.db")), CLOCK);
  }

  @AfterEach
  void close_store() {
    sqlite.close();
  }

  @Test
  void prunes_once_at_start_with_the_retention_as_cutoff() throws InterruptedException {
    RecordingStore store = new RecordingStore(sqlite);
    sqlite.insert(
        List.of(
            TestRows.full("old", NOW.minus(RETENTION).minusSeconds(1)),
            TestRows.full("young", NOW.minus(RETENTION).plusSeconds(1))));

    try (BodyPruner pruner = BodyPruner.start(store, RETENTION, CLOCK)) {
      assertEquals(NOW.minus(RETENTION), store.cutoffs.poll(10, TimeUnit.SECONDS));
    }

    assertNull(sqlite.find("old").orElseThrow().requestBody());
    assertNotNull(sqlite.find("young").orElseThrow().requestBody());
    assertEquals(2, sqlite.count());
  }

  @Test
  void prunes_again_every_interval_until_closed() throws InterruptedException {
    RecordingStore store = new RecordingStore(sqlite);
    BodyPruner pruner = new BodyPruner(store, RETENTION, CLOCK, Duration.ofMillis(5));
    for (int i = 0; i < 3; i++) {
      assertNotNull(store.cutoffs.poll(10, TimeUnit.SECONDS), "pass " + i);
    }

    pruner.close();

    assertFalse(pruner.running());
    store.cutoffs.clear();
    assertNull(store.cutoffs.poll(50, TimeUnit.MILLISECONDS), "no pass after close");
  }

  @Test
  void keeps_running_after_a_failing_pass() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    RecordingStore store =
        new RecordingStore(sqlite) {
          @Override
          public int pruneBodies(Instant before) {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("database is locked");
            }
            return super.pruneBodies(before);
          }
        };

    try (BodyPruner pruner = new BodyPruner(store, RETENTION, CLOCK, Duration.ofMillis(5))) {
      assertNotNull(store.cutoffs.poll(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void close_returns_at_once_while_waiting_an_hour() {
    BodyPruner pruner = BodyPruner.start(sqlite, RETENTION, CLOCK);

    pruner.close();

    assertFalse(pruner.running());
  }

  @Test
  void rejects_a_retention_that_is_not_positive() {
    assertThrows(
        IllegalArgumentException.class, () -> BodyPruner.start(sqlite, Duration.ZERO, CLOCK));
  }

  /** Records every cutoff it is asked to prune at. */
  private static class RecordingStore extends ForwardingStore {
    final BlockingQueue<Instant> cutoffs = new LinkedBlockingQueue<>();

    RecordingStore(LogStore delegate) {
      super(delegate);
    }

    @Override
    public int pruneBodies(Instant before) {
      int changed = super.pruneBodies(before);
      cutoffs.add(before);
      return changed;
    }
  }
}

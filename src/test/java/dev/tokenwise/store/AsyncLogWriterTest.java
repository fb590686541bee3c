package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncLogWriterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LONG_WINDOW = Duration.ofHours(1);

  @TempDir Path dir;
  private JdbcLogStore sqlite;
  private final List<AsyncLogWriter> writers = new ArrayList<>();

  @BeforeEach
  void open_store() {
    sqlite =
        JdbcLogStore.open(
            StoreUrl.parse("sqlite:" + dir.resolve("log.db")), Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void close_all() {
    writers.forEach(AsyncLogWriter::close);
    sqlite.close();
  }

  private AsyncLogWriter writer(LogStore store, int capacity, int batchSize, Duration window) {
    AsyncLogWriter w = new AsyncLogWriter(store, capacity, batchSize, window);
    writers.add(w);
    return w;
  }

  private static RequestRecord row(int i) {
    return TestRows.full("req-" + i, T0.plusMillis(i));
  }

  @Test
  void writes_many_offers_in_few_full_transactions() {
    CountingStore counting = new CountingStore(sqlite);
    AsyncLogWriter w = writer(counting, 2_000, 100, LONG_WINDOW);

    for (int i = 0; i < 1_000; i++) {
      assertTrue(w.offer(row(i)));
    }
    w.flush(WAIT);

    assertEquals(1_000, w.written());
    assertEquals(1_000, sqlite.count());
    assertEquals(0, w.queued());
    // The window is an hour, so each batch closes only when full: exactly ten transactions.
    assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100), counting.batches);
  }

  @Test
  void flush_writes_a_partial_batch_without_waiting_out_the_window() {
    CountingStore counting = new CountingStore(sqlite);
    AsyncLogWriter w = writer(counting, 100, 50, LONG_WINDOW);

    w.offer(row(1));
    w.offer(row(2));
    w.offer(row(3));
    w.flush(WAIT);

    assertEquals(3, w.written());
    assertEquals(List.of(3), counting.batches);
  }

  @Test
  void a_flush_waits_for_a_reserved_row_that_comes_after_it_began_and_a_refused_one_does_not_hold_it() {
    CountingStore counting = new CountingStore(sqlite);
    // room for the rows and a flush's wake-up marker, which the writer may not have taken yet when the
    // flush returns (a queue of one could refuse the next row for it)
    AsyncLogWriter w = writer(counting, 4, 50, LONG_WINDOW);
    w.reserve();
    Thread late = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      w.offerReserved(row(1));
    });

    w.flush(WAIT);

    assertEquals(0, w.queued());
    assertEquals(1, w.written(), "the flush covered the row reserved before it, though it came after");
    assertEquals(1, sqlite.count());

    // a row that never comes complete (null) is counted as dropped and holds no flush
    w.reserve();
    w.reserve();
    assertTrue(w.offerReserved(row(2)));
    assertTrue(!w.offerReserved(null));
    w.flush(WAIT);
    assertEquals(0, w.queued(), "a refused reserved row counts as dropped, not as waiting");
    assertEquals(2, w.written());
    assertEquals(1, w.dropped());
    try {
      late.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void writes_a_partial_batch_when_the_window_ends() {
    CountingStore counting = new CountingStore(sqlite);
    AsyncLogWriter w = writer(counting, 100, 50, Duration.ofMillis(20));

    w.offer(row(1));
    counting.awaitBatches(1);

    assertEquals(List.of(1), counting.batches);
  }

  @Test
  void drops_and_counts_rows_when_the_queue_is_full_without_blocking() {
    GatedStore gated = new GatedStore(sqlite);
    AsyncLogWriter w = writer(gated, 5, 1, LONG_WINDOW);

    assertTrue(w.offer(row(0)));
    gated.awaitEntered();
    for (int i = 1; i <= 5; i++) {
      assertTrue(w.offer(row(i)), "row " + i + " fits in the queue");
    }
    assertFalse(w.offer(row(6)));
    assertFalse(w.offer(row(7)));

    assertEquals(2, w.dropped());
    assertEquals(6, w.queued());
    gated.release();
    w.flush(WAIT);
    assertEquals(6, w.written());
    assertEquals(6, sqlite.count());
    assertEquals(0, w.failed());
  }

  @Test
  void keeps_going_after_a_failing_insert_and_logs_without_bodies() {
    LogStore failing =
        new ForwardingStore(sqlite) {
          @Override
          public void insert(List<RequestRecord> rows) {
            if (rows.stream().anyMatch(r -> r.id().startsWith("bad"))) {
              throw GatewayException.of(ErrorKind.INTERNAL, "request log: disk full");
            }
            super.insert(rows);
          }
        };
    AsyncLogWriter w = writer(failing, 100, 1, LONG_WINDOW);
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord r) { logged.add(r); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Logger jul = Logger.getLogger(AsyncLogWriter.class.getName());
    jul.addHandler(capture);
    try {
      w.offer(row(1));
      w.offer(TestRows.full("bad-2", T0));
      w.offer(row(3));
      w.flush(WAIT);
    } finally {
      jul.removeHandler(capture);
    }

    assertEquals(2, w.written());
    assertEquals(1, w.failed());
    List<String> stored = sqlite.recent(10).stream().map(RequestRecord::id).sorted().toList();
    assertEquals(List.of("req-1", "req-3"), stored);
    assertEquals(1, logged.size());
    LogRecord warning = logged.getFirst();
    assertEquals(java.util.logging.Level.WARNING, warning.getLevel());
    String text = new java.util.logging.SimpleFormatter().formatMessage(warning);
    assertTrue(text.contains("bad-2") && text.contains("disk full"), text);
    assertFalse(text.contains("Grüße") || text.contains("messages"), "no bodies in the log: " + text);
  }

  @Test
  void close_drains_what_is_queued() {
    AsyncLogWriter w = new AsyncLogWriter(sqlite, 1_000, 1_000, LONG_WINDOW);
    for (int i = 0; i < 50; i++) {
      w.offer(row(i));
    }

    w.close();

    assertEquals(50, sqlite.count());
    assertEquals(50, w.written());
    assertEquals(0, w.queued());
  }

  @Test
  void drops_offers_after_close() {
    AsyncLogWriter w = writer(sqlite, 10, 10, LONG_WINDOW);
    w.close();

    assertFalse(w.offer(row(1)));
    assertEquals(1, w.dropped());
    assertEquals(0, sqlite.count());
  }

  @Test
  void rejects_nonsense_settings() {
    assertThrows(IllegalArgumentException.class, () -> new AsyncLogWriter(sqlite, 0, 1, WAIT));
    assertThrows(IllegalArgumentException.class, () -> new AsyncLogWriter(sqlite, 1, 0, WAIT));
    assertThrows(IllegalArgumentException.class, () -> new AsyncLogWriter(sqlite, 1, 1, Duration.ZERO));
  }

  /** Records the size of every batch it is given. */
  private static final class CountingStore extends ForwardingStore {
    final List<Integer> batches = new CopyOnWriteArrayList<>();

    CountingStore(LogStore delegate) {
      super(delegate);
    }

    @Override
    public void insert(List<RequestRecord> rows) {
      super.insert(rows);
      synchronized (this) {
        batches.add(rows.size());
        notifyAll();
      }
    }

    synchronized void awaitBatches(int n) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (batches.size() < n) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError("only " + batches.size() + " batches within " + WAIT);
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Holds every insert until released, so a test can fill the queue while the writer is busy. */
  private static final class GatedStore extends ForwardingStore {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    GatedStore(LogStore delegate) {
      super(delegate);
    }

    @Override
    public void insert(List<RequestRecord> rows) {
      entered.countDown();
      try {
        if (!released.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      super.insert(rows);
    }

    void awaitEntered() {
      try {
        assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the writer never called insert");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    void release() {
      released.countDown();
    }
  }
}

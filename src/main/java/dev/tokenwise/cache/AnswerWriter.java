package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies the memory cache's changes to its {@link AnswerPersistence} off the request path. Saves and
 * deletes by key are offered to a bounded queue and dropped (counted) when it is full: losing one costs
 * at most a row that a restart does not find, or finds until it expires. Deletes by pattern and of
 * everything are invalidations that must not come back after a restart, so they wait for room (a
 * moment at most). One virtual thread applies what accumulated, in queue order, as a batch: of several
 * changes to one key only the last is written, and it deletes expired rows now and then.
 */
final class AnswerWriter implements AutoCloseable {
  private static final Logger LOG = System.getLogger(AnswerWriter.class.getName());

  /** How long close waits for the queue to drain, and an invalidation for room in the queue. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private sealed interface Op {}

  private record Save(CachedAnswer answer) implements Op {}

  private record Delete(String key) implements Op {}

  private record DeletePattern(String pattern) implements Op {}

  private record DeleteAll() implements Op {}

  private record Flush(CountDownLatch done) implements Op {}

  private record Stop() implements Op {}

  private final AnswerPersistence persistence;
  private final Clock clock;
  private final int batchSize;
  private final long sweepEveryNanos;
  private final BlockingQueue<Op> queue;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closing;

  private final RareWarning dropped = new RareWarning(LOG, "response cache: the persistence queue was full,"
      + " changes not copied to the table");
  private final RareWarning failed = new RareWarning(LOG, "response cache: could not write to the table");

  AnswerWriter(AnswerPersistence persistence, Clock clock, int capacity, int batchSize, Duration sweepEvery) {
    this.persistence = persistence;
    this.clock = clock;
    this.batchSize = batchSize;
    this.sweepEveryNanos = sweepEvery.toNanos();
    this.queue = new ArrayBlockingQueue<>(capacity);
    // Virtual, as the cache's threads are: should a JDBC driver pin it in a synchronized block, one
    // writer holds at most one carrier thread, and only while it writes.
    this.thread = Thread.ofVirtual()
        .name("tokenwise-cache-writer")
        .uncaughtExceptionHandler((t, e) -> LOG.log(Level.ERROR, "response cache writer stopped unexpectedly", e))
        .start(this::run);
  }

  /** Queues a save; never blocks. */
  boolean save(CachedAnswer a) {
    return offer(new Save(a));
  }

  /** Queues a delete by key; never blocks. */
  boolean delete(String key) {
    return offer(new Delete(key));
  }

  /** Queues a delete of one pattern, waiting for room if need be. */
  boolean deletePattern(String pattern) {
    return offerWaiting(new DeletePattern(pattern));
  }

  /** Queues a delete of every answer, waiting for room if need be. */
  boolean deleteAll() {
    return offerWaiting(new DeleteAll());
  }

  /** Waits until every change queued before this call has been applied; false on timeout. */
  boolean flush(Duration timeout) {
    CountDownLatch done = new CountDownLatch(1);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      return queue.offer(new Flush(done), timeout.toNanos(), TimeUnit.NANOSECONDS)
          && done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Changes dropped because the queue was full or the writer closed. */
  long dropped() {
    return dropped.count();
  }

  /** Changes lost because the persistence failed to apply them. */
  long failed() {
    return failed.count();
  }

  /** Applies what is queued (waiting at most 10 s), then stops; later changes are dropped. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing = true;
    try {
      if (!queue.offer(new Stop(), WAIT.toNanos(), TimeUnit.NANOSECONDS) || !thread.join(WAIT)) {
        LOG.log(Level.WARNING, "response cache writer did not drain within {0} s", WAIT.toSeconds());
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Changes that raced with close, or that a stuck writer never reached, are counted, not lost silently.
    List<Op> left = new ArrayList<>();
    queue.drainTo(left);
    long lost = 0;
    for (Op op : left) {
      if (op instanceof Flush f) {
        f.done().countDown();
      } else if (!(op instanceof Stop)) {
        lost++;
      }
    }
    if (lost > 0) {
      dropped.happened(lost, "closed with changes still queued");
    }
  }

  private boolean offer(Op op) {
    if (!closing && queue.offer(op)) {
      return true;
    }
    dropped.happened(queue.size() + " changes queued");
    return false;
  }

  private boolean offerWaiting(Op op) {
    try {
      if (!closing && queue.offer(op, WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropped.happened("an invalidation found no room in the queue");
    return false;
  }

  private void run() {
    long nextSweep = System.nanoTime();
    List<Op> batch = new ArrayList<>(batchSize);
    try {
      while (true) {
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          sweep();
          nextSweep = now + sweepEveryNanos;
        }
        Op first = queue.poll(nextSweep - now, TimeUnit.NANOSECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        boolean stop = apply(batch);
        batch.clear();
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Applies a batch in order; returns true when it held the stop. */
  private boolean apply(List<Op> batch) {
    // Saves and deletes by key commute across keys, so they gather until an op that spans keys.
    Map<String, Op> byKey = new LinkedHashMap<>();
    for (Op op : batch) {
      switch (op) {
        case Save s -> {
          byKey.remove(s.answer().key());
          byKey.put(s.answer().key(), s);
        }
        case Delete d -> {
          byKey.remove(d.key());
          byKey.put(d.key(), d);
        }
        case DeletePattern p -> {
          writeKeyed(byKey);
          attempt(1, () -> persistence.deletePattern(p.pattern()));
        }
        case DeleteAll a -> {
          writeKeyed(byKey);
          attempt(1, persistence::deleteAll);
        }
        case Flush f -> {
          writeKeyed(byKey);
          f.done().countDown();
        }
        case Stop s -> {
          writeKeyed(byKey);
          return true;
        }
      }
    }
    writeKeyed(byKey);
    return false;
  }

  private void writeKeyed(Map<String, Op> byKey) {
    if (byKey.isEmpty()) {
      return;
    }
    List<CachedAnswer> saves = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    for (Op op : byKey.values()) {
      if (op instanceof Save s) {
        saves.add(s.answer());
      } else {
        deletes.add(((Delete) op).key());
      }
    }
    byKey.clear();
    if (!saves.isEmpty()) {
      attempt(saves.size(), () -> persistence.save(saves));
    }
    if (!deletes.isEmpty()) {
      attempt(deletes.size(), () -> persistence.delete(deletes));
    }
  }

  private void sweep() {
    attempt(0, () -> persistence.deleteExpired(clock.millis()));
  }

  private void attempt(int changes, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      // The message names the table and the database's error, never a row's values.
      failed.happened(Math.max(1, changes), e.getMessage());
    }
  }
}

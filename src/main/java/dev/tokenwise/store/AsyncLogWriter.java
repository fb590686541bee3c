package dev.tokenwise.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes request rows off the hot path: {@link #offer} only puts a row in a bounded queue (or counts it
 * as dropped when the queue is full), and one writer thread inserts what accumulates, a batch of up to
 * {@code batchSize} rows, or whatever arrived within {@code flushInterval} of the batch's first row, per
 * transaction.
 *
 * <p>{@link #flush} and {@link #close} wake the writer by queueing a marker object, so they need not
 * wait out a long flush interval; when the queue is full there is no need, as the writer is busy.
 */
public final class AsyncLogWriter implements AutoCloseable {
  private static final Logger LOG = System.getLogger(AsyncLogWriter.class.getName());

  /** How long {@link #close} waits for the queue to drain. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** At most one "queue was full" warning this often, so an overload does not flood the log. */
  /** How often a waiting flush wakes the writer again, for rows that were reserved before it and came after. */
  private static final long REWAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long DROP_WARNING_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Queued by flush and close to end the writer's wait; never written. */
  private static final RequestRecord WAKE =
      new RequestRecord(
          "wake", Instant.EPOCH, null, null, null, null, null, null, null, 0, 0, 0, 0, 0, 0, false,
          null, null, 0, 0, 0, false, null, 0, null, null, null, null, null);

  private final LogStore store;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final BlockingQueue<RequestRecord> queue;
  private final Thread writer;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  /** Rows promised by {@link #reserve()} that never came, or came when the queue could not take them. */
  private final AtomicLong abandoned = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closing;
  /** Set by flush and close so that the writer ends its window at once. */
  private volatile boolean wakeRequested;

  private final ReentrantLock progressLock = new ReentrantLock();
  private final Condition progress = progressLock.newCondition();

  private long droppedAtLastWarning;
  private long lastDropWarningNanos;

  /**
   * Starts the writer thread over {@code store}, with a queue of {@code capacity} rows, batches of up to
   * {@code batchSize} rows, and a batch window of {@code flushInterval}.
   */
  public AsyncLogWriter(LogStore store, int capacity, int batchSize, Duration flushInterval) {
    if (store == null) {
      throw new IllegalArgumentException("store is null");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive, was " + flushInterval);
    }
    this.store = store;
    this.batchSize = batchSize;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.lastDropWarningNanos = System.nanoTime() - DROP_WARNING_EVERY_NANOS;
    // A platform thread: it lives as long as the gateway and sits in JDBC calls, where a virtual
    // thread would pin its carrier on the drivers' synchronized blocks anyway.
    this.writer =
        Thread.ofPlatform()
            .name("tokenwise-log-writer")
            .daemon(true)
            .uncaughtExceptionHandler(
                (t, e) -> LOG.log(Level.ERROR, "request log writer stopped unexpectedly", e))
            .start(this::run);
  }

  /** Queues a row; never blocks: when the queue is full or closed it counts a drop and returns false. */
  public boolean offer(RequestRecord r) {
    if (r == null) {
      throw new IllegalArgumentException("row is null");
    }
    if (!closing && queue.offer(r)) {
      accepted.incrementAndGet();
      if (queue.size() >= batchSize) {
        LockSupport.unpark(writer);
      }
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  /**
   * Promises a row that is still being completed (its shape taken off the request's thread): {@link #flush}
   * waits for it from now on. Hand it over with {@link #offerReserved}, exactly once.
   */
  public void reserve() {
    accepted.incrementAndGet();
  }

  /**
   * Queues a row promised by {@link #reserve()}; never blocks: when the queue is full or closed it counts a
   * drop (and the promise as kept) and returns false.
   */
  public boolean offerReserved(RequestRecord r) {
    if (r != null && !closing && queue.offer(r)) {
      if (queue.size() >= batchSize) {
        LockSupport.unpark(writer);
      }
      return true;
    }
    dropped.incrementAndGet();
    abandoned.incrementAndGet();
    signalProgress();
    return false;
  }

  /** Rows written so far. */
  public long written() {
    return written.get();
  }

  /** Rows dropped because the queue was full or the writer closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Rows lost because their batch failed to insert. */
  public long failed() {
    return failed.get();
  }

  /** Rows accepted and not yet written or failed, the batch being written included. */
  public int queued() {
    return (int) Math.max(0, accepted.get() - written.get() - failed.get() - abandoned.get());
  }

  /**
   * Waits until every row accepted before this call has been written (or has failed), or until the
   * timeout passes; {@link #queued} tells which.
   */
  public void flush(Duration timeout) {
    long target = accepted.get();
    wake();
    long deadline = System.nanoTime() + timeout.toNanos();
    progressLock.lock();
    try {
      while (written.get() + failed.get() + abandoned.get() < target && writer.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        progress.awaitNanos(Math.min(left, REWAKE_NANOS));
        if (written.get() + failed.get() + abandoned.get() < target) {
          wake(); // a reserved row may have come after the first wake-up, into a batch window
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      progressLock.unlock();
    }
  }

  /** Writes what is queued (waiting at most 10 s), then stops the writer; later offers are dropped. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing = true;
    wake();
    try {
      if (!writer.join(DRAIN_TIMEOUT)) {
        LOG.log(
            Level.WARNING,
            "request log writer did not drain within {0} s; {1} queued rows are dropped",
            DRAIN_TIMEOUT.toSeconds(),
            queued());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Rows that raced with close, or that a stuck writer never reached, are counted, not lost silently.
    List<RequestRecord> left = new ArrayList<>();
    queue.drainTo(left);
    long lost = left.stream().filter(r -> r != WAKE).count();
    if (lost > 0) {
      accepted.addAndGet(-lost);
      dropped.addAndGet(lost);
    }
  }

  private void run() {
    List<RequestRecord> batch = new ArrayList<>(batchSize);
    try {
      while (!(closing && queue.isEmpty())) {
        RequestRecord first = queue.take();
        if (first == WAKE) {
          continue;
        }
        batch.add(first);
        gather(batch);
        write(batch);
        batch.clear();
        warnAboutDrops();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      signalProgress();
    }
  }

  /**
   * Adds rows until the batch is full, the window since its first row ends, or a flush asks. The
   * writer sleeps through the window and takes what arrived in one go: waking it for every row would
   * cost the request threads a cross-thread wake-up each, which on a small machine shows in their
   * latency.
   */
  private void gather(List<RequestRecord> batch) {
    long deadline = System.nanoTime() + flushIntervalNanos;
    while (!closing && !wakeRequested && batch.size() + queue.size() < batchSize) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(this, left);
    }
    wakeRequested = false;
    List<RequestRecord> taken = new ArrayList<>(Math.min(batchSize, queue.size() + 1));
    queue.drainTo(taken, batchSize - batch.size());
    for (RequestRecord r : taken) {
      if (r != WAKE) {
        batch.add(r);
      }
    }
  }

  private void write(List<RequestRecord> batch) {
    try {
      store.insert(batch);
      written.addAndGet(batch.size());
    } catch (RuntimeException e) {
      failed.addAndGet(batch.size());
      // Ids only: bodies and prompts stay out of the log.
      LOG.log(
          Level.WARNING,
          "request log: lost {0} rows ({1} .. {2}) that could not be written: {3}",
          batch.size(),
          batch.getFirst().id(),
          batch.getLast().id(),
          e.getMessage());
    }
    signalProgress();
  }

  /** Makes the writer write what it holds now instead of at the end of its window. */
  private void wake() {
    wakeRequested = true;
    queue.offer(WAKE);
    LockSupport.unpark(writer);
  }

  private void signalProgress() {
    progressLock.lock();
    try {
      progress.signalAll();
    } finally {
      progressLock.unlock();
    }
  }

  private void warnAboutDrops() {
    long now = System.nanoTime();
    long total = dropped.get();
    if (total > droppedAtLastWarning && now - lastDropWarningNanos >= DROP_WARNING_EVERY_NANOS) {
      LOG.log(
          Level.WARNING,
          "request log queue was full: {0} rows dropped so far; the store is slower than the traffic",
          total);
      droppedAtLastWarning = total;
      lastDropWarningNanos = now;
    }
  }
}

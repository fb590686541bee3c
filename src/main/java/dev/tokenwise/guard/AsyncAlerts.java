package dev.tokenwise.guard;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hands trips and clears to a slow sink (the store) off the request path: a bounded queue and one
 * virtual thread that passes them on in order. Trips are rare, so a full queue means the sink is stuck;
 * what does not fit is counted and logged, never waited for.
 */
public final class AsyncAlerts implements AlertSink, AutoCloseable {
  private static final Logger LOG = System.getLogger(AsyncAlerts.class.getName());
  private static final int CAPACITY = 1_000;
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private sealed interface Op {}

  private record Tripped(Alert alert) implements Op {}

  private record Cleared(String id, Instant at, String by) implements Op {}

  private record Flush(CountDownLatch done) implements Op {}

  private record Stop() implements Op {}

  private final AlertSink sink;
  private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private final Occasional dropped = new Occasional(LOG, "spend guard: the alert queue was full, alerts lost");
  private final Occasional failed = new Occasional(LOG, "spend guard: could not keep an alert");
  private volatile boolean closing;

  /** Starts the thread that passes alerts to {@code sink}. */
  public AsyncAlerts(AlertSink sink) {
    this.sink = sink;
    this.thread = Thread.ofVirtual().name("tokenwise-alerts").start(this::run);
  }

  @Override
  public void tripped(Alert alert) {
    offer(new Tripped(alert));
  }

  @Override
  public void cleared(String alertId, Instant at, String by) {
    offer(new Cleared(alertId, at, by));
  }

  /** Waits until what was queued before this call has reached the sink, or the timeout passed. */
  public void flush(Duration timeout) {
    CountDownLatch done = new CountDownLatch(1);
    if (closing || !queue.offer(new Flush(done))) {
      return;
    }
    try {
      done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Alerts lost because the queue was full or the sink failed. */
  public long lost() {
    return dropped.count() + failed.count();
  }

  /** Passes on what is queued (waiting at most 5 s), then stops. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      queue.offer(new Stop(), DRAIN.toMillis(), TimeUnit.MILLISECONDS);
      if (!thread.join(DRAIN)) {
        LOG.log(Level.WARNING, "spend guard: {0} alerts were not kept before the stop", queue.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void offer(Op op) {
    if (closing || !queue.offer(op)) {
      dropped.happened(op instanceof Tripped t ? "trip " + t.alert().id() : "clear of " + ((Cleared) op).id());
    }
  }

  private void run() {
    try {
      while (true) {
        Op op = queue.take();
        switch (op) {
          case Stop s -> {
            return;
          }
          case Flush f -> f.done().countDown();
          case Tripped t -> pass(() -> sink.tripped(t.alert()), t.alert().id());
          case Cleared c -> pass(() -> sink.cleared(c.id(), c.at(), c.by()), c.id());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pass(Runnable r, String id) {
    try {
      r.run();
    } catch (RuntimeException e) {
      failed.happened("alert " + id + ": " + e.getMessage());
    }
  }
}

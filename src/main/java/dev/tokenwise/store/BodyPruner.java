package dev.tokenwise.store;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@code log.retention} on bodies: once at start and then every hour, the request and response
 * bodies of rows older than the retention are set to null. The rows themselves stay, because the audit
 * traces every figure it reports back to them.
 */
public final class BodyPruner implements AutoCloseable {
  private static final Logger LOG = System.getLogger(BodyPruner.class.getName());

  private static final Duration EVERY = Duration.ofHours(1);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final LogStore store;
  private final Duration retention;
  private final Clock clock;
  private final Duration every;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  BodyPruner(LogStore store, Duration retention, Clock clock, Duration every) {
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("log.retention must be positive, was " + retention);
    }
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("the pruning interval must be positive, was " + every);
    }
    this.store = store;
    this.retention = retention;
    this.clock = clock;
    this.every = every;
    this.thread =
        Thread.ofVirtual()
            .name("tokenwise-body-pruner")
            .uncaughtExceptionHandler(
                (t, e) -> LOG.log(Level.ERROR, "request log body pruner stopped unexpectedly", e))
            .start(this::run);
  }

  /** Starts pruning bodies older than {@code retention} from {@code store}, now and every hour. */
  public static BodyPruner start(LogStore store, Duration retention, Clock clock) {
    return new BodyPruner(store, retention, clock, EVERY);
  }

  /** Stops the pruning; a pass under way finishes first (waiting at most 5 s). */
  @Override
  public void close() {
    stop.countDown();
    try {
      if (!thread.join(STOP_TIMEOUT)) {
        LOG.log(Level.WARNING, "request log body pruner still busy after {0} s; leaving it",
            STOP_TIMEOUT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the pruning thread is still alive. */
  boolean running() {
    return thread.isAlive();
  }

  private void run() {
    try {
      do {
        pruneOnce();
        // The latch is both the pause between passes and the stop signal, so close() is immediate.
      } while (!stop.await(every.toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pruneOnce() {
    Instant cutoff = clock.instant().minus(retention);
    try {
      int changed = store.pruneBodies(cutoff);
      LOG.log(
          Level.DEBUG, "request log: dropped the bodies of {0} rows older than {1}", changed, cutoff);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "request log: could not drop bodies older than {0}; will try again in {1}: {2}",
          cutoff,
          every,
          e.getMessage());
    }
  }
}

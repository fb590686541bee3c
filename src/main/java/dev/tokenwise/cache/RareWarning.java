package dev.tokenwise.cache;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning logged at most once a minute with the number of times it happened, so that a backend that
 * fails on every request does not flood the log. Callers pass only counts and error messages, never a
 * prompt or a body.
 */
final class RareWarning {
  private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger log;
  private final String what;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastNanos;
  private long countAtLast;

  RareWarning(Logger log, String what) {
    this.log = log;
    this.what = what;
    this.lastNanos = new AtomicLong(System.nanoTime() - EVERY_NANOS);
  }

  /** Counts one occurrence and logs it when the last warning is a minute old. */
  void happened(String detail) {
    happened(1, detail);
  }

  /** Counts {@code times} occurrences and logs them when the last warning is a minute old. */
  void happened(long times, String detail) {
    long total = count.addAndGet(times);
    long now = System.nanoTime();
    long last = lastNanos.get();
    if (now - last >= EVERY_NANOS && lastNanos.compareAndSet(last, now)) {
      long since = total - countAtLast;
      countAtLast = total;
      log.log(Level.WARNING, "{0}: {1} (x{2} since the last warning, {3} in all)", what, detail, since, total);
    }
  }

  /** How often it happened. */
  long count() {
    return count.get();
  }
}

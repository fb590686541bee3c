package dev.tokenwise.guard;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning that repeats at most once a minute, saying how often its cause happened meanwhile, so that a
 * failing backend or a stream of unpriced calls does not flood the log. Details never hold a prompt or a
 * key.
 */
final class Occasional {
  private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger log;
  private final String what;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong(System.nanoTime() - EVERY_NANOS);
  private final AtomicLong countAtLast = new AtomicLong();

  Occasional(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Counts one occurrence; logs when the last warning is a minute old. */
  void happened(String detail) {
    long total = count.incrementAndGet();
    long now = System.nanoTime();
    long last = lastNanos.get();
    if (now - last >= EVERY_NANOS && lastNanos.compareAndSet(last, now)) {
      long since = total - countAtLast.getAndSet(total);
      log.log(Level.WARNING, "{0}: {1} ({2} times since the last warning, {3} in all)", what, detail, since, total);
    }
  }

  long count() {
    return count.get();
  }
}

package dev.tokenwise.policy;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before a model of the fallback chain is asked again: exponential with full jitter, a uniform
 * draw between zero and {@code base × 2^(n-1)}, capped at {@code max}. Full jitter spreads the retries of
 * many callers hit by one outage over the whole interval, instead of sending them back together.
 */
final class Backoff {
  private final Duration base;
  private final Duration max;
  private final RandomGenerator random;

  Backoff(Duration base, Duration max, RandomGenerator random) {
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /** The longest wait before the {@code n}th return to a model (n from 1). */
  Duration ceiling(int n) {
    long baseNanos = base.toNanos();
    long maxNanos = max.toNanos();
    if (baseNanos == 0) {
      return Duration.ZERO;
    }
    int shift = Math.min(Math.max(n, 1) - 1, 62);
    long grown = baseNanos > (maxNanos >> shift) ? maxNanos : baseNanos << shift;
    return Duration.ofNanos(Math.min(grown, maxNanos));
  }

  /** The wait before the {@code n}th return to a model: uniform in [0, {@link #ceiling}]. */
  Duration before(int n) {
    long ceiling = ceiling(n).toNanos();
    return ceiling == 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(ceiling + 1));
  }
}

package dev.tokenwise.policy;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A fixed-size histogram of output token counts, for quantiles without keeping the values. Counts below
 * 64 are exact; above, each power of two is split into 32 buckets, so a quantile is at most about 3 %
 * above the true value (it reports the bucket's upper bound, erring towards a larger cap). Values beyond
 * about two million land in the last bucket. Recording is one atomic increment; reading walks 544
 * buckets, which the cap stage does only every few calls.
 *
 * <p>Old traffic fades: once the buckets hold more than {@value #AGE_AT} values, {@link #quantile} halves
 * them all, so a pattern whose answers grow longer moves its quantiles within a few ten thousand calls.
 */
final class OutputSketch {
  static final int AGE_AT = 1 << 16;
  private static final int EXACT = 64;
  private static final int SUB_BITS = 5;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 20;
  private static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;
  private static final int BUCKETS = EXACT + (MAX_EXPONENT - 5) * SUB;

  private final AtomicIntegerArray counts = new AtomicIntegerArray(BUCKETS);

  /** Adds one value; negative values count as 0. */
  void add(long value) {
    counts.incrementAndGet(index(Math.max(0, Math.min(value, MAX_VALUE))));
  }

  /**
   * The smallest bucket bound that at least {@code q} of the values do not exceed, or -1 when there are
   * none. Not atomic with concurrent {@link #add}s, which a quantile of many values does not notice.
   */
  synchronized long quantile(double q) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    if (total == 0) {
      return -1;
    }
    if (total > AGE_AT) {
      for (int i = 0; i < BUCKETS; i++) {
        counts.getAndUpdate(i, c -> c - c / 2);
      }
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(BUCKETS - 1);
  }

  static int index(long v) {
    if (v < EXACT) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
    return EXACT + (exponent - 6) * SUB + sub;
  }

  static long upperBound(int index) {
    if (index < EXACT) {
      return index;
    }
    int exponent = (index - EXACT) / SUB + 6;
    int sub = (index - EXACT) % SUB;
    return ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
  }
}

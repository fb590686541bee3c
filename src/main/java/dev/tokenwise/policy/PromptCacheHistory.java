package dev.tokenwise.policy;

import java.time.Duration;
import java.util.Arrays;

/**
 * The recent arrivals of one call pattern and its running totals. The arrival times sit in a small
 * ring: enough to see the pace of a pattern, bounded however busy it is. Methods are synchronized
 * because calls of one pattern arrive on many threads; none of them waits on anything.
 */
final class PromptCacheHistory {
  static final int RING = 64;

  private final long[] times = new long[RING];
  private int size;
  private int next;
  private long calls;
  private long unstable;
  private long inputTokens;
  private long cachedTokens;
  private boolean seenSystem;
  private long lastRawHash;
  private long lastMaskedHash;

  /**
   * The pace of a pattern when a call arrives.
   *
   * @param observed calls in the ring, this one included
   * @param medianGap the median time between consecutive calls, or null with fewer than two
   * @param callsPerMilli the mean arrival rate over the ring, 0 with fewer than two calls
   */
  record Pace(int observed, Duration medianGap, double callsPerMilli, long[] times) {

    /** Calls expected within {@code ttl} after a write, each of which would read it. */
    double readsPerWrite(Duration ttl) {
      return callsPerMilli * ttl.toMillis();
    }

    /** Calls seen in the {@code window} up to {@code nowMillis}, the current one included. */
    int callsWithin(Duration window, long nowMillis) {
      int n = 0;
      for (long t : times) {
        if (t > nowMillis - window.toMillis()) {
          n++;
        }
      }
      return n;
    }
  }

  /** Notes a call at {@code nowMillis} and returns the pattern's pace, this call included. */
  synchronized Pace arrive(long nowMillis) {
    times[next] = nowMillis;
    next = (next + 1) % RING;
    size = Math.min(size + 1, RING);
    calls++;
    long[] recent = new long[size];
    for (int i = 0; i < size; i++) {
      recent[i] = times[(next - size + i + RING) % RING];
    }
    if (size < 2) {
      return new Pace(size, null, 0, recent);
    }
    long[] gaps = new long[size - 1];
    for (int i = 1; i < size; i++) {
      gaps[i - 1] = Math.max(0, recent[i] - recent[i - 1]);
    }
    Arrays.sort(gaps);
    long median = gaps.length % 2 == 1 ? gaps[gaps.length / 2]
        : (gaps[gaps.length / 2 - 1] + gaps[gaps.length / 2]) / 2;
    long span = Math.max(1, recent[size - 1] - recent[0]);
    return new Pace(size, Duration.ofMillis(median), (double) (size - 1) / span, recent);
  }

  /**
   * Compares a call's system prompt with the previous one of the pattern and returns whether it changed
   * while its masked form stayed the same. Masking only runs when the text changed.
   */
  synchronized boolean unstable(String system) {
    long rawHash = hash(system);
    if (seenSystem && rawHash == lastRawHash) {
      return false;
    }
    long maskedHash = hash(PatternFingerprint.mask(system));
    boolean drifted = seenSystem && maskedHash == lastMaskedHash;
    seenSystem = true;
    lastRawHash = rawHash;
    lastMaskedHash = maskedHash;
    if (drifted) {
      unstable++;
    }
    return drifted;
  }

  synchronized void tokens(long input, long cached) {
    inputTokens += input;
    cachedTokens += cached;
  }

  synchronized long lastArrival() {
    return size == 0 ? Long.MIN_VALUE : times[(next - 1 + RING) % RING];
  }

  synchronized PromptCacheStats stats() {
    return new PromptCacheStats(calls, unstable, inputTokens, cachedTokens);
  }

  synchronized long unstableCount() {
    return unstable;
  }

  synchronized long callCount() {
    return calls;
  }

  /** A 64-bit FNV-1a hash: byte-stability is all that matters, and a collision only hides one report. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}

package dev.tokenwise.policy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per call pattern: what the response cache did. Counters since the gateway started; the request log
 * holds the same facts per call (its cache status and trace) for any longer view.
 */
public final class CacheStats {
  /** Patterns counted at most; a flood of fingerprints folds into one bucket beyond this. */
  private static final int MAX_PATTERNS = 2048;
  private static final String OTHER = "(other patterns)";

  private final Map<String, Counters> byPattern = new ConcurrentHashMap<>();

  /**
   * One pattern's counts.
   *
   * @param exactHits calls answered from an identical stored call
   * @param semanticHits calls answered from a stored paraphrase
   * @param misses calls looked up and sent to the provider
   * @param bypassed calls the cache left alone (no-store, sampled answers)
   * @param refused near questions the lexical gate turned down
   * @param stored answers kept
   * @param savedPicoUsd what the hits would have cost (their stored baselines)
   */
  public record Row(long exactHits, long semanticHits, long misses, long bypassed, long refused, long stored,
      long savedPicoUsd) {

    /** Hits over lookups (hits and misses), or 0 before any lookup. */
    public double hitRate() {
      long lookups = exactHits + semanticHits + misses;
      return lookups == 0 ? 0 : (double) (exactHits + semanticHits) / lookups;
    }
  }

  private static final class Counters {
    final LongAdder exact = new LongAdder();
    final LongAdder semantic = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder bypassed = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder stored = new LongAdder();
    final LongAdder saved = new LongAdder();
  }

  void hit(String pattern, boolean semantic, long baselinePicoUsd) {
    Counters c = of(pattern);
    (semantic ? c.semantic : c.exact).increment();
    if (baselinePicoUsd > 0) {
      c.saved.add(baselinePicoUsd);
    }
  }

  void miss(String pattern) {
    of(pattern).misses.increment();
  }

  void bypass(String pattern) {
    of(pattern).bypassed.increment();
  }

  void refused(String pattern) {
    of(pattern).refused.increment();
  }

  void stored(String pattern) {
    of(pattern).stored.increment();
  }

  /** A snapshot per pattern, sorted by name. */
  public Map<String, Row> snapshot() {
    Map<String, Row> out = new TreeMap<>();
    byPattern.forEach((p, c) -> out.put(p, new Row(c.exact.sum(), c.semantic.sum(), c.misses.sum(), c.bypassed.sum(),
        c.refused.sum(), c.stored.sum(), c.saved.sum())));
    return out;
  }

  private Counters of(String pattern) {
    Counters c = byPattern.get(pattern);
    if (c != null) {
      return c;
    }
    String name = byPattern.size() >= MAX_PATTERNS ? OTHER : pattern;
    return byPattern.computeIfAbsent(name, k -> new Counters());
  }
}

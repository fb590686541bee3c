package dev.tokenwise.audit;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.store.FailedAttempt;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rules may read besides a pattern's calls.
 *
 * @param prices the price catalog (bundled and overridden)
 * @param providers the providers the config can reach (a cheaper model elsewhere is only proposed when
 *     its provider is configured)
 * @param failedAttempts the attempts that did not answer, by pattern
 * @param sweeps the latest finished eval sweep of each pattern that has one
 */
public record AuditContext(PriceTable prices, Set<String> providers, Map<String, List<FailedAttempt>> failedAttempts,
    Map<String, SweepVerdict> sweeps) {

  /** A context without eval sweeps. */
  public AuditContext(PriceTable prices, Set<String> providers, Map<String, List<FailedAttempt>> failedAttempts) {
    this(prices, providers, failedAttempts, Map.of());
  }

  /** The latest finished sweep of a pattern, or null. */
  public SweepVerdict sweep(String pattern) {
    return sweeps.get(pattern);
  }

  /** The failed attempts of one pattern, oldest first. */
  public List<FailedAttempt> failedAttempts(String pattern) {
    return failedAttempts.getOrDefault(pattern, List.of());
  }
}

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
 */
public record AuditContext(PriceTable prices, Set<String> providers, Map<String, List<FailedAttempt>> failedAttempts) {

  /** The failed attempts of one pattern, oldest first. */
  public List<FailedAttempt> failedAttempts(String pattern) {
    return failedAttempts.getOrDefault(pattern, List.of());
  }
}

package dev.tokenwise.analytics;

import java.util.Locale;

/** The price tier a call was served at, which decides the catalog column its tokens are billed from. */
public enum Tier {
  /** On-demand list prices. */
  STANDARD,
  /** The batch lane: batch input/output prices, cache reads and writes at half their standard price. */
  BATCH,
  /** OpenAI flex processing, billed at batch prices. */
  FLEX,
  /** A premium tier the catalog has no price for, so the cost is unknown rather than guessed. */
  PRIORITY;

  /**
   * The tier named by a response's {@code service_tier} (OpenAI top level, Anthropic {@code usage}).
   *
   * <p>Absent means the provider did not say, which is the standard tier. A value this table does not
   * know is treated as {@link #PRIORITY}: a tier we cannot price must not be billed at list price.
   */
  public static Tier fromServiceTier(String serviceTier) {
    if (serviceTier == null || serviceTier.isBlank()) {
      return STANDARD;
    }
    return switch (serviceTier.trim().toLowerCase(Locale.ROOT)) {
      case "default", "standard", "auto" -> STANDARD;
      case "flex" -> FLEX;
      case "batch" -> BATCH;
      default -> PRIORITY; // "priority", "fast" and any tier without a catalog price
    };
  }
}

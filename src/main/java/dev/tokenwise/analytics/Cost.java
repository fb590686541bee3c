package dev.tokenwise.analytics;

import dev.tokenwise.core.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Exact cost of one call in picodollars (1 pUSD = 1e-12 USD), from canonical usage and a catalog row.
 *
 * <p>Every bucket of {@link Usage} is billed once at its own price: uncached input, cache reads,
 * 5-minute and 1-hour cache writes, and output (which already holds the reasoning tokens, so
 * {@link Usage#reasoningTokens()} is never billed on its own). Terms are summed as {@link BigDecimal}
 * and rounded once, half-even, to whole picodollars; catalog prices with up to six decimals per 1M
 * tokens are therefore exact.
 *
 * <p>Two gaps in a catalog row are filled on purpose, because that is how those providers bill:
 * cached tokens from a provider that publishes no cached price are billed at the input price, and
 * cache writes with no write price are billed at the input price (providers without write fees
 * bill written tokens as ordinary input). Any other needed price that is null makes the cost unknown.
 */
public final class Cost {
  /** Picodollars per (USD per 1M tokens) and token: 1e12 / 1e6. */
  private static final BigDecimal PICO_PER_MILLION = BigDecimal.valueOf(1_000_000L);
  private static final BigDecimal HALF = new BigDecimal("0.5");

  private Cost() {}

  /**
   * The cost of {@code usage} at {@code price} in {@code tier}, or empty when it cannot be known
   * (no price row, the {@link Tier#PRIORITY} tier, or a needed price that is not offered).
   */
  public static Optional<Long> picoUsd(Usage usage, ModelPrice price, Tier tier) {
    if (usage == null || price == null || tier == null || tier == Tier.PRIORITY) {
      return Optional.empty();
    }
    boolean discounted = tier == Tier.BATCH || tier == Tier.FLEX;
    BigDecimal input = discounted ? price.batchInput() : price.input();
    BigDecimal output = discounted ? price.batchOutput() : price.output();
    BigDecimal cached = orElse(discounted ? half(price.cachedInput()) : price.cachedInput(), input);
    BigDecimal write5m = orElse(discounted ? half(price.cacheWrite5m()) : price.cacheWrite5m(), input);
    BigDecimal write1h = orElse(discounted ? half(price.cacheWrite1h()) : price.cacheWrite1h(), input);

    BigDecimal sum = BigDecimal.ZERO;
    long[] tokens = {usage.inputTokens(), usage.cachedInputTokens(), usage.cacheWrite5mTokens(),
        usage.cacheWrite1hTokens(), usage.outputTokens()};
    BigDecimal[] rates = {input, cached, write5m, write1h, output};
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == 0) {
        continue; // a price that is not offered is only needed when tokens were billed at it
      }
      if (rates[i] == null || tokens[i] < 0) {
        return Optional.empty();
      }
      sum = sum.add(rates[i].multiply(BigDecimal.valueOf(tokens[i])));
    }
    return Optional.of(sum.multiply(PICO_PER_MILLION).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
  }

  /** Picodollars as USD. */
  public static BigDecimal toUsd(long picoUsd) {
    return BigDecimal.valueOf(picoUsd, 12);
  }

  /**
   * Picodollars as a plain USD string with no exponent and no trailing zeros, keeping at least one
   * decimal digit: {@code 0} is "0.0", {@code 450_000_000} is "0.00045".
   */
  public static String usd(long picoUsd) {
    BigDecimal usd = toUsd(picoUsd).stripTrailingZeros();
    if (usd.scale() < 1) {
      usd = usd.setScale(1);
    }
    return usd.toPlainString();
  }

  private static BigDecimal half(BigDecimal price) {
    return price == null ? null : price.multiply(HALF);
  }

  private static BigDecimal orElse(BigDecimal price, BigDecimal fallback) {
    return price != null ? price : fallback;
  }
}

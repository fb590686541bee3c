package dev.tokenwise.analytics;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * One model's list prices in USD per 1M tokens; a null price means the provider does not offer it.
 *
 * @param provider provider name as configured (lower case), e.g. {@code openai}, {@code groq}
 * @param model the provider's model id, e.g. {@code gpt-4o}
 * @param input uncached input (for DeepSeek the cache-miss price)
 * @param cachedInput input read from the prompt cache
 * @param cacheWrite5m input written to the prompt cache with a 5-minute lifetime
 * @param cacheWrite1h input written to the prompt cache with a 1-hour lifetime
 * @param output generated tokens, reasoning included
 * @param batchInput uncached input through the provider's batch lane
 * @param batchOutput output through the provider's batch lane
 */
public record ModelPrice(
    String provider,
    String model,
    BigDecimal input,
    BigDecimal cachedInput,
    BigDecimal cacheWrite5m,
    BigDecimal cacheWrite1h,
    BigDecimal output,
    BigDecimal batchInput,
    BigDecimal batchOutput) {

  /** Normalises the names to lower case and refuses negative prices. */
  public ModelPrice {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    provider = provider.toLowerCase(Locale.ROOT);
    model = model.toLowerCase(Locale.ROOT);
    for (BigDecimal p : new BigDecimal[] {
        input, cachedInput, cacheWrite5m, cacheWrite1h, output, batchInput, batchOutput}) {
      if (p != null && p.signum() < 0) {
        throw new IllegalArgumentException(
            "price of " + provider + "/" + model + " is negative (" + p.toPlainString()
                + " USD per 1M tokens); prices must be 0 or more");
      }
    }
  }
}

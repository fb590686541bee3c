package dev.tokenwise.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.Usage;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CostTest {
  private static final PriceTable PRICES = PriceTable.bundled();

  private static ModelPrice price(String provider, String model) {
    return PRICES.find(provider, model).orElseThrow();
  }

  @Test
  void usd_is_plain_without_trailing_zeros_and_keeps_one_decimal() {
    assertEquals("0.0", Cost.usd(0));
    assertEquals("0.00045", Cost.usd(450_000_000L));
    assertEquals("0.000000000001", Cost.usd(1));
    assertEquals("1.0", Cost.usd(1_000_000_000_000L));
    assertEquals("12.5", Cost.usd(12_500_000_000_000L));
  }

  @Test
  void to_usd_is_exact() {
    assertEquals(0, new BigDecimal("0.002815").compareTo(Cost.toUsd(2_815_000_000L)));
  }

  @Test
  void zero_usage_costs_exactly_zero() {
    assertEquals(Optional.of(0L), Cost.picoUsd(Usage.NONE, price("openai", "gpt-4o"), Tier.STANDARD));
  }

  @Test
  void reasoning_tokens_are_never_billed_on_their_own() {
    Usage withReasoning = new Usage(0, 0, 0, 0, 100, 90, false);
    Usage without = new Usage(0, 0, 0, 0, 100, 0, false);
    ModelPrice o3 = price("openai", "o3");
    assertEquals(Cost.picoUsd(without, o3, Tier.STANDARD), Cost.picoUsd(withReasoning, o3, Tier.STANDARD));
  }

  @Test
  void cached_tokens_without_a_cached_price_are_billed_at_the_input_price() {
    // groq llama-3.3-70b-versatile publishes no cached price: 100 × 0.59 = 59 µUSD
    Usage cached = new Usage(0, 100, 0, 0, 0, 0, false);
    assertEquals(Optional.of(59_000_000L),
        Cost.picoUsd(cached, price("groq", "llama-3.3-70b-versatile"), Tier.STANDARD));
  }

  @Test
  void cache_writes_without_a_write_price_are_billed_at_the_input_price() {
    // gpt-5.4 has no write price: 1000 written × 2.50 = 2500 µUSD
    Usage written = new Usage(0, 0, 1000, 0, 0, 0, false);
    assertEquals(Optional.of(2_500_000_000L), Cost.picoUsd(written, price("openai", "gpt-5.4"), Tier.STANDARD));
  }

  @Test
  void openai_batch_bills_cached_tokens_at_half_the_cached_price() {
    // gpt-4o batch: 1000 × 1.25 + 1024 cached × (1.25 / 2) + 200 × 5.00 = 1250 + 640 + 1000 = 2890 µUSD
    Usage usage = new Usage(1000, 1024, 0, 0, 200, 0, false);
    assertEquals(Optional.of(2_890_000_000L), Cost.picoUsd(usage, price("openai", "gpt-4o"), Tier.BATCH));
  }

  @Test
  void flex_is_billed_at_batch_prices() {
    Usage usage = new Usage(1000, 1024, 0, 0, 200, 0, false);
    ModelPrice gpt4o = price("openai", "gpt-4o");
    assertEquals(Cost.picoUsd(usage, gpt4o, Tier.BATCH), Cost.picoUsd(usage, gpt4o, Tier.FLEX));
  }

  @Test
  void batch_on_a_provider_without_a_batch_lane_is_unknown() {
    Usage usage = new Usage(1000, 0, 0, 0, 10, 0, false);
    assertTrue(Cost.picoUsd(usage, price("deepseek", "deepseek-flash"), Tier.BATCH).isEmpty());
  }

  @Test
  void priority_is_unknown() {
    Usage usage = new Usage(1000, 0, 0, 0, 10, 0, false);
    assertTrue(Cost.picoUsd(usage, price("openai", "gpt-4o"), Tier.PRIORITY).isEmpty());
  }

  @Test
  void a_missing_price_row_is_unknown() {
    assertTrue(Cost.picoUsd(new Usage(1, 0, 0, 0, 1, 0, false), null, Tier.STANDARD).isEmpty());
  }

  @Test
  void embeddings_need_no_output_price() {
    // text-embedding-3-small: 6 × 0.02 = 0.12 µUSD = 120_000 pUSD
    Usage usage = new Usage(6, 0, 0, 0, 0, 0, false);
    assertEquals(Optional.of(120_000L),
        Cost.picoUsd(usage, price("openai", "text-embedding-3-small"), Tier.STANDARD));
  }

  @Test
  void output_tokens_on_a_model_with_no_output_price_are_unknown() {
    Usage usage = new Usage(6, 0, 0, 0, 1, 0, false);
    assertTrue(Cost.picoUsd(usage, price("openai", "text-embedding-3-small"), Tier.STANDARD).isEmpty());
  }

  @Test
  void sub_picodollar_remainders_are_rounded_once_half_even() {
    ModelPrice odd = new ModelPrice("x", "y", new BigDecimal("0.0000005"), null, null, null,
        new BigDecimal("0.0000005"), null, null);
    // 1 × 0.0000005 + 1 × 0.0000005 = 0.000001 µUSD = 1 pUSD; rounding each 0.5 pUSD term half-even
    // on its own would give 0 + 0
    assertEquals(Optional.of(1L), Cost.picoUsd(new Usage(1, 0, 0, 0, 1, 0, false), odd, Tier.STANDARD));
  }

  @Test
  void the_echoed_service_tier_names_the_tier() {
    assertEquals(Tier.STANDARD, Tier.fromServiceTier("default"));
    assertEquals(Tier.STANDARD, Tier.fromServiceTier("standard"));
    assertEquals(Tier.STANDARD, Tier.fromServiceTier("auto"));
    assertEquals(Tier.STANDARD, Tier.fromServiceTier(null));
    assertEquals(Tier.FLEX, Tier.fromServiceTier("flex"));
    assertEquals(Tier.BATCH, Tier.fromServiceTier("batch"));
    assertEquals(Tier.PRIORITY, Tier.fromServiceTier("priority"));
    assertEquals(Tier.PRIORITY, Tier.fromServiceTier("fast"));
    assertEquals(Tier.PRIORITY, Tier.fromServiceTier("scale"));
  }
}

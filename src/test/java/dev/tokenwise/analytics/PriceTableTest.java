package dev.tokenwise.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private static final PriceTable PRICES = PriceTable.bundled();

  private static String modelOf(String provider, String model) {
    return PRICES.find(provider, model).orElseThrow().model();
  }

  @Test
  void every_reference_row_is_in_the_bundled_catalog_with_the_same_figures() {
    JsonNode reference = Fixtures.json("reference-pricing.json");
    assertTrue(reference.size() >= 40, "reference table looks truncated");
    for (JsonNode row : reference) {
      String provider = row.get("provider").asText();
      String model = row.get("model").asText();
      ModelPrice price = PRICES.all().stream()
          .filter(p -> p.provider().equals(provider) && p.model().equals(model))
          .findFirst()
          .orElseThrow(() -> new AssertionError("missing " + provider + "/" + model));
      String at = provider + "/" + model + " ";
      assertSame(row.get("input"), price.input(), at + "input");
      assertSame(row.get("cached_input"), price.cachedInput(), at + "cached_input");
      assertSame(row.get("cache_write_5m"), price.cacheWrite5m(), at + "cache_write_5m");
      assertSame(row.get("cache_write_1h"), price.cacheWrite1h(), at + "cache_write_1h");
      assertSame(row.get("output"), price.output(), at + "output");
      assertSame(row.get("batch_input"), price.batchInput(), at + "batch_input");
      assertSame(row.get("batch_output"), price.batchOutput(), at + "batch_output");
    }
  }

  private static void assertSame(JsonNode expected, BigDecimal actual, String what) {
    if (expected.isNull()) {
      assertEquals(null, actual, what);
    } else {
      assertEquals(0, expected.decimalValue().compareTo(actual), what + ": " + expected + " vs " + actual);
    }
  }

  @Test
  void dated_openai_snapshots_resolve_through_aliases() {
    assertEquals("gpt-4o", modelOf("openai", "gpt-4o-2024-08-06"));
    assertEquals("gpt-4o-mini", modelOf("openai", "gpt-4o-mini-2024-07-18"));
    assertEquals("gpt-4.1-mini", modelOf("openai", "gpt-4.1-mini-2025-04-14"));
  }

  @Test
  void pinned_anthropic_ids_resolve_through_aliases() {
    assertEquals("claude-haiku-4-5", modelOf("anthropic", "claude-haiku-4-5-20251001"));
    assertEquals("claude-sonnet-4-0", modelOf("anthropic", "claude-sonnet-4-20250514"));
    assertEquals("claude-opus-4-0", modelOf("anthropic", "claude-opus-4-20250514"));
    assertEquals("claude-opus-4-1", modelOf("anthropic", "claude-opus-4-1-20250805"));
    assertEquals("claude-opus-4-5", modelOf("anthropic", "claude-opus-4-5-20251101"));
    assertEquals("claude-sonnet-4-5", modelOf("anthropic", "claude-sonnet-4-5-20250929"));
  }

  @Test
  void a_trailing_date_without_an_alias_is_stripped_in_either_form() {
    assertEquals("gpt-5.4", modelOf("openai", "gpt-5.4-2026-03-05"));
    assertEquals("claude-sonnet-4-6", modelOf("anthropic", "claude-sonnet-4-6-20260217"));
  }

  @Test
  void a_dated_catalog_id_is_found_as_it_is() {
    assertEquals("claude-3-5-haiku-20241022", modelOf("anthropic", "claude-3-5-haiku-20241022"));
  }

  @Test
  void lookup_ignores_case() {
    assertEquals("gpt-4o", modelOf("OpenAI", "GPT-4o"));
  }

  @Test
  void groq_llama_is_priced_from_the_groq_row() {
    ModelPrice llama = PRICES.find("groq", "llama-3.3-70b-versatile").orElseThrow();
    assertEquals("groq", llama.provider());
    assertEquals(0, new BigDecimal("0.59").compareTo(llama.input()));
    assertEquals(0, new BigDecimal("0.79").compareTo(llama.output()));
  }

  @Test
  void a_provider_without_a_row_borrows_the_only_row_with_that_model() {
    ModelPrice row = PRICES.find("my-groq", "llama-3.1-8b-instant").orElseThrow();
    assertEquals("groq", row.provider());
  }

  @Test
  void a_provider_without_a_row_gets_nothing_when_several_providers_list_the_model() {
    PriceTable table = PRICES.withOverrides(List.of(new Config.PriceOverride(
        "together", "llama-3.3-70b-versatile", new BigDecimal("0.88"), null, null, null,
        new BigDecimal("0.88"), null, null)));
    assertTrue(table.find("openrouter", "llama-3.3-70b-versatile").isEmpty());
    assertEquals("together", table.find("together", "llama-3.3-70b-versatile").orElseThrow().provider());
  }

  @Test
  void unknown_models_and_blank_names_are_not_found() {
    assertTrue(PRICES.find("openai", "gpt-imaginary-9").isEmpty());
    assertTrue(PRICES.find("openai", "").isEmpty());
    assertTrue(PRICES.find(null, "gpt-4o").isEmpty());
  }

  @Test
  void an_override_replaces_a_bundled_row() {
    PriceTable table = PRICES.withOverrides(List.of(new Config.PriceOverride(
        "openai", "gpt-4o", new BigDecimal("2.00"), new BigDecimal("1.00"), null, null,
        new BigDecimal("8.00"), null, null)));
    ModelPrice row = table.find("openai", "gpt-4o-2024-08-06").orElseThrow();
    assertEquals(0, new BigDecimal("2.00").compareTo(row.input()));
    assertEquals(null, row.batchInput());
    assertEquals(PRICES.all().size(), table.all().size());
    assertEquals(0, new BigDecimal("2.5").compareTo(PRICES.find("openai", "gpt-4o").orElseThrow().input()),
        "the bundled table stays as it was");
  }

  @Test
  void an_override_adds_a_row_for_a_model_the_catalog_lacks() {
    PriceTable table = PRICES.withOverrides(List.of(new Config.PriceOverride(
        "vllm", "qwen3-32b", BigDecimal.ZERO, null, null, null, BigDecimal.ZERO, null, null)));
    assertEquals(PRICES.all().size() + 1, table.all().size());
    assertEquals("qwen3-32b", table.find("vllm", "qwen3-32b").orElseThrow().model());
  }

  @Test
  void an_override_without_provider_or_model_is_refused_with_its_position() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PRICES.withOverrides(List.of(new Config.PriceOverride(
            null, "gpt-4o", BigDecimal.ONE, null, null, null, BigDecimal.ONE, null, null))));
    assertTrue(e.getMessage().contains("prices[0]"), e.getMessage());
  }

  @Test
  void a_negative_price_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> PRICES.withOverrides(List.of(new Config.PriceOverride(
        "openai", "gpt-4o", new BigDecimal("-1"), null, null, null, BigDecimal.ONE, null, null))));
  }
}

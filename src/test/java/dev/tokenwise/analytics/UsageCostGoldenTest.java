package dev.tokenwise.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.api.anthropic.AnthropicStreamUsage;
import dev.tokenwise.api.anthropic.AnthropicUsage;
import dev.tokenwise.api.openai.OpenAiStreamUsage;
import dev.tokenwise.api.openai.OpenAiUsage;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * From a provider's usage object, as it comes over the wire, to the exact cost. Prices are the
 * bundled catalog's, in USD per 1M tokens; each comment sums tokens × price in micro-USD
 * (1 µUSD = 1e6 pUSD) so the expected figure can be checked by hand.
 */
class UsageCostGoldenTest {
  private static final PriceTable PRICES = PriceTable.bundled();

  private static long cost(String provider, JsonNode response, Usage usage) {
    String model = Json.textAt(response, "model");
    String tier = response.has("service_tier")
        ? Json.textAt(response, "service_tier")
        : Json.textAt(response.path("usage"), "service_tier");
    return PRICES.picoUsd(provider, model, usage, Tier.fromServiceTier(tier)).orElseThrow();
  }

  @Test
  void openai_cached_tokens_are_billed_at_the_cached_price_and_not_again_as_input() {
    JsonNode response = Fixtures.json("openai-cached.json");
    Usage usage = OpenAiUsage.parse(response.get("usage"));
    assertEquals(new Usage(126, 1920, 0, 0, 10, 0, false), usage);
    // gpt-4o-2024-08-06 -> gpt-4o: input 2.50, cached 1.25, output 10.00
    //   (2046 - 1920) × 2.50 = 126 × 2.50 = 315
    // + 1920 × 1.25                      = 2400
    // + 10 × 10.00                       = 100
    // = 2815 µUSD = 2_815_000_000 pUSD
    long pico = cost("openai", response, usage);
    assertEquals(2_815_000_000L, pico);
    assertEquals("0.002815", Cost.usd(pico));
  }

  @Test
  void openai_reasoning_tokens_are_inside_completion_tokens_and_billed_once() {
    JsonNode response = Fixtures.json("openai-o3-reasoning.json");
    Usage usage = OpenAiUsage.parse(response.get("usage"));
    assertEquals(1500, usage.outputTokens());
    assertEquals(1216, usage.reasoningTokens());
    // o3-2025-04-16 -> o3: input 2.00, output 8.00; the 1216 reasoning tokens are part of the 1500
    //   1200 × 2.00 = 2400
    // + 1500 × 8.00 = 12000
    // = 14400 µUSD (adding reasoning again would give 24128)
    long pico = cost("openai", response, usage);
    assertEquals(14_400_000_000L, pico);
    assertEquals("0.0144", Cost.usd(pico));
  }

  @Test
  void openai_stream_is_priced_from_its_usage_chunk() {
    OpenAiStreamUsage stream = new OpenAiStreamUsage();
    Fixtures.sse("openai-stream.sse").forEach(e -> stream.onChunk(e.data()));
    assertEquals("stop", stream.finishReason());
    assertEquals("gpt-4o-mini-2024-07-18", stream.model());
    Usage usage = stream.usage().orElseThrow();
    assertFalse(usage.estimated());
    // gpt-4o-mini-2024-07-18 -> gpt-4o-mini: input 0.15, output 0.60
    //   9 × 0.15 = 1.35
    // + 3 × 0.60 = 1.80
    // = 3.15 µUSD = 3_150_000 pUSD
    long pico = PRICES.picoUsd("openai", stream.model(), usage,
        Tier.fromServiceTier(stream.serviceTier())).orElseThrow();
    assertEquals(3_150_000L, pico);
    assertEquals("0.00000315", Cost.usd(pico));
  }

  @Test
  void deepseek_cache_hits_are_billed_at_the_hit_price_and_misses_at_the_miss_price() {
    JsonNode response = Fixtures.json("deepseek-hit-miss.json");
    Usage usage = OpenAiUsage.parse(response.get("usage"));
    assertEquals(new Usage(220, 1280, 0, 0, 300, 0, false), usage);
    // deepseek-flash (peak): miss 0.30, hit 0.006, output 1.20
    //   220 × 0.30   = 66
    // + 1280 × 0.006 = 7.68
    // + 300 × 1.20   = 360
    // = 433.68 µUSD = 433_680_000 pUSD
    long pico = cost("deepseek", response, usage);
    assertEquals(433_680_000L, pico);
    assertEquals("0.00043368", Cost.usd(pico));
  }

  @Test
  void anthropic_cache_writes_are_billed_by_their_lifetime() {
    JsonNode response = Fixtures.json("anthropic-cache-write-1h.json");
    Usage usage = AnthropicUsage.parse(response.get("usage"), false);
    assertEquals(new Usage(412, 0, 0, 4102, 71, 0, false), usage);
    // claude-sonnet-4-6: input 3.00, 1h write 6.00, output 15.00
    //   412 × 3.00   = 1236
    // + 4102 × 6.00  = 24612
    // + 71 × 15.00   = 1065
    // = 26913 µUSD (counting 4102 again at a 5m price would add 15382.5)
    long pico = cost("anthropic", response, usage);
    assertEquals(26_913_000_000L, pico);
    assertEquals("0.026913", Cost.usd(pico));
  }

  @Test
  void anthropic_cache_reads_are_billed_at_the_model_read_price() {
    JsonNode response = Fixtures.json("anthropic-cache-read.json");
    Usage usage = AnthropicUsage.parse(response.get("usage"), false);
    assertEquals(new Usage(50, 8000, 0, 0, 120, 0, false), usage);
    // claude-haiku-4-5-20251001 -> claude-haiku-4-5: input 1.00, read 0.10, output 5.00
    //   50 × 1.00   = 50
    // + 8000 × 0.10 = 800
    // + 120 × 5.00  = 600
    // = 1450 µUSD
    long pico = cost("anthropic", response, usage);
    assertEquals(1_450_000_000L, pico);
    assertEquals("0.00145", Cost.usd(pico));
  }

  @Test
  void anthropic_stream_usage_repeated_in_message_delta_replaces_and_is_never_summed() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(false);
    Fixtures.sse("anthropic-stream-repeated-usage.sse").forEach(e -> stream.onEvent(e.type(), e.data()));
    assertTrue(stream.sawFinalUsage());
    assertEquals("end_turn", stream.stopReason());
    Usage usage = stream.usage();
    // message_delta repeats input 2000 and read 3000, and sends cache_creation_input_tokens: null,
    // which keeps the 1500 of message_start; output 250 replaces the placeholder 1.
    assertEquals(new Usage(2000, 3000, 1500, 0, 250, 0, false), usage);
    // claude-sonnet-4-5-20250929 -> claude-sonnet-4-5: input 3.00, read 0.30, 5m write 3.75, output 15.00
    //   2000 × 3.00  = 6000
    // + 3000 × 0.30  = 900
    // + 1500 × 3.75  = 5625
    // + 250 × 15.00  = 3750
    // = 16275 µUSD
    long pico = PRICES.picoUsd("anthropic", stream.model(), usage,
        Tier.fromServiceTier(stream.serviceTier())).orElseThrow();
    assertEquals(16_275_000_000L, pico);
    assertEquals("0.016275", Cost.usd(pico));
  }

  @Test
  void anthropic_writes_without_a_split_go_to_the_one_hour_price_when_the_request_asked_for_it() {
    JsonNode request = Fixtures.json("anthropic-no-cache-creation.req.json");
    JsonNode response = Fixtures.json("anthropic-no-cache-creation.resp.json");
    assertTrue(AnthropicUsage.requestUsesOneHourTtl(request));
    Usage usage = AnthropicUsage.parse(response.get("usage"), AnthropicUsage.requestUsesOneHourTtl(request));
    assertEquals(new Usage(30, 0, 0, 2048, 40, 0, false), usage);
    // claude-opus-4-1-20250805 -> claude-opus-4-1: input 15.00, 1h write 30.00, output 75.00
    //   30 × 15.00   = 450
    // + 2048 × 30.00 = 61440
    // + 40 × 75.00   = 3000
    // = 64890 µUSD
    long pico = cost("anthropic", response, usage);
    assertEquals(64_890_000_000L, pico);
    assertEquals("0.06489", Cost.usd(pico));
  }

  @Test
  void anthropic_writes_without_a_split_go_to_the_five_minute_price_by_default() {
    JsonNode response = Fixtures.json("anthropic-no-cache-creation.resp.json");
    Usage usage = AnthropicUsage.parse(response.get("usage"), false);
    assertEquals(new Usage(30, 0, 2048, 0, 40, 0, false), usage);
    // claude-opus-4-1: 30 × 15.00 + 2048 × 18.75 + 40 × 75.00 = 450 + 38400 + 3000 = 41850 µUSD
    long pico = cost("anthropic", response, usage);
    assertEquals(41_850_000_000L, pico);
    assertEquals("0.04185", Cost.usd(pico));
  }

  @Test
  void anthropic_stream_cut_by_the_client_keeps_exact_input_and_estimates_output() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(false);
    Fixtures.sse("anthropic-stream-cut.sse").forEach(e -> stream.onEvent(e.type(), e.data()));
    assertTrue(stream.sawStart());
    assertFalse(stream.sawFinalUsage());
    Usage usage = UsageEstimator.withKnownInput(stream.usage(), stream.relayedText());
    // input 377 from message_start; output = o200k count of the relayed
    // "I'll check the current weather in Paris for you." = 10 tokens
    assertEquals(new Usage(377, 0, 0, 0, 10, 0, true), usage);
    // claude-sonnet-4-20250514 -> claude-sonnet-4-0: input 3.00, output 15.00
    //   377 × 3.00 = 1131
    // + 10 × 15.00 = 150
    // = 1281 µUSD, flagged estimated
    long pico = PRICES.picoUsd("anthropic", stream.model(), usage, Tier.STANDARD).orElseThrow();
    assertEquals(1_281_000_000L, pico);
    assertEquals("0.001281", Cost.usd(pico));
  }

  @Test
  void openai_stream_cut_by_the_client_estimates_input_and_output() {
    JsonNode request = Fixtures.json("openai-stream-cut.req.json");
    OpenAiStreamUsage stream = new OpenAiStreamUsage();
    Fixtures.sse("openai-stream-cut.sse").forEach(e -> stream.onChunk(e.data()));
    assertTrue(stream.usage().isEmpty());
    Usage usage = UsageEstimator.openAi(request, stream.relayedText());
    // input: 3 (message) + "user" 1 + "Say hi" 2 + 3 (reply priming) = 9, as the provider reports
    // for this request in the uncut stream; output: "Hi there!" = 3 tokens
    assertEquals(new Usage(9, 0, 0, 0, 3, 0, true), usage);
    // gpt-4o-mini: 9 × 0.15 + 3 × 0.60 = 1.35 + 1.80 = 3.15 µUSD, flagged estimated
    long pico = PRICES.picoUsd("openai", stream.model(), usage, Tier.STANDARD).orElseThrow();
    assertEquals(3_150_000L, pico);
    assertEquals("0.00000315", Cost.usd(pico));
  }

  @Test
  void unknown_model_has_no_cost_rather_than_zero() {
    Usage usage = new Usage(1000, 0, 0, 0, 100, 0, false);
    Optional<Long> pico = PRICES.picoUsd("openai", "gpt-imaginary-9", usage, Tier.STANDARD);
    assertTrue(pico.isEmpty());
  }

  @Test
  void anthropic_batch_halves_every_term_cache_reads_and_writes_included() {
    JsonNode response = Fixtures.json("anthropic-batch.json");
    Usage usage = AnthropicUsage.parse(response.get("usage"), false);
    assertEquals(new Usage(1000, 4000, 2000, 1000, 500, 0, false), usage);
    assertEquals(Tier.BATCH, Tier.fromServiceTier("batch"));
    // claude-sonnet-4-6 batch: input 1.50, read 0.30/2 = 0.15, 5m write 3.75/2 = 1.875,
    // 1h write 6.00/2 = 3.00, output 7.50
    //   1000 × 1.50  = 1500
    // + 4000 × 0.15  = 600
    // + 2000 × 1.875 = 3750
    // + 1000 × 3.00  = 3000
    // + 500 × 7.50   = 3750
    // = 12600 µUSD, half of the standard 25200
    long pico = cost("anthropic", response, usage);
    assertEquals(12_600_000_000L, pico);
    assertEquals("0.0126", Cost.usd(pico));
    assertEquals(25_200_000_000L,
        PRICES.picoUsd("anthropic", "claude-sonnet-4-6", usage, Tier.STANDARD).orElseThrow());
  }

  @Test
  void priority_tier_has_no_cost_rather_than_the_standard_one() {
    ObjectNode response = (ObjectNode) Fixtures.json("openai-cached.json");
    response.put("service_tier", "priority");
    Usage usage = OpenAiUsage.parse(response.get("usage"));
    Optional<Long> pico = PRICES.picoUsd("openai", Json.textAt(response, "model"), usage,
        Tier.fromServiceTier(Json.textAt(response, "service_tier")));
    assertTrue(pico.isEmpty());
  }
}

package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.store.EvalTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EstimateTest {
  private static final PriceTable PRICES = PriceTable.bundled();
  private static final Function<String, Optional<ModelPrice>> PRICE = m -> PRICES.find("openai", m);
  private static final List<EvalTable.Item> ITEMS = List.of(
      new EvalTable.Item("ev", 1, "r1", Instant.EPOCH, "openai-chat", "{}", "user:\nq", "a", null, 1_000_000, 100_000),
      new EvalTable.Item("ev", 2, "r2", Instant.EPOCH, "openai-chat", "{}", "user:\nq", "a", null, 1_000_000, 100_000));

  @Test
  void each_call_is_priced_on_the_production_tokens() {
    Map<String, Long> e = Estimate.of(ITEMS, List.of("gpt-4o", "gpt-4o-mini"), Set.of(), PRICE, null);
    // gpt-4o: 1M input × $2.50 + 100k output × $10 = $3.50 a call
    assertEquals(3_500_000_000_000L, e.get("1/gpt-4o"));
    // gpt-4o-mini: 1M × $0.15 + 100k × $0.60 = $0.21
    assertEquals(210_000_000_000L, e.get("2/gpt-4o-mini"));
    assertEquals(Map.of("gpt-4o", 7_000_000_000_000L, "gpt-4o-mini", 420_000_000_000L),
        Estimate.perModel(e, List.of("gpt-4o", "gpt-4o-mini")));
  }

  @Test
  void calls_already_made_are_not_estimated_again() {
    Map<String, Long> e = Estimate.of(ITEMS, List.of("gpt-4o"), Set.of("1/gpt-4o"), PRICE, null);
    assertEquals(Set.of("2/gpt-4o"), e.keySet());
  }

  @Test
  void a_judge_adds_two_grading_calls_an_answer() {
    long plain = Estimate.of(ITEMS, List.of("gpt-4o-mini"), Set.of(), PRICE, null).get("1/gpt-4o-mini");
    long judged = Estimate.of(ITEMS, List.of("gpt-4o-mini"), Set.of(), PRICE, "gpt-4.1").get("1/gpt-4o-mini");
    // gpt-4.1 at $2/$8 reads 180 (the prompt) + 1 (the 7-character input) + 2 × 100,000 tokens and writes 60, twice
    long grading = 2 * ((180 + 1 + 200_000) * 2_000_000L + 60 * 8_000_000L);
    assertEquals(plain + grading, judged);
  }

  @Test
  void a_model_without_a_price_is_refused_by_name() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Estimate.of(ITEMS, List.of("gpt-4o", "mystery-1"), Set.of(), PRICE, null));
    assertTrue(e.getMessage().contains("mystery-1"), e.getMessage());
  }
}

package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesACalls.call;
import static dev.tokenwise.audit.rules.RulesACalls.context;
import static dev.tokenwise.audit.rules.RulesACalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.store.CallRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextGrowthRuleTest {
  private final ContextGrowthRule rule = new ContextGrowthRule();

  /** Calls whose input is {@code perTurn × turn} tokens, {@code calls} of each turn from 1 to {@code upTo}. */
  private static List<CallRow> growing(int upTo, int calls, long base, long perTurn) {
    List<CallRow> rows = new ArrayList<>();
    for (int t = 1; t <= upTo; t++) {
      rows.addAll(call().on("openai", "gpt-4o-mini").turns(t).tokens(base + perTurn * t, 80).times(calls));
    }
    return rows;
  }

  @Test
  void reproduces_the_playbook_shape_long_conversations_at_4000_tokens_trimmed_to_1200() {
    // 1,000 calls a day at turn 20 with 4,000 tokens of context, 100 a day at each earlier turn: 200 tokens a turn,
    // so 1,200 at 6 turns. The turn-20 calls alone: 1,000 × 30 × 4,000 × $0.15 per 1M = $18 a month against
    // $5.40 at 1,200 tokens (70 % less), the playbook's figures for one conversation stream.
    List<CallRow> rows = growing(19, 100, 0, 200);
    rows.addAll(call().on("openai", "gpt-4o-mini").turns(20).tokens(4_000, 80).times(1_000));
    PatternCalls calls = pattern(1, rows);

    Finding f = rule.check(calls, context("openai")).get(0);

    assertEquals(200.0, (double) f.evidence().get("slope_tokens_per_turn"), 1e-9);
    assertEquals(0.0, (double) f.evidence().get("intercept_tokens"), 1e-9);
    assertEquals(1_200L, f.evidence().get("estimated_tokens_at_keep"));
    // turn 20: 1,000 × (4,000 − 1,200) = 2,800,000; turns 7..19: 100 × 200 × (1 + … + 13) = 1,820,000
    long excess = 1_000L * 2_800 + 100L * 200 * 91;
    assertEquals(4_620_000L, excess);
    assertEquals(excess, f.evidence().get("excess_tokens"));
    // × $0.15 per 1M input (150,000 pico a token), one day read, × 30 a month = $20.79
    assertEquals(30L * excess * 150_000L, f.monthlySavingPicoUsd());
    assertEquals(20_790_000_000_000L, f.monthlySavingPicoUsd());
    assertEquals(1_000L + 13 * 100, f.evidence().get("calls_beyond_keep"));
    List<?> table = (List<?>) f.evidence().get("input_by_turn");
    assertEquals("1: 100 calls, avg 200 tokens", table.get(0));
    // turns 12..19: 800 calls, 100 × 200 × (12 + … + 19) = 2,480,000 tokens, with 4,000,000 at turn 20
    assertEquals("12+: 1,800 calls, avg 3,600 tokens", table.get(table.size() - 1));
    assertEquals(12, table.size());
    assertEquals("context", f.recommendation().key());
    assertEquals(Map.of("keep_last_turns", 6), f.recommendation().value());
    assertTrue(f.recommendation().changesAnswers());
    assertTrue(f.arithmetic().contains("at 6 turns: 0.0 + 200.0 × 6 = 1,200 tokens"), f.arithmetic().toString());
  }

  @Test
  void counts_nothing_for_a_long_call_below_the_six_turn_estimate() {
    List<CallRow> rows = growing(10, 10, 1_000, 100);   // 1,000 + 100 × turn: 1,600 at 6 turns
    // two calls at turn 9 equally far below and above its 1,900: the fitted line stays where it was
    rows.add(call().on("openai", "gpt-4o-mini").turns(9).tokens(0, 10).row());
    rows.add(call().on("openai", "gpt-4o-mini").turns(9).tokens(3_800, 10).row());

    Finding f = rule.check(pattern(1, rows), context("openai")).get(0);

    assertEquals(1_600L, f.evidence().get("estimated_tokens_at_keep"));
    // turns 7..10: 10 × (100 + 200 + 300 + 400); the 0-token call counts 0, not −1,600; the 3,800 one 2,200
    assertEquals(10L * 1_000 + 2_200, f.evidence().get("excess_tokens"));
    assertEquals(30L * 12_200 * 150_000L, f.monthlySavingPicoUsd());
  }

  @Test
  void says_nothing_on_a_single_turn_pattern() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(call().turns(1).tokens(500 + 100L * i, 50).row());
    }
    assertEquals(List.of(), rule.check(pattern(1, rows), context("openai")));
  }

  @Test
  void says_nothing_on_a_flat_history() {
    assertEquals(List.of(), rule.check(pattern(1, growing(12, 10, 2_000, 40)), context("openai")));
  }

  @Test
  void says_nothing_when_no_call_goes_beyond_six_turns() {
    assertEquals(List.of(), rule.check(pattern(1, growing(6, 20, 0, 500)), context("openai")));
  }

  @Test
  void says_nothing_on_too_few_calls_or_an_unpriced_model() {
    List<CallRow> few = growing(14, 2, 0, 500);   // 28 calls
    assertEquals(ContextGrowthRule.MIN_CALLS - 2, few.size());
    assertEquals(List.of(), rule.check(pattern(1, few), context("openai")));
    List<CallRow> unpriced = new ArrayList<>();
    for (int t = 1; t <= 12; t++) {
      unpriced.addAll(call().on("openai", "my-finetune").turns(t).tokens(300L * t, 50).times(10));
    }
    assertEquals(List.of(), rule.check(pattern(1, unpriced), context("openai")));
  }

  @Test
  void odd_rows_do_not_throw() {
    assertEquals(List.of(), rule.check(pattern(1, call().noShape().tokens(5_000, 10).times(100)), context("openai")));
    assertEquals(List.of(), rule.check(pattern(1, call().turns(0).tokens(0, 0).cost(null).times(100)),
        context("openai")));
    assertEquals(List.of(), rule.check(pattern(1, List.of()), context("openai")));
  }
}

package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesACalls.all;
import static dev.tokenwise.audit.rules.RulesACalls.call;
import static dev.tokenwise.audit.rules.RulesACalls.context;
import static dev.tokenwise.audit.rules.RulesACalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaxTokensRuleTest {
  private final MaxTokensRule rule = new MaxTokensRule();

  @Test
  void reproduces_the_playbook_bound_200k_calls_cap_4096_p99_400_at_10_dollars_is_7392_a_month() {
    PatternCalls calls = pattern(30, all(
        call().maxTokens(4096).tokens(500, 300).times(197_000),
        call().maxTokens(4096).tokens(500, 400).times(3_000)));

    Finding f = rule.check(calls, context("openai")).get(0);

    // nearest rank ceil(0.99 × 200,000) = 198,000th smallest output = 400
    assertEquals(400L, f.evidence().get("p99_output_tokens"));
    // (4,096 − 400) × $10 per 1M (10,000,000 pico a token) × 200,000 calls = $7,392
    long bound = (4096L - 400) * 10_000_000L * 200_000L;
    assertEquals(7_392_000_000_000_000L, bound);
    assertEquals(bound, f.evidence().get("monthly_bound_pico_usd"));
    assertEquals(0L, f.monthlySavingPicoUsd(), "no runaway: the bound is exposure, not a saving");
    assertEquals(4096, f.evidence().get("cap"));
    assertEquals(200_000, f.evidence().get("calls_with_cap"));
    assertEquals(0, f.evidence().get("runaway_calls"));
    assertEquals(0, f.evidence().get("calls_cut_by_auto_cap"));
    assertTrue(f.arithmetic().contains("cap 4,096 − p99 400 = 3,696 tokens × $10.00 per 1M output (gpt-4o) × 200,000"
        + " calls = $7,392.00 (bound, not counted as saving)"), f.arithmetic().toString());
    assertEquals("asks for up to 4,096 output tokens where 99 % of answers need 400 or fewer"
        + " (exposure $7,392.00/month)", f.title());
    assertEquals("max_tokens", f.recommendation().key());
    assertEquals(Map.of("cap", "auto"), f.recommendation().value());
    assertTrue(f.recommendation().changesAnswers());
    assertNull(f.status());
  }

  @Test
  void counts_what_runaways_cost_beyond_twice_the_p99_as_the_saving_and_states_the_bound_apart() {
    PatternCalls calls = pattern(1, all(
        call().maxTokens(4096).tokens(500, 200).times(985),
        call().maxTokens(4096).tokens(500, 300).times(10),
        call().maxTokens(4096).tokens(500, 4096).finish("length").cost(42_000_000_000L).times(5),
        call().maxTokens(4096).tokens(500, 9000).cacheHit().times(20)));   // hits: no provider generated them

    Finding f = rule.check(calls, context("openai")).get(0);

    // p99 = the 990th of 1,000 outputs = 300; auto cap 600
    assertEquals(300L, f.evidence().get("p99_output_tokens"));
    assertEquals(600L, f.evidence().get("auto_cap_tokens"));
    // 5 × (4,096 − 600) = 17,480 tokens × 10,000,000 pico = $0.1748 a day, × 30 a month
    assertEquals(17_480L, f.evidence().get("runaway_excess_tokens"));
    assertEquals(30L * 17_480L * 10_000_000L, f.monthlySavingPicoUsd());
    assertEquals(5, f.evidence().get("runaway_calls"));
    assertEquals(5L * 42_000_000_000L, f.evidence().get("runaway_cost_pico_usd"));
    // bound: (4,096 − 300) × 10,000,000 × 1,000 calls a day, × 30
    assertEquals(30L * 3_796L * 10_000_000L * 1_000L, f.evidence().get("monthly_bound_pico_usd"));
    assertEquals(5, f.evidence().get("calls_cut_by_auto_cap"));
    assertEquals(0.005, (double) f.evidence().get("share_cut_by_auto_cap"), 1e-12);
    assertEquals(1_000, f.evidence().get("calls_read"));
    assertTrue(f.title().endsWith("; 5 answers ran away"), f.title());
  }

  @Test
  void a_pattern_that_sends_no_cap_fires_on_answers_the_providers_limit_let_run() {
    PatternCalls calls = pattern(1, all(
        call().on("openai", "gpt-4o-mini").tokens(300, 100).times(995),
        call().on("openai", "gpt-4o-mini").tokens(300, 8000).finish("length").times(4),
        call().on("openai", "gpt-4o-mini").tokens(300, 8000).finish("max_tokens").times(1)));

    Finding f = rule.check(calls, context("openai")).get(0);

    // p99 100, auto cap 200: 5 × 7,800 = 39,000 tokens × $0.60 per 1M (600,000 pico) a day, × 30
    assertEquals(39_000L, f.evidence().get("runaway_excess_tokens"));
    assertEquals(30L * 39_000L * 600_000L, f.monthlySavingPicoUsd());
    assertEquals(-1, f.evidence().get("cap"));
    assertEquals(0L, f.evidence().get("bound_pico_usd"));
    assertTrue(f.title().startsWith("sends no max_tokens; 5 answers ran to the provider's limit"), f.title());
  }

  @Test
  void takes_the_need_from_answers_that_ended_by_themselves_when_more_than_one_in_a_hundred_ran_away() {
    // 4 % run to the cap: over every answer the p99 would be the cap itself, and nothing would show
    PatternCalls calls = pattern(1, all(
        call().on("openai", "gpt-4o-mini").maxTokens(2048).tokens(900, 150).times(960),
        call().on("openai", "gpt-4o-mini").maxTokens(2048).tokens(900, 2048).finish("length").times(40)));

    Finding f = rule.check(calls, context("openai")).get(0);

    assertEquals(150L, f.evidence().get("p99_output_tokens"));
    // 40 × (2,048 − 300) = 69,920 tokens × $0.60 per 1M (600,000 pico) a day, × 30 a month
    assertEquals(69_920L, f.evidence().get("runaway_excess_tokens"));
    assertEquals(30L * 69_920L * 600_000L, f.monthlySavingPicoUsd());
  }

  @Test
  void says_nothing_when_the_cap_is_near_the_need_and_nothing_ran_away() {
    PatternCalls calls = pattern(1, call().maxTokens(1000).tokens(500, 400).times(500));
    assertEquals(List.of(), rule.check(calls, context("openai")));
  }

  @Test
  void says_nothing_when_the_runaways_stopped_within_twice_the_p99() {
    PatternCalls calls = pattern(1, all(
        call().maxTokens(500).tokens(500, 400).times(995),
        call().maxTokens(500).tokens(500, 500).finish("length").times(5)));
    assertEquals(List.of(), rule.check(calls, context("openai")));
  }

  @Test
  void says_nothing_on_too_few_calls() {
    PatternCalls calls = pattern(1, call().maxTokens(4096).tokens(500, 100).times(MaxTokensRule.MIN_CALLS - 1));
    assertEquals(List.of(), rule.check(calls, context("openai")));
  }

  @Test
  void odd_rows_do_not_throw() {
    assertEquals(List.of(), rule.check(pattern(1, call().noShape().cost(null).times(100)), context("openai")));
    assertEquals(List.of(), rule.check(pattern(1, call().status(500).times(100)), context("openai")));
    assertEquals(List.of(), rule.check(pattern(1, List.of()), context("openai")));
    // old rows without a shape: the runaways are still seen, and the title does not claim no cap was sent
    PatternCalls old = pattern(1, all(call().noShape().tokens(10, 100).times(995),
        call().noShape().tokens(10, 5000).finish("length").times(5)));
    Finding f = rule.check(old, context("openai")).get(0);
    assertFalse(f.title().contains("sends no max_tokens"), f.title());
    assertEquals(1_000, f.evidence().get("calls_unknown_cap"));
  }
}

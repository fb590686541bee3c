package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesACalls.all;
import static dev.tokenwise.audit.rules.RulesACalls.call;
import static dev.tokenwise.audit.rules.RulesACalls.context;
import static dev.tokenwise.audit.rules.RulesACalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.config.Config;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheaperModelRuleTest {
  private final CheaperModelRule rule = new CheaperModelRule();

  private static Config.PriceOverride row(String provider, String model, String input, String output) {
    return new Config.PriceOverride(provider, model, new BigDecimal(input), null, null, null, new BigDecimal(output),
        null, null);
  }

  /** A catalog where provider "acme" serves only the given rows, and only acme is configured. */
  private static AuditContext acme(Config.PriceOverride... rows) {
    return new AuditContext(PriceTable.bundled().withOverrides(List.of(rows)), Set.of("acme"), Map.of());
  }

  @Test
  void reproduces_the_playbook_example_gpt_4o_to_gpt_4o_mini_saves_235_dollars_a_month() {
    AuditContext ctx = acme(row("acme", "gpt-4o", "2.50", "10"), row("acme", "gpt-4o-mini", "0.15", "0.60"));
    PatternCalls calls = pattern(30, call().on("acme", "gpt-4o").tokens(800, 50).times(100_000));

    List<Finding> found = rule.check(calls, ctx);

    assertEquals(1, found.size());
    Finding f = found.get(0);
    // 100,000 × (800 × $2.50 + 50 × $10.00) / 1M = $250; at $0.15/$0.60: $15; 30 days read = one month
    long now = 100_000L * (800 * 2_500_000L + 50 * 10_000_000L);
    long mini = 100_000L * (800 * 150_000L + 50 * 600_000L);
    assertEquals(250_000_000_000_000L, now);
    assertEquals(15_000_000_000_000L, mini);
    assertEquals(235_000_000_000_000L, f.monthlySavingPicoUsd());
    assertEquals("runs on gpt-4o; gpt-4o-mini would cost 94.0 % less on this pattern's token mix", f.title());
    assertEquals("needs eval", f.status());
    assertEquals("route", f.recommendation().key());
    assertEquals(Map.of("model", "gpt-4o-mini"), f.recommendation().value());
    assertEquals("model/classify-ticket", f.recommendation().id());
    assertTrue(f.recommendation().changesAnswers());
    assertEquals(now, f.evidence().get("current_pico_usd"));
    assertEquals(mini, f.evidence().get("candidate_pico_usd"));
    assertEquals(100_000L, f.evidence().get("calls_read"));
    assertEquals(80_000_000L, f.evidence().get("input_tokens"));
    assertEquals(5_000_000L, f.evidence().get("output_tokens"));
    assertEquals(List.of(), f.evidence().get("alternatives"));
    assertTrue(f.arithmetic().contains("gpt-4o: 80,000,000 input × $2.50 + 5,000,000 output × $10.00 per 1M = $250.00"),
        f.arithmetic().toString());
    assertTrue(f.arithmetic().contains("gpt-4o-mini: 80,000,000 input × $0.15 + 5,000,000 output × $0.60 per 1M = $15.00"));
    assertTrue(f.arithmetic().contains("saving $250.00 − $15.00 = $235.00 (94.0 %)"));
  }

  private static AuditContext withSweep(AuditContext c, dev.tokenwise.audit.SweepVerdict v) {
    return new AuditContext(c.prices(), c.providers(), c.failedAttempts(), Map.of("classify-ticket", v));
  }

  @Test
  void a_sweep_that_passed_a_cheaper_model_makes_the_swap_proven_and_proposes_that_model() {
    AuditContext ctx = acme(row("acme", "gpt-4o", "2.50", "10"), row("acme", "gpt-4o-mini", "0.15", "0.60"),
        row("acme", "gpt-4.1-mini", "0.40", "1.60"));
    PatternCalls calls = pattern(30, call().on("acme", "gpt-4o").tokens(800, 50).times(100_000));
    var sweep = new dev.tokenwise.audit.SweepVerdict("ev-7", "acme/gpt-4o", "acme/gpt-4.1-mini", false, 0.98, 0.95,
        50, 1L, "<svg/>");

    Finding f = rule.check(calls, withSweep(ctx, sweep)).get(0);

    assertEquals("proven", f.status());
    assertEquals(Map.of("model", "gpt-4.1-mini"), f.recommendation().value(), "the sweep's winner, not the sibling");
    // 100,000 × (800 × $0.40 + 50 × $1.60) / 1M = $40; $250 − $40 = $210 a month
    assertEquals(210_000_000_000_000L, f.monthlySavingPicoUsd());
    assertTrue(f.title().contains("eval ev-7 proved gpt-4.1-mini"), f.title());
    assertTrue(f.arithmetic().stream().anyMatch(a -> a.contains("passed 98.0 % of 50 items (bar 95.0 %)")
        && a.contains("/tokenwise/api/evals/ev-7")), f.arithmetic().toString());
    assertEquals("ev-7", f.evidence().get("eval_run"));
    assertEquals("<svg/>", f.evidence().get("eval_chart_svg"));
  }

  @Test
  void a_sweep_that_kept_the_model_says_so_and_proposes_nothing() {
    AuditContext ctx = acme(row("acme", "gpt-4o", "2.50", "10"), row("acme", "gpt-4o-mini", "0.15", "0.60"));
    PatternCalls calls = pattern(30, call().on("acme", "gpt-4o").tokens(800, 50).times(1_000));
    var kept = new dev.tokenwise.audit.SweepVerdict("ev-8", "acme/gpt-4o", "acme/gpt-4o", true, 1.0, 0.95, 50, 0, null);

    Finding f = rule.check(calls, withSweep(ctx, kept)).get(0);

    assertEquals("kept by eval", f.status());
    assertEquals(null, f.recommendation());
    assertEquals(0, f.monthlySavingPicoUsd());
    assertTrue(f.title().contains("eval ev-8 found no cheaper model that passes"), f.title());
  }

  @Test
  void a_sweep_of_another_model_than_the_one_in_use_proves_nothing() {
    AuditContext ctx = acme(row("acme", "gpt-4o", "2.50", "10"), row("acme", "gpt-4o-mini", "0.15", "0.60"));
    PatternCalls calls = pattern(30, call().on("acme", "gpt-4o").tokens(800, 50).times(1_000));
    var old = new dev.tokenwise.audit.SweepVerdict("ev-1", "acme/gpt-4.1", "acme/gpt-4o-mini", false, 1.0, 0.95, 50, 5,
        null);
    assertEquals("needs eval", rule.check(calls, withSweep(ctx, old)).get(0).status());
  }

  @Test
  void proposes_the_smaller_sibling_on_the_same_provider_and_lists_the_three_cheapest_others_from_any_provider() {
    PatternCalls calls = pattern(1, all(
        call().tokens(800, 50).times(1_000),
        call().tokens(800, 50).status(500).times(50),     // not answered: not in the mix
        call().tokens(800, 50).cacheHit().times(50)));    // no provider billed a hit

    Finding f = rule.check(calls, context("openai", "anthropic", "groq")).get(0);

    // per call, in picodollars: gpt-4o 800 × 2.5M + 50 × 10M = 2.5e9; its sibling gpt-4o-mini
    // 800 × 150k + 50 × 600k = 1.5e8 (gpt-5-nano is cheaper still, but a step to the floor)
    long now = 1_000L * 2_500_000_000L;
    long mini = 1_000L * 150_000_000L;
    assertEquals(Map.of("model", "gpt-4o-mini"), f.recommendation().value());
    assertEquals(30 * (now - mini), f.monthlySavingPicoUsd());
    assertEquals(70_500_000_000_000L, f.monthlySavingPicoUsd());
    // the cheapest others: groq llama 8b 800 × 50k + 50 × 80k = 4.4e7 (another provider); gpt-5-nano
    // 800 × 50k + 50 × 400k = 6e7; gpt-4.1-nano 800 × 100k + 50 × 400k = 1e8
    assertEquals(List.of("groq/llama-3.1-8b-instant", "gpt-5-nano", "gpt-4.1-nano"),
        f.evidence().get("alternatives"));
    assertEquals(List.of(44_000_000_000L, 60_000_000_000L, 100_000_000_000L), f.evidence().get("alternatives_pico_usd"));
    assertEquals(1_000L, f.evidence().get("calls_read"));
  }

  @Test
  void names_the_provider_when_only_another_provider_is_cheaper() {
    PatternCalls calls = pattern(30, call().on("deepseek", "deepseek-chat").tokens(800, 50).times(100));

    Finding f = rule.check(calls, context("deepseek", "openai")).get(0);

    assertEquals(Map.of("model", "openai/gpt-5-nano"), f.recommendation().value());
    // deepseek-chat 800 × 280k + 50 × 420k = 2.45e8 per call; gpt-5-nano 6e7
    assertEquals(100L * (245_000_000L - 60_000_000L), f.monthlySavingPicoUsd());
  }

  @Test
  void prices_cached_input_and_cache_writes_at_each_models_own_rates() {
    PatternCalls calls = pattern(30,
        call().on("anthropic", "claude-sonnet-4-6").tokens(200, 100).cached(3_000, 0).times(40));
    Finding f = rule.check(calls, context("anthropic")).get(0);

    // sonnet: 200 × 3M + 3,000 × 0.3M + 100 × 15M = 3.0e9 per call; no smaller sibling, so the dearest model
    // that halves it: haiku-4-5 200 × 1M + 3,000 × 0.1M + 100 × 5M = 1.0e9 (haiku-5-5, 1.0e8, is the floor)
    assertEquals(Map.of("model", "claude-haiku-4-5"), f.recommendation().value());
    assertEquals(40L * (3_000_000_000L - 1_000_000_000L), f.monthlySavingPicoUsd());
  }

  @Test
  void says_nothing_on_the_cheapest_model_and_never_proposes_an_embedding_a_voice_or_a_snapshot_of_itself() {
    AuditContext ctx = acme(row("acme", "gpt-5-nano", "0.05", "0.40"),
        row("acme", "gpt-5-nano-2025-08-07", "0.01", "0.10"),
        row("acme", "gpt-4o-mini-tts", "0.01", "0.01"),
        row("acme", "text-embed-small", "0.01", "0.01"),
        new Config.PriceOverride("acme", "cheap-nothing", new BigDecimal("0.01"), null, null, null, null, null, null));
    PatternCalls calls = pattern(30, call().on("acme", "gpt-5-nano").tokens(800, 50).times(100));

    assertEquals(List.of(), rule.check(calls, ctx));
    assertEquals(List.of(), rule.check(pattern(30, call().on("openai", "gpt-5-nano").tokens(800, 50).times(100)),
        context("openai")));
  }

  @Test
  void says_nothing_without_a_price_without_enough_calls_or_without_a_configured_cheaper_provider() {
    assertEquals(List.of(), rule.check(pattern(30, call().on("openai", "my-finetune").tokens(800, 50).times(100)),
        context("openai")), "unpriced main model");
    assertEquals(List.of(), rule.check(pattern(30, call().tokens(800, 50).times(CheaperModelRule.MIN_CALLS - 1)),
        context("openai")), "too few calls");
    assertEquals(List.of(), rule.check(pattern(30, call().tokens(800, 50).times(100)), context()),
        "no provider configured");
    assertEquals(List.of(), rule.check(pattern(30, List.of()), context("openai")), "no calls");
  }

  @Test
  void odd_rows_do_not_throw() {
    PatternCalls zero = pattern(1, call().tokens(0, 0).noShape().cost(null).times(100));
    assertEquals(List.of(), rule.check(zero, context("openai")));
    PatternCalls failed = pattern(1, call().tokens(800, 50).status(503).times(100));
    assertEquals(List.of(), rule.check(failed, context("openai")));
  }
}

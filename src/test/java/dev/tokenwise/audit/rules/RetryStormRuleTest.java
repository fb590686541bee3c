package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesACalls.START;
import static dev.tokenwise.audit.rules.RulesACalls.all;
import static dev.tokenwise.audit.rules.RulesACalls.call;
import static dev.tokenwise.audit.rules.RulesACalls.failed;
import static dev.tokenwise.audit.rules.RulesACalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.store.FailedAttempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryStormRuleTest {
  private static final long T0 = START.toEpochMilli() + 10 * 3_600_000L;   // 10:00
  private final RetryStormRule rule = new RetryStormRule();

  private static AuditContext context(List<FailedAttempt> failed, String... providers) {
    return new AuditContext(PriceTable.bundled(), Set.of(providers), Map.of(RulesACalls.PATTERN, failed));
  }

  private static List<FailedAttempt> attempts(int n, long from, long everyMs, int status, String outcome, Long pico) {
    List<FailedAttempt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(failed(from + i * everyMs, status, outcome, pico));
    }
    return out;
  }

  @Test
  void counts_failed_attempts_their_bill_their_peak_minute_and_proposes_a_fallback_on_another_provider() {
    List<FailedAttempt> failed = new ArrayList<>();
    failed.addAll(attempts(25, T0, 2_000, 429, "failed", null));                    // 25 in 10:00
    failed.addAll(attempts(5, T0 + 3_600_000L, 60_000, 503, "broken", 2_000_000_000L));
    failed.addAll(attempts(40, T0, 1_000, 0, "cancelled", null));                   // the client's doing
    PatternCalls calls = pattern(1, all(
        call().tokens(500, 50).times(185),
        call().tokens(500, 50).attempts(3).times(12),
        call().tokens(500, 50).attempts(3).status(503).times(3)));

    Finding f = rule.check(calls, context(failed, "openai", "anthropic")).get(0);

    assertEquals(30, f.evidence().get("failed_attempts"));
    assertEquals(0.15, (double) f.evidence().get("failed_share"), 1e-12);
    assertEquals(25, f.evidence().get("peak_minute_attempts"));
    assertEquals("2026-10-01T10:00:00Z", f.evidence().get("peak_minute"));
    assertEquals(15, f.evidence().get("calls_retried"));
    assertEquals(3, f.evidence().get("calls_failed_after_all_attempts"));
    assertEquals(List.of("429: 25", "503: 5"), f.evidence().get("failed_by_status"));
    // 5 billed attempts × $0.002 in one day, × 30 a month = $0.30; 25 of unknown cost
    assertEquals(5 * 2_000_000_000L, f.evidence().get("billed_pico_usd"));
    assertEquals(25, f.evidence().get("billed_unknown_attempts"));
    assertEquals(30L * 5 * 2_000_000_000L, f.monthlySavingPicoUsd());
    assertEquals(200, f.evidence().get("calls_read"));
    // anthropic's priced chat model closest to, and not above, gpt-4o's $10 output
    assertEquals("fallback", f.recommendation().key());
    assertEquals(List.of("anthropic/claude-sonnet-5-5"), f.recommendation().value());
    assertEquals("retries/classify-ticket", f.recommendation().id());
    assertTrue(f.recommendation().changesAnswers());
    assertTrue(f.title().startsWith("30 failed attempts (15.0 % of calls), up to 25 in one minute"), f.title());
  }

  @Test
  void a_burst_in_one_minute_fires_on_a_large_pattern_and_without_another_provider_is_a_note() {
    List<FailedAttempt> failed = attempts(20, T0, 1_000, 503, "failed", null);
    PatternCalls calls = pattern(1, call().tokens(500, 50).times(10_000));

    Finding f = rule.check(calls, context(failed, "openai")).get(0);

    assertEquals(0L, f.monthlySavingPicoUsd(), "nothing billed is known");
    assertNull(f.recommendation());
    assertTrue(f.title().contains("billed unknown"), f.title());
  }

  @Test
  void billed_failures_fire_below_the_share() {
    List<FailedAttempt> failed = attempts(6, T0, 3_600_000L, 500, "rejected", 1_000_000_000L);
    PatternCalls calls = pattern(1, call().tokens(500, 50).times(1_000));

    Finding f = rule.check(calls, context(failed, "openai")).get(0);

    assertEquals(30L * 6 * 1_000_000_000L, f.monthlySavingPicoUsd());
  }

  @Test
  void says_nothing_on_a_healthy_pattern_with_a_few_transient_failures() {
    PatternCalls calls = pattern(1, call().tokens(500, 50).times(1_000));
    assertEquals(List.of(), rule.check(calls, context(attempts(2, T0, 1_000, 429, "failed", 1_000_000L), "openai")),
        "two billed failures");
    PatternCalls small = pattern(1, call().tokens(500, 50).times(10));
    assertEquals(List.of(), rule.check(small, context(attempts(4, T0, 1_000, 503, "failed", null), "openai")),
        "four failures are 40 % of a tiny pattern, still too few to say anything");
    assertEquals(List.of(), rule.check(calls, context(attempts(10, T0, 600_000L, 503, "failed", null), "openai")),
        "1 % unbilled, spread out");
    assertEquals(List.of(), rule.check(calls, context(attempts(50, T0, 1_000, 0, "cancelled", null), "openai")),
        "cancelled by the client");
  }

  @Test
  void odd_rows_do_not_throw() {
    PatternCalls none = pattern(1, List.of());
    Finding f = rule.check(none, context(attempts(6, T0, 1_000, 503, "failed", null), "openai", "groq")).get(0);
    assertEquals(List.of("groq/llama-3.3-70b-versatile"), f.recommendation().value(),
        "no answered call: the model its failed attempts asked is the one to fall back from");
    assertEquals(List.of(), rule.check(none, new AuditContext(PriceTable.bundled(), Set.of(), Map.of())));
  }
}

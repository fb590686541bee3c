package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesBCalls.at;
import static dev.tokenwise.audit.rules.RulesBCalls.context;
import static dev.tokenwise.audit.rules.RulesBCalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.store.CallRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class PromptCacheRuleTest {
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private final PromptCacheRule rule = new PromptCacheRule();

  /**
   * PLAYBOOK tactic 2's day: 500 calls in 8 sessions 3 hours apart (4 of 63 calls, 4 of 62), a minute
   * apart within a session; {@code call} makes the i-th call at the given time.
   */
  private static List<CallRow> eightSessions(BiFunction<Integer, Long, RulesBCalls.Call> call) {
    List<CallRow> rows = new ArrayList<>();
    int i = 0;
    for (int s = 0; s < 8; s++) {
      for (int k = 0; k < (s < 4 ? 63 : 62); k++) {
        rows.add(call.apply(i++, s * 3 * HOUR + k * MINUTE).row());
      }
    }
    return rows;
  }

  private static RulesBCalls.Call sonnet(long ms) {
    return at(ms).on("anthropic", "claude-sonnet-4-6").dialect("anthropic-messages").tokens(3_200, 100);
  }

  @Test
  void playbook_tactic_2_a_3k_head_500_calls_a_day_with_8_writes_costs_53_cents_instead_of_4_50() {
    List<CallRow> rows = eightSessions((i, ms) -> sonnet(ms).prefix(42, 43, 3_000));
    List<Finding> found = rule.check(pattern("support", 1, rows), context());

    assertEquals(1, found.size());
    Finding f = found.get(0);
    // Without: 500 × 3,000 / 1M × $3 = $4.50. With: (8 × 3,000 × $3.75 + 492 × 3,000 × $0.30) / 1M
    // = $0.09 + $0.4428 = $0.5328. Saving $3.9672 a day, $119.016 a month.
    long without = 4_500_000_000_000L;
    long with = 90_000_000_000L + 442_800_000_000L;
    assertEquals(without, f.evidence().get("no_cache_pico_usd"));
    assertEquals(with, f.evidence().get("with_cache_pico_usd"));
    assertEquals((without - with) * 30, f.monthlySavingPicoUsd());
    assertEquals(119_016_000_000_000L, f.monthlySavingPicoUsd());
    assertEquals(8L, f.evidence().get("writes"));
    assertEquals(492L, f.evidence().get("reads"));
    assertEquals(3_000, f.evidence().get("prefix_tokens"));
    assertEquals(500, f.evidence().get("calls"));
    assertEquals(1, f.evidence().get("distinct_heads"));
    assertEquals(1_024, f.evidence().get("min_prefix_tokens"));
    assertTrue(f.arithmetic().contains("with it: 24,000 tokens written × $3.75 per 1M (5-minute write) + 1,476,000 read"
        + " × $0.30 per 1M (cache read) = $0.5328"), f.arithmetic()::toString);
    assertTrue(f.arithmetic().contains("without a cache: 1,500,000 head tokens × $3.00 per 1M input = $4.50"));

    Recommendation r = f.recommendation();
    assertEquals("prompt-cache/support", r.id());
    assertEquals("prompt_cache", r.key());
    assertEquals("auto", r.value());
    assertFalse(r.changesAnswers());
    assertNull(r.blockedBy());
  }

  @Test
  void calls_just_over_five_minutes_apart_would_each_write_at_125_percent_and_say_nothing() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(sonnet(i * (5 * MINUTE + 1_000)).prefix(42, 43, 3_000).row());
    }
    assertEquals(List.of(), rule.check(pattern("support", 1, rows), context()));
  }

  @Test
  void a_pattern_that_already_uses_the_cache_says_nothing() {
    List<CallRow> rows = eightSessions((i, ms) -> sonnet(ms).prefix(42, 43, 3_000)
        .cachedTokens(i % 60 == 0 ? 0 : 3_000, i % 60 == 0 ? 3_000 : 0));
    assertEquals(List.of(), rule.check(pattern("support", 1, rows), context()));
  }

  @Test
  void a_head_under_the_models_minimum_says_nothing() {
    // Haiku 4.5 caches from 4,096 tokens (reference/anthropic.md §6.2); Sonnet 4.6 from 1,024.
    List<CallRow> haiku = eightSessions((i, ms) -> sonnet(ms).on("anthropic", "claude-haiku-4-5").prefix(42, 43, 3_000));
    assertEquals(List.of(), rule.check(pattern("support", 1, haiku), context()));
    List<CallRow> short_ = eightSessions((i, ms) -> sonnet(ms).prefix(42, 43, 1_000));
    assertEquals(List.of(), rule.check(pattern("support", 1, short_), context()));
  }

  @Test
  void openai_format_calls_translated_for_anthropic_are_blocked() {
    List<CallRow> rows = eightSessions((i, ms) -> sonnet(ms).dialect("openai-chat").prefix(42, 43, 3_000));
    Recommendation r = rule.check(pattern("support", 1, rows), context()).get(0).recommendation();
    assertTrue(r.blockedBy().contains("translated"), r.blockedBy());
  }

  @Test
  void an_openai_pattern_with_a_stable_head_is_cached_by_the_provider_and_says_nothing() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(at(i * MINUTE).prefix(42, 43, 2_000).row());
    }
    assertEquals(List.of(), rule.check(pattern("support", 1, rows), context()));
  }

  /** 500 gpt-4o calls a minute apart, a 2,000-token head with a timestamp in it: 500 heads, one template. */
  private static List<CallRow> timestamped() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(at(i * MINUTE).id("req-" + i).prefix(10_000 + i, 43, 2_000).row());
    }
    return rows;
  }

  @Test
  void an_openai_head_that_changes_on_every_call_loses_the_automatic_cache() {
    List<Finding> found = rule.check(pattern("support", 1, timestamped()), context());

    assertEquals(1, found.size());
    Finding f = found.get(0);
    // One stable head: 499 reads of 2,000 tokens = 998,000 tokens × ($2.50 − $1.25) / 1M = $1.2475 a day,
    // $37.425 a month.
    assertEquals(37_425_000_000_000L, f.monthlySavingPicoUsd());
    assertEquals("the prompt head is not byte-stable: 500 distinct heads for one template", f.title());
    assertEquals(499L, f.evidence().get("reads"));
    assertEquals(0L, f.evidence().get("reads_as_sent"));
    assertEquals(500, f.evidence().get("distinct_heads"));
    Recommendation r = f.recommendation();
    assertEquals("prompt_cache", r.key());
    assertEquals("auto", r.value());
    assertFalse(r.changesAnswers());
    assertEquals("the head changes from call to call (500 distinct heads for one template); move the variable part"
        + " (a date, an id, a timestamp) after the stable instructions, in the app", r.blockedBy());
  }

  @Test
  void with_heads_to_read_it_shows_what_varies() {
    PromptCacheRule reading = new PromptCacheRule(id -> Optional.of("You answer support tickets for Acme.\nNow: 2026-11-02T10:"
        + id.substring(4) + ":00Z\nBe brief."));
    Recommendation r = reading.check(pattern("support", 1, timestamped()), context()).get(0).recommendation();

    assertEquals("the head changes from call to call (500 distinct heads for one template; “…Now:"
        + " 2026-11-02T10:0:00Z…” in one call, “…Now: 2026-11-02T10:1:00Z…” in another); move the"
        + " variable part (a date, an id, a timestamp) after the stable instructions, in the app", r.blockedBy());
    PromptCacheRule failing = new PromptCacheRule(id -> {
      throw new IllegalStateException("no body");
    });
    assertEquals(1, failing.check(pattern("support", 1, timestamped()), context()).size());
  }

  @Test
  void an_anthropic_head_that_changes_on_every_call_is_blocked_with_the_stable_heads_saving() {
    List<CallRow> rows = eightSessions((i, ms) -> sonnet(ms).prefix(10_000 + i, 43, 3_000));
    Finding f = rule.check(pattern("support", 1, rows), context()).get(0);

    assertEquals(119_016_000_000_000L, f.monthlySavingPicoUsd()); // as in tactic 2, once the head is stable
    assertEquals("the prompt head is not byte-stable: 500 distinct heads for one template", f.title());
    assertTrue(f.recommendation().blockedBy().startsWith("the head changes from call to call"));
  }

  @Test
  void a_head_edited_once_in_the_period_is_not_an_unstable_head() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(at(i * MINUTE).prefix(i < 250 ? 42 : 44, 43, 2_000).row());
    }
    assertEquals(List.of(), rule.check(pattern("support", 1, rows), context()));
    List<CallRow> anthropic = eightSessions((i, ms) -> sonnet(ms).prefix(i < 250 ? 42 : 44, 43, 3_000));
    Finding f = rule.check(pattern("support", 1, anthropic), context()).get(0);
    assertNull(f.recommendation().blockedBy()); // the cache pays as the heads are; one edit is no finding of its own
    assertEquals(2, f.evidence().get("distinct_heads"));
    assertFalse(f.evidence().containsKey("stable_head_extra_pico_usd"));
  }

  @Test
  void a_provider_without_a_cached_price_says_nothing() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(at(i * MINUTE).on("groq", "llama-3.3-70b-versatile").prefix(10_000 + i, 43, 2_000).row());
    }
    assertEquals(List.of(), rule.check(pattern("support", 1, rows), context()));
  }

  @Test
  void odd_rows_say_nothing_and_never_throw() {
    assertEquals(List.of(), rule.check(pattern("p", 1, List.of()), context()));
    assertEquals(List.of(), rule.check(pattern("p", 1, List.of(sonnet(0).prefix(1, 2, 3_000).row())), context()));
    List<CallRow> few = eightSessions((i, ms) -> sonnet(ms).prefix(42, 43, 3_000)).subList(0, 19);
    assertEquals(List.of(), rule.check(pattern("p", 1, few), context()));
    List<CallRow> odd = eightSessions((i, ms) -> i % 2 == 0 ? sonnet(ms).noShape().cost(null) : sonnet(ms).prefix(0, 0, 0));
    assertEquals(List.of(), rule.check(pattern("p", 1, odd), context()));
    List<CallRow> unknown = eightSessions((i, ms) -> sonnet(ms).on("anthropic", "claude-unknown-9").prefix(42, 43, 3_000));
    assertEquals(List.of(), rule.check(pattern("p", 1, unknown), context()));
    List<CallRow> errors = eightSessions((i, ms) -> sonnet(ms).prefix(42, 43, 3_000).status(529));
    assertEquals(List.of(), rule.check(pattern("p", 1, errors), context()));
  }
}

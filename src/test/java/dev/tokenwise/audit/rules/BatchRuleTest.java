package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesBCalls.at;
import static dev.tokenwise.audit.rules.RulesBCalls.context;
import static dev.tokenwise.audit.rules.RulesBCalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.store.CallRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BatchRuleTest {
  private static final long HOUR = 3_600_000L;
  /** gpt-4o-mini, 800 in + 50 out: 800 × $0.15 + 50 × $0.60 per 1M = $0.00015. */
  private static final long MINI_CALL = 150_000_000L;
  private final BatchRule rule = new BatchRule();

  private static RulesBCalls.Call mini(long ms) {
    return at(ms).on("openai", "gpt-4o-mini").tokens(800, 50).cost(MINI_CALL);
  }

  /** {@code n} calls from {@code startMs}, {@code gapMs} apart. */
  private static List<CallRow> calls(int n, long startMs, long gapMs, UnaryOperator<RulesBCalls.Call> each) {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(each.apply(mini(startMs + i * gapMs)).row());
    }
    return rows;
  }

  @Test
  void playbook_tactic_9_fifty_thousand_nightly_calls_on_gpt_4o_mini_go_from_225_to_113_dollars() {
    // 50,000 calls at 02:00 UTC, 50 ms apart (done by 02:42).
    List<Finding> found = rule.check(pattern("classify", 1, calls(50_000, 2 * HOUR, 50, c -> c)), context());

    assertEquals(1, found.size());
    Finding f = found.get(0);
    // Batch: 800 × $0.075 + 50 × $0.30 per 1M = $0.000075 a call; saving $0.000075 × 50,000 × 30 = $112.50.
    long batchCall = 75_000_000L;
    assertEquals((MINI_CALL - batchCall) * 50_000 * 30, f.monthlySavingPicoUsd());
    assertEquals("$112.50", Dollars.of(f.monthlySavingPicoUsd()));
    assertEquals(225L * RulesBCalls.PICO_PER_USD, 30 * (Long) f.evidence().get("cost_pico_usd"));
    assertEquals("$112.50", Dollars.of(30 * (Long) f.evidence().get("batch_pico_usd")));
    assertEquals(batchCall * 50_000, f.evidence().get("batch_pico_usd"));
    assertEquals(50_000, f.evidence().get("calls"));
    assertEquals(1.0, f.evidence().get("share_in_bursts"));
    assertEquals(List.of(2), f.evidence().get("hours_of_day_utc"));
    assertEquals(0, f.evidence().get("streamed"));
    assertEquals(50_000, f.evidence().get("calls_read"));
    assertEquals("100.0 % of calls come in bursts at 1 hour of the day: a job the batch API runs at half price",
        f.title());
    assertTrue(f.arithmetic().contains("$3.75 in the period (1 d) × 30 d / 1 d = $112.50 a month ($225.00 → $112.50)"),
        f.arithmetic()::toString);

    Recommendation r = f.recommendation();
    assertEquals("batch/classify", r.id());
    assertEquals("defer", r.key());
    assertEquals(Map.of("max_delay", "24h"), r.value());
    assertFalse(r.changesAnswers());
    assertEquals("the gateway's batch lane is not built yet: send these calls through the provider's batch API"
        + " (OpenAI /v1/batches, Anthropic /v1/messages/batches) at half price", r.blockedBy());
  }

  @Test
  void a_streamed_call_means_someone_is_waiting() {
    List<CallRow> rows = calls(1_000, 2 * HOUR, 50, c -> c);
    rows.set(500, mini(2 * HOUR + 500 * 50).streamed().row());
    assertEquals(List.of(), rule.check(pattern("classify", 1, rows), context()));
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(100, 0, 50, RulesBCalls.Call::streamed)), context()));
  }

  @Test
  void user_traffic_spread_through_the_day_says_nothing() {
    assertEquals(List.of(), rule.check(pattern("classify", 1, calls(2_880, 0, 30_000, c -> c)), context()));
  }

  @Test
  void bursts_at_every_hour_of_the_day_are_not_a_job() {
    List<CallRow> rows = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      rows.addAll(calls(50, h * HOUR, 1_000, c -> c));
    }
    assertEquals(List.of(), rule.check(pattern("classify", 1, rows), context()));
    List<CallRow> three = new ArrayList<>();
    for (int h : new int[] {1, 2, 3}) {
      three.addAll(calls(50, h * HOUR, 1_000, c -> c));
    }
    assertEquals(1, rule.check(pattern("classify", 1, three), context()).size());
    three.addAll(calls(50, 4 * HOUR, 1_000, c -> c));
    assertEquals(List.of(), rule.check(pattern("classify", 1, three), context()));
  }

  @Test
  void under_80_percent_in_bursts_is_not_a_job() {
    List<CallRow> rows = new ArrayList<>(calls(79, 2 * HOUR, 1_000, c -> c));
    rows.addAll(calls(21, 5 * HOUR, 61_000, c -> c)); // 21 calls just over a minute apart: no burst
    assertEquals(List.of(), rule.check(pattern("classify", 1, rows), context()));
  }

  @Test
  void calls_of_a_conversation_depend_on_each_other() {
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(1_000, 2 * HOUR, 50, c -> c.turns(2))), context()));
  }

  @Test
  void a_name_that_says_it_can_wait_is_enough() {
    Finding f = rule.check(pattern("nightly-digest", 1, calls(2_880, 0, 30_000, c -> c)), context()).get(0);
    assertEquals((MINI_CALL - 75_000_000L) * 2_880 * 30, f.monthlySavingPicoUsd());
    assertEquals("nightly", f.evidence().get("named_by"));
    assertEquals("the pattern's name says its calls can wait (\"nightly\"): the batch API runs them at half price",
        f.title());
  }

  @Test
  void anthropic_batch_halves_every_term_cache_reads_included() {
    // Sonnet 4.6: 1,000 in × $3 + 2,000 cache reads × $0.30 + 100 out × $15 per 1M = $0.0051; half is saved.
    List<CallRow> rows = calls(100, 2 * HOUR, 1_000,
        c -> c.on("anthropic", "claude-sonnet-4-6").tokens(1_000, 100).cachedTokens(2_000, 0).cost(5_100_000_000L));
    Finding f = rule.check(pattern("backfill", 1, rows), context()).get(0);
    assertEquals(2_550_000_000L * 100 * 30, f.monthlySavingPicoUsd());
  }

  @Test
  void a_model_without_a_batch_price_says_nothing() {
    assertEquals(List.of(), rule.check(pattern("nightly", 1,
        calls(1_000, 2 * HOUR, 50, c -> c.on("deepseek", "deepseek-chat"))), context()));
  }

  @Test
  void odd_rows_say_nothing_and_never_throw() {
    assertEquals(List.of(), rule.check(pattern("nightly", 1, List.of()), context()));
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(19, 0, 50, c -> c)), context()));
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(100, 0, 50, c -> c.cost(null).noShape())), context()));
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(100, 0, 50, c -> c.status(500))), context()));
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(100, 0, 50, c -> c.tokens(0, 0).cost(0L))), context()));
    assertEquals(List.of(), rule.check(pattern("nightly", 1, calls(100, 0, 50, c -> c.on(null, null))), context()));
  }
}

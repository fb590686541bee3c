package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesBCalls.at;
import static dev.tokenwise.audit.rules.RulesBCalls.context;
import static dev.tokenwise.audit.rules.RulesBCalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class SemanticCacheRuleTest {
  private static final long TENTH_CENT = 1_000_000_000L; // $0.001 a call
  private final SemanticCacheRule rule = new SemanticCacheRule();

  /**
   * {@code calls} calls 8.64 s apart at $0.001 each: first {@code exact} pairs of identical requests, then
   * {@code near} pairs whose second call rewords the first (same query hash, another request hash), then
   * calls that repeat nothing.
   */
  private static List<CallRow> log(int calls, int exact, int near, UnaryOperator<RulesBCalls.Call> each) {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      int pair = i / 2;
      RulesBCalls.Call c = each.apply(at(i * 8_640L).cost(TENTH_CENT));
      if (pair < exact) {
        c.request(900_000 + pair).query(800_000 + pair);
      } else if (pair < exact + near) {
        c.query(700_000 + pair); // the request hash stays the builder's own, unique
      }
      rows.add(c.row());
    }
    return rows;
  }

  @Test
  void playbook_tactic_6_fifteen_percent_reworded_on_top_of_35_percent_identical_comes_to_150_dollars() {
    List<CallRow> rows = log(10_000, 3_500, 1_500, RulesBCalls.Call::repeatable);
    List<Finding> found = rule.check(pattern("faq", 1, rows), context());

    assertEquals(1, found.size());
    Finding f = found.get(0);
    // 1,500 near repeats × $0.001 = $1.50 a day, × 30 = $45 a month; with the exact cache's $105,
    // $300 → $150 (50 % of calls served by the cache).
    assertEquals(1_500L * TENTH_CENT * 30, f.monthlySavingPicoUsd());
    assertEquals(1_500, f.evidence().get("near_repeats"));
    assertEquals(3_500, f.evidence().get("exact_repeats"));
    assertEquals(10_000, f.evidence().get("calls_read"));
    long exact = new ExactCacheRule().check(pattern("faq", 1, rows), context()).get(0).monthlySavingPicoUsd();
    assertEquals("$150.00", Dollars.of(300L * RulesBCalls.PICO_PER_USD - exact - f.monthlySavingPicoUsd()));
    assertEquals("~15.0 % of calls reword a question answered within 1h", f.title());
    assertTrue(f.arithmetic().contains("~$1.50 in the period (1 d) × 30 d / 1 d = $45.00 a month"), f.arithmetic()::toString);

    Recommendation r = f.recommendation();
    assertEquals("cache-semantic/faq", r.id());
    assertEquals("cache", r.key());
    assertEquals(Map.of("exact", true, "semantic", true, "ttl", "1h"), r.value());
    assertTrue(r.changesAnswers());
    assertNull(r.blockedBy());
  }

  @Test
  void exact_repeats_are_left_to_cache_exact() {
    assertEquals(List.of(), rule.check(pattern("faq", 1, log(1_000, 300, 0, RulesBCalls.Call::repeatable)), context()));
  }

  @Test
  void sampled_calls_say_nothing() {
    assertEquals(List.of(), rule.check(pattern("chat", 1, log(1_000, 0, 300, c -> c)), context()));
  }

  @Test
  void multi_turn_calls_say_nothing() {
    assertEquals(List.of(), rule.check(pattern("chat", 1, log(1_000, 0, 300, c -> c.repeatable().turns(3))), context()));
  }

  @Test
  void under_5_percent_or_under_20_near_repeats_say_nothing() {
    assertEquals(List.of(), rule.check(pattern("faq", 1, log(1_000, 0, 49, RulesBCalls.Call::repeatable)), context()));
    assertEquals(1, rule.check(pattern("faq", 1, log(1_000, 0, 50, RulesBCalls.Call::repeatable)), context()).size());
    assertEquals(List.of(), rule.check(pattern("faq", 1, log(40, 0, 19, RulesBCalls.Call::repeatable)), context()));
  }

  @Test
  void a_rewording_more_than_a_day_later_is_a_new_question_and_within_a_day_a_cache_of_a_day_is_proposed() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(at(i * 86_400_001L).query(5).repeatable().row());
    }
    assertEquals(List.of(), rule.check(pattern("faq", 100, rows), context()));

    List<CallRow> hourly = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      hourly.add(at(i * 3_600_001L).query(5).repeatable().row());
    }
    assertEquals("24h", rule.check(pattern("faq", 5, hourly), context()).get(0).evidence().get("ttl"));
  }

  @Test
  void odd_rows_say_nothing_and_never_throw() {
    assertEquals(List.of(), rule.check(pattern("p", 1, List.of()), context()));
    assertEquals(List.of(), rule.check(pattern("p", 1, List.of(at(0).repeatable().row())), context()));
    assertEquals(List.of(), rule.check(pattern("p", 1, log(100, 0, 50, c -> c.repeatable().cost(null))), context()));
    assertEquals(List.of(), rule.check(pattern("p", 1, log(100, 0, 50, c -> c.repeatable().noShape())), context()));
    assertEquals(List.of(), rule.check(pattern("p", 1, log(100, 0, 50, c -> c.repeatable().status(429))), context()));
  }
}

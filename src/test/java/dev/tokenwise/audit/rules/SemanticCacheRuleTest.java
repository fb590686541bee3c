package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesBCalls.at;
import static dev.tokenwise.audit.rules.RulesBCalls.context;
import static dev.tokenwise.audit.rules.RulesBCalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.SemanticReplay;
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
  void with_stored_questions_the_share_the_caches_matcher_serves_on_a_sample_prices_every_such_question() {
    // 400 distinct repeatable questions, $0.001 each; the matcher is shown the latest 300 and serves one in three
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(at(i * 60_000L).request(i).query(i).repeatable().row());
    }
    List<Integer> shown = new ArrayList<>();
    SemanticReplay replay = (sample, ttl) -> {
      shown.add(sample.size());
      boolean[] hits = new boolean[sample.size()];
      for (int i = 0; i < hits.length; i++) {
        hits[i] = i % 3 == 2;
      }
      return java.util.Optional.of(hits);
    };

    Finding f = new SemanticCacheRule(replay).check(pattern("faq", 1, rows), context()).get(0);

    assertEquals(List.of(300), shown, "the latest 300, found at the first TTL tried");
    assertEquals(100, f.evidence().get("sample_served"));
    // 100 of 300 served: a third of the 400 questions' $0.40 = $0.1333…, rounded to the picodollar
    assertEquals(133_333_333_333L * 30, f.monthlySavingPicoUsd());
    assertEquals(133L, f.evidence().get("near_repeats"));
    assertEquals(java.util.Map.of("exact", true, "semantic", true, "ttl", "1h"), f.recommendation().value());
  }

  @Test
  void without_stored_questions_it_falls_back_to_content_words_and_a_matcher_that_serves_nothing_says_nothing() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(at(i * 60_000L).request(i).query(i % 2 == 0 ? 7 : i).repeatable().row());
    }
    SemanticReplay unreadable = (sample, ttl) -> java.util.Optional.empty();
    Finding words = new SemanticCacheRule(unreadable).check(pattern("faq", 1, rows), context()).get(0);
    assertEquals(null, words.evidence().get("method"), "content words, as without a replay");

    SemanticReplay none = (sample, ttl) -> java.util.Optional.of(new boolean[sample.size()]);
    assertEquals(List.of(), new SemanticCacheRule(none).check(pattern("faq", 1, rows), context()));
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

package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.RulesBCalls.at;
import static dev.tokenwise.audit.rules.RulesBCalls.context;
import static dev.tokenwise.audit.rules.RulesBCalls.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.store.CallRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExactCacheRuleTest {
  private static final long TENTH_CENT = 1_000_000_000L; // $0.001 a call
  private final ExactCacheRule rule = new ExactCacheRule();

  /**
   * {@code calls} calls 8.64 s apart (10,000 fill a day) at $0.001 each; the first {@code 2 × repeats}
   * come in pairs, the second of a pair the same request as the first, and in the first {@code other}
   * pairs with another answer.
   */
  private static List<CallRow> pairs(int calls, int repeats, int other, boolean repeatable) {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      int pair = i / 2;
      RulesBCalls.Call c = at(i * 8_640L).cost(TENTH_CENT);
      if (repeatable) {
        c.repeatable();
      }
      if (pair < repeats) {
        c.request(900_000 + pair).answer(i % 2 == 1 && pair < other ? 7 : 500_000 + pair);
      }
      rows.add(c.row());
    }
    return rows;
  }

  @Test
  void playbook_tactic_6_ten_thousand_calls_a_day_35_percent_identical_saves_105_of_300_dollars() {
    List<CallRow> rows = pairs(10_000, 3_500, 0, true);
    List<Finding> found = rule.check(pattern("faq", 1, rows), context());

    assertEquals(1, found.size());
    Finding f = found.get(0);
    // 3,500 repeats × $0.001 = $3.50 a day; × 30 days = $105 a month, of $300 spent: $300 → $195.
    long perMonth = 3_500L * TENTH_CENT * 30;
    assertEquals(105L * RulesBCalls.PICO_PER_USD, perMonth);
    assertEquals(perMonth, f.monthlySavingPicoUsd());
    assertEquals(300L * RulesBCalls.PICO_PER_USD, pattern("faq", 1, rows).monthly((Long) f.evidence().get("spend_pico_usd")));
    assertEquals("$195.00", Dollars.of(300L * RulesBCalls.PICO_PER_USD - f.monthlySavingPicoUsd()));
    assertEquals("35.0 % of calls repeat an earlier call exactly within 1h", f.title());
    assertEquals("cache-exact", f.rule());
    assertEquals(3_500, f.evidence().get("repeats"));
    assertEquals(10_000, f.evidence().get("calls"));
    assertEquals(6_500, f.evidence().get("distinct_requests"));
    assertEquals(1.0, f.evidence().get("same_answer_share"));
    assertEquals(10_000, f.evidence().get("calls_read"));
    assertEquals(3_500L * TENTH_CENT, f.evidence().get("repeat_cost_pico_usd"));
    assertTrue(f.arithmetic().contains("$3.50 in the period (1 d) × 30 d / 1 d = $105.00 a month"), f.arithmetic()::toString);

    Recommendation r = f.recommendation();
    assertEquals("cache-exact/faq", r.id());
    assertEquals("cache", r.key());
    assertEquals(Map.of("exact", true, "ttl", "1h"), r.value());
    assertFalse(r.changesAnswers());
    assertNull(r.blockedBy());
  }

  @Test
  void sampled_calls_need_any_temperature_and_change_answers() {
    Finding f = rule.check(pattern("faq", 1, pairs(1_000, 100, 0, false)), context()).get(0);

    assertEquals(100L * TENTH_CENT * 30, f.monthlySavingPicoUsd());
    assertEquals(Map.of("exact", true, "ttl", "1h", "any_temperature", true), f.recommendation().value());
    assertTrue(f.recommendation().changesAnswers());
    assertTrue(f.arithmetic().stream().anyMatch(l -> l.contains("only repeatable calls by default")));
  }

  @Test
  void between_90_and_100_percent_same_answers_fires_but_changes_answers() {
    // 100 repeats, 5 with another answer: 95 % the same, 5 % other, under the 10 % that blocks a cache.
    Finding f = rule.check(pattern("faq", 1, pairs(1_000, 100, 5, true)), context()).get(0);

    assertFalse(f.recommendation().changesAnswers());
    Finding g = rule.check(pattern("faq", 1, pairs(1_000, 100, 10, true)), context()).get(0);
    assertEquals(0.9, g.evidence().get("same_answer_share"));
    assertFalse(g.recommendation().changesAnswers()); // exactly 90 % the same is enough
  }

  @Test
  void answers_that_vary_give_a_note_and_no_cache() {
    // 3,500 repeats (35 %), 700 of them (20 %) with another answer.
    List<Finding> found = rule.check(pattern("jokes", 1, pairs(10_000, 3_500, 700, true)), context());

    assertEquals(1, found.size());
    Finding note = found.get(0);
    assertEquals("20.0 % of exact repeats got a different answer; a cache would freeze one", note.title());
    assertEquals(0, note.monthlySavingPicoUsd());
    assertNull(note.recommendation());
  }

  @Test
  void answers_that_vary_among_few_repeats_say_nothing() {
    // 60 repeats in 1,000 calls (6 %), 20 of them with another answer: not common enough for a note.
    assertEquals(List.of(), rule.check(pattern("jokes", 1, pairs(1_000, 60, 20, true)), context()));
  }

  @Test
  void a_repeat_rate_under_5_percent_says_nothing() {
    assertEquals(List.of(), rule.check(pattern("faq", 1, pairs(1_000, 49, 0, true)), context())); // 4.9 %
    assertEquals(1, rule.check(pattern("faq", 1, pairs(1_000, 50, 0, true)), context()).size()); // 5.0 %
  }

  @Test
  void fewer_than_20_repeats_say_nothing() {
    assertEquals(List.of(), rule.check(pattern("faq", 1, pairs(40, 19, 0, true)), context()));
  }

  @Test
  void an_answer_is_kept_an_hour_from_the_call_that_stored_it_not_from_its_last_hit() {
    // Each request at 0, 50 and 100 minutes: the 50-minute call is a hit; at 100 minutes the answer
    // stored at 0 has expired, so that call asks again. 40 requests: 40 repeats of 120 calls.
    List<CallRow> rows = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      for (int m : new int[] {0, 50, 100}) {
        rows.add(at(m * 60_000L + k).request(k).repeatable().row());
      }
    }
    rows.sort(java.util.Comparator.comparingLong(CallRow::timeMs));
    Finding f = rule.check(pattern("faq", 1, rows), context()).get(0);
    assertEquals(40, f.evidence().get("repeats"));

    // a request asked every hour and a millisecond: never within the hour, so the rule proposes a day
    List<CallRow> hourly = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      hourly.add(at(i * 3_600_001L).request(1).repeatable().row());
    }
    Finding daily = rule.check(pattern("faq", 5, hourly), context()).get(0);
    assertEquals("24h", daily.evidence().get("ttl"));
    assertEquals(java.util.Map.of("exact", true, "ttl", "24h"), daily.recommendation().value());
    assertEquals(99 - 4, daily.evidence().get("repeats"), "the first call of each day asks again");

    // once a day and a millisecond: no cache of a day would serve any of it
    List<CallRow> daysApart = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      daysApart.add(at(i * 86_400_001L).request(1).repeatable().row());
    }
    assertEquals(List.of(), rule.check(pattern("faq", 100, daysApart), context()));
  }

  @Test
  void calls_already_served_by_the_cache_count_as_neither() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(at(i * 1_000L).request(1).repeatable().cacheStatus(i == 0 ? "miss" : "hit-exact").cost(i == 0 ? TENTH_CENT : 0L).row());
    }
    assertEquals(List.of(), rule.check(pattern("faq", 1, rows), context()));
  }

  @Test
  void tenants_do_not_share_answers() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(at(i * 1_000L).request(1).repeatable().tenant("tenant-" + i).row());
    }
    assertEquals(List.of(), rule.check(pattern("faq", 1, rows), context()));
  }

  @Test
  void answers_cut_by_a_length_limit_are_never_kept() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(at(i * 1_000L).request(1).repeatable().finish("length").row());
    }
    assertEquals(List.of(), rule.check(pattern("faq", 1, rows), context()));
  }

  @Test
  void repeats_of_answers_that_call_a_tool_ask_for_tool_calls() {
    List<CallRow> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(at(i * 1_000L).request(i % 50).repeatable().finish("tool_calls").row());
    }
    Finding f = rule.check(pattern("agent", 1, rows), context()).get(0);
    assertEquals(50, f.evidence().get("repeats"));
    assertEquals(Map.of("exact", true, "ttl", "1h", "tool_calls", true), f.recommendation().value());
  }

  @Test
  void odd_rows_say_nothing_and_never_throw() {
    assertEquals(List.of(), rule.check(pattern("p", 1, List.of()), context()));
    assertEquals(List.of(), rule.check(pattern("p", 1, List.of(at(0).row())), context()));
    List<CallRow> odd = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      odd.add(at(i).request(1).noShape().row());
      odd.add(at(i).request(2).status(500).answer(0).row());
      odd.add(at(i).request(3).cost(null).tokens(0, 0).row()); // repeats of unknown cost save nothing known
    }
    assertEquals(List.of(), rule.check(pattern("p", 1, odd), context()));
  }
}

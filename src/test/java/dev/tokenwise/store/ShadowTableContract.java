package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the shadow pairs' table does, on each database the request log runs on. */
abstract class ShadowTableContract {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");

  /** A store with the current schema, empty. */
  abstract LogStore store();

  static ShadowPair pair(String id, Instant time, String pattern, String candidate, Long production, Long cost,
      int status) {
    return new ShadowPair(id, time, pattern, "req_" + id, "gpt-4o-2024-08-06", candidate, production, cost, 0,
        cost == null ? 7 : cost, 840, 310, status, status == 200 ? null : "openai: HTTP " + status,
        "{\"label\":\"billing\"}", status == 200 ? "{\"label\":\"billing\"} ünïcode" : null, null, null, null, null);
  }

  @Test
  void round_trips_every_field_and_the_nulls_then_keeps_the_score() {
    ShadowTable t = store().shadows();
    ShadowPair full = new ShadowPair("sh-1", T0, "classify", "req_1", "gpt-4o", "gpt-4o-mini", 1_234_567_890_123L,
        98_765L, 5L, 98_770L, 812, 2_040, 200, null, "billing", "billing ✓", 0.75, true, "exact", "a note");
    ShadowPair bare = new ShadowPair("sh-2", T0.plusMillis(1), "classify", "req_2", null, "gpt-4o-mini", null, null,
        0, 12, 5, 0, 0, "the gateway could not be reached: ConnectException", null, null, null, null, null, null);
    t.insert(full);
    t.insert(bare);
    t.insert(full); // again: left as it is

    assertEquals(List.of(bare, full), t.recent("classify", 10));
    assertEquals(List.of(bare), t.recent(null, 1));
    assertEquals(List.of(), t.recent("other", 10));

    assertTrue(t.score("sh-2", 0.5, false, "similarity", "half the words", 3));
    assertFalse(t.score("sh-none", 1.0, true, "exact", null, 0));
    ShadowPair scored = t.recent("classify", 1).get(0);
    assertEquals(0.5, scored.score());
    assertEquals(Boolean.FALSE, scored.passed());
    assertEquals("similarity", scored.scorer());
    assertEquals(3, scored.scoringCostPicoUsd());
    assertEquals(15, scored.spendPicoUsd(), "scoring counts against the cap");
    assertThrows(IllegalArgumentException.class, () -> t.score("sh-1", 1.5, true, "exact", null, 0));
    assertThrows(IllegalArgumentException.class, () -> t.score("sh-1", null, true, "exact", null, 0));

    assertTrue(t.score("sh-1", null, null, "judge:gpt-4o", "the judge's answer could not be read", 40));
    ShadowPair judged = t.recent("classify", 2).get(1);
    assertNull(judged.score(), "a judge that failed leaves the pair unscored");
    assertNull(judged.passed());
    assertEquals("the judge's answer could not be read", judged.note());
    assertEquals(45, judged.scoringCostPicoUsd(), "what the judge cost still counts");
    assertEquals(98_810, judged.spendPicoUsd());
  }

  @Test
  void sums_each_pattern_and_candidate_over_a_period() {
    ShadowTable t = store().shadows();
    t.insert(pair("a", T0, "classify", "gpt-4o-mini", 10_000L, 600L, 200));
    t.insert(pair("b", T0.plusSeconds(1), "classify", "gpt-4o-mini", 20_000L, 1_400L, 200));
    t.insert(pair("c", T0.plusSeconds(2), "classify", "gpt-4o-mini", 30_000L, null, 200)); // cost unknown
    t.insert(pair("d", T0.plusSeconds(3), "classify", "gpt-4o-mini", 40_000L, 0L, 503)); // failed
    t.insert(pair("e", T0.plusSeconds(4), "classify", "claude-haiku-4-5", 50_000L, 900L, 200));
    t.insert(pair("f", T0.plusSeconds(5), "summarise", "gpt-4o-mini", 60_000L, 100L, 200));
    t.insert(pair("old", T0.minusSeconds(3600), "classify", "gpt-4o-mini", 1L, 1L, 200));
    t.score("a", 1.0, true, "exact", null, 0);
    t.score("b", 0.25, false, "exact", "differs", 0);
    t.score("c", 1.0, true, "exact", null, 0);

    List<ShadowSummary> s = t.summaries(T0, T0.plusSeconds(3600));
    assertEquals(3, s.size(), s.toString());
    assertEquals(new ShadowSummary("classify", "claude-haiku-4-5", 1, 0, 0, 0, 0.0, 1, 50_000, 900, 900), s.get(0));
    ShadowSummary mini = s.get(1);
    assertEquals(new ShadowSummary("classify", "gpt-4o-mini", 4, 3, 1, 2, 2.25, 2, 30_000, 2_000,
        600 + 1_400 + 7 + 0), mini);
    assertEquals(0.75, mini.meanScore());
    assertEquals(2.0 / 3, mini.passRate());
    assertEquals("summarise", s.get(2).pattern());
    assertNull(s.get(2).meanScore());
    assertEquals(List.of(), t.summaries(T0.plusSeconds(3600), T0.plusSeconds(7200)));
  }

  @Test
  void the_spend_of_a_utc_day_is_one_shadows_own() {
    ShadowTable t = store().shadows();
    LocalDate day = LocalDate.of(2026, 3, 1);
    t.insert(pair("a", Instant.parse("2026-03-01T00:00:00Z"), "classify", "gpt-4o-mini", 1L, 600L, 200));
    t.insert(pair("b", Instant.parse("2026-03-01T23:59:59.999Z"), "classify", "gpt-4o-mini", 1L, 400L, 200));
    t.insert(pair("c", Instant.parse("2026-03-02T00:00:00Z"), "classify", "gpt-4o-mini", 1L, 50L, 200));
    t.insert(pair("d", Instant.parse("2026-03-01T10:00:00Z"), "classify", "claude-haiku-4-5", 1L, 70L, 200));
    t.insert(pair("e", Instant.parse("2026-03-01T10:00:00Z"), "other", "gpt-4o-mini", 1L, 80L, 200));
    t.score("b", 1.0, true, "judge:gpt-4o", null, 25);

    assertEquals(1_025, t.spent("classify", "gpt-4o-mini", day));
    assertEquals(50, t.spent("classify", "gpt-4o-mini", day.plusDays(1)));
    assertEquals(0, t.spent("classify", "gpt-4o-mini", day.minusDays(1)));
    assertEquals(0, t.spent("nobody", "gpt-4o-mini", day));
  }

  @Test
  void old_texts_are_pruned_with_the_bodies_and_the_pairs_stay() {
    ShadowTable t = store().shadows();
    t.insert(pair("old", T0.minusSeconds(86_400 * 40L), "classify", "gpt-4o-mini", 1L, 2L, 200));
    t.insert(pair("new", T0, "classify", "gpt-4o-mini", 1L, 2L, 200));
    store().pruneBodies(T0.minusSeconds(86_400 * 30L));

    List<ShadowPair> pairs = t.recent("classify", 10);
    assertEquals(2, pairs.size());
    assertEquals("{\"label\":\"billing\"}", pairs.get(0).productionText());
    assertNull(pairs.get(1).productionText());
    assertNull(pairs.get(1).candidateText());
    assertEquals(2L, pairs.get(1).candidateCostPicoUsd(), "the figures stay");
  }
}

package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.store.RequestRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's sums, growth and savings over a real SQLite log (the rules have tests of their own). */
class AuditTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Period PERIOD = new Period(NOW.minus(Duration.ofDays(30)), NOW);
  private static final long CENT = 10_000_000_000L;

  @TempDir Path dir;
  private int next;

  private RequestRecord call(String pattern, Instant at, String model, long input, long cost, String trace) {
    return new RequestRecord("r-" + next++, at, "t1", pattern, "openai-chat", "/v1/chat/completions", "openai", model,
        model, input, 0, 0, 0, 50, 0, false, cost, cost + (trace == null ? 0 : CENT), 10, 100, 200, false, "stop",
        1, "miss", null, null, null, trace);
  }

  /** {@code n} calls spread over a period. */
  private List<RequestRecord> calls(int n, Period p, String pattern, String model, long input, long cost,
      String trace) {
    List<RequestRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(call(pattern, p.from().plusMillis(p.length().toMillis() * i / n), model, input, cost, trace));
    }
    return out;
  }

  @Test
  void splits_spend_four_ways_explains_what_grew_and_sums_what_the_tactics_saved() {
    Period before = PERIOD.previous();
    List<RequestRecord> rows = new ArrayList<>();
    rows.addAll(calls(100, before, "volume", "gpt-4o-mini", 500, CENT, null));
    rows.addAll(calls(200, PERIOD, "volume", "gpt-4o-mini", 500, CENT, null));        // twice the calls
    rows.addAll(calls(100, before, "prompts", "gpt-4o-mini", 500, CENT, null));
    rows.addAll(calls(100, PERIOD, "prompts", "gpt-4o-mini", 2_000, 3 * CENT, null)); // longer prompts
    rows.addAll(calls(100, before, "swapped", "gpt-4o-mini", 500, CENT, null));
    rows.addAll(calls(100, PERIOD, "swapped", "gpt-4o", 500, 5 * CENT, null));         // a dearer model
    rows.addAll(calls(100, before, "steady", "gpt-4o-mini", 500, CENT, null));
    rows.addAll(calls(100, PERIOD, "steady", "gpt-4o-mini", 500, CENT,
        "savings: cache 0.01 USD; savings: prompt_cache ~0.002 USD; savings: route unknown (no price)"));
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("log.db"))) {
      store.insert(rows);
      Audit audit = new Audit(store, new AuditContext(PriceTable.bundled(), Set.of("openai"), Map.of()), List.of(),
          (rec, calls) -> false);

      AuditReport r = audit.run(PERIOD, NOW, 3);

      assertEquals(500, r.current().calls());
      assertEquals((200 + 300 + 500 + 100) * CENT, r.current().spendPicoUsd());
      assertEquals(400, r.before().calls());
      assertEquals(List.of("swapped", "prompts", "volume"), r.top().stream().map(AuditReport.PatternSection::pattern)
          .toList(), "the three costliest, dearest first");
      assertEquals(List.of("swapped", "prompts", "volume", "steady"),
          r.byPattern().stream().map(AuditReport.SpendLine::key).toList());
      assertEquals(List.of("openai/gpt-4o-mini", "openai/gpt-4o"), // $6.00 against $5.00
          r.byModel().stream().map(AuditReport.SpendLine::key).toList());

      Map<String, AuditReport.Growth> grew = new java.util.HashMap<>();
      r.growth().forEach(g -> grew.put(g.pattern(), g));
      assertEquals(Set.of("swapped", "prompts", "volume"), grew.keySet(), "steady did not grow");
      assertEquals("volume", grew.get("volume").reason());
      assertEquals("prompt length", grew.get("prompts").reason());
      assertEquals("model", grew.get("swapped").reason());
      assertTrue(grew.get("volume").why().get(0).startsWith("calls 100 → 200 (+100.0 %): +$1.00 from volume"),
          grew.get("volume").why().toString());

      Map<String, AuditReport.TacticSaving> saved = new java.util.HashMap<>();
      r.saved().forEach(t -> saved.put(t.tactic(), t));
      assertEquals(100 * CENT, saved.get("cache").savedPicoUsd());
      assertEquals(100 * 2_000_000_000L, saved.get("prompt_cache").savedPicoUsd());
      assertTrue(saved.get("prompt_cache").estimated());
      assertEquals(Set.of("cache", "prompt_cache"), saved.keySet(), "an entry with no price is not a saving");
      assertEquals(100 * CENT, r.current().savedPicoUsd(), "baseline − actual over the rows with both");
      assertEquals(30, r.daily().size());
    }
  }

  @Test
  void reads_the_period_in_slices_that_cover_it_exactly() {
    List<Period> slices = Audit.slices(PERIOD, 3);
    assertEquals(PERIOD.from(), slices.get(0).from());
    assertEquals(PERIOD.to(), slices.get(2).to());
    assertEquals(slices.get(0).to(), slices.get(1).from());
    assertEquals(slices.get(1).to(), slices.get(2).from());
  }
}

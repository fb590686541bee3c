package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.store.EvalTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalSummaryTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final EvalTable.Run RUN = new EvalTable.Run("ev-1", "classify", T0, T0, "done", "gpt-4o", "{}", 0,
      0, null);

  static List<EvalTable.Item> items(int n) {
    List<EvalTable.Item> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new EvalTable.Item("ev-1", i, "request r" + i, T0, "openai-chat", "{}", "user:\nq" + i, "a" + i, null,
          100, 10));
    }
    return out;
  }

  /** A model's answers: the first {@code passes} items pass, each call costs {@code pico}. */
  static List<EvalTable.Result> answers(String model, int n, int passes, long pico) {
    List<EvalTable.Result> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      boolean pass = i <= passes;
      out.add(new EvalTable.Result("ev-1", i, model, T0, 200, "x", pico, 100L * i, 100, 10, pass ? 1.0 : 0.25, pass,
          null, null, 0));
    }
    return out;
  }

  @Test
  void the_cheapest_model_above_the_bar_wins_with_its_monthly_saving() {
    List<EvalTable.Result> rows = new ArrayList<>(answers("gpt-4o", 20, 20, 1_000_000L));
    rows.addAll(answers("gpt-4o-mini", 20, 19, 60_000L)); // 95 %: on the bar
    rows.addAll(answers("gpt-4.1-nano", 20, 17, 40_000L)); // 85 %: below it, though cheaper
    EvalSummary s = EvalSummary.of(RUN, items(20), rows, List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1-nano"), "exact",
        0.95, 300_000);

    assertEquals("gpt-4o-mini", s.verdict().model());
    assertFalse(s.verdict().keepCurrent());
    // (1,000,000 − 60,000) pico a call × 300,000 calls = $0.282 a month
    assertEquals(940_000L * 300_000, s.verdict().monthlySavingPicoUsd());
    EvalSummary.ModelFigures nano = s.model("gpt-4.1-nano");
    assertEquals(0.85, nano.passRate(), 1e-9);
    assertEquals((17 + 3 * 0.25) / 20, nano.quality(), 1e-9);
    assertEquals(40_000_000L, nano.costPer1kPicoUsd());
    assertFalse(nano.passes(0.95));
    assertEquals(1000, s.model("gpt-4o").latencyP50Millis());
    assertEquals(1900, s.model("gpt-4o").latencyP95Millis());
    assertEquals(20 * (1_000_000L + 60_000L + 40_000L), s.spentPicoUsd());
  }

  @Test
  void when_no_cheaper_model_passes_the_verdict_keeps_the_current_one() {
    List<EvalTable.Result> rows = new ArrayList<>(answers("gpt-4o", 10, 10, 1_000_000L));
    rows.addAll(answers("gpt-4o-mini", 10, 7, 60_000L));
    EvalSummary s = EvalSummary.of(RUN, items(10), rows, List.of("gpt-4o", "gpt-4o-mini"), "exact", 0.9, 1000);
    assertEquals("gpt-4o", s.verdict().model());
    assertTrue(s.verdict().keepCurrent());
    assertEquals(0, s.verdict().monthlySavingPicoUsd());
    assertTrue(s.verdict().reason().contains("keep gpt-4o"), s.verdict().reason());
  }

  @Test
  void failed_calls_count_as_items_not_passed_and_an_unfinished_sweep_has_no_verdict() {
    List<EvalTable.Result> rows = new ArrayList<>(answers("gpt-4o", 10, 10, 1_000_000L));
    List<EvalTable.Result> mini = answers("gpt-4o-mini", 10, 10, 60_000L);
    mini.set(0, new EvalTable.Result("ev-1", 1, "gpt-4o-mini", T0, 503, null, null, 5, 0, 0, null, null, "down", null,
        0));
    rows.addAll(mini);
    EvalSummary s = EvalSummary.of(RUN, items(10), rows, List.of("gpt-4o", "gpt-4o-mini"), "exact", 0.95, 1000);
    EvalSummary.ModelFigures m = s.model("gpt-4o-mini");
    assertEquals(1, m.failed());
    assertEquals(0.9, m.passRate(), 1e-9);
    assertEquals(1.0, m.quality(), 1e-9, "quality is over the answered items");
    assertEquals("gpt-4o", s.verdict().model());

    EvalSummary partial = EvalSummary.of(RUN, items(10), rows.subList(0, 15), List.of("gpt-4o", "gpt-4o-mini"),
        "exact", 0.95, 1000);
    assertNull(partial.verdict().model());
    assertEquals(5, partial.model("gpt-4o-mini").missing());
  }

  @Test
  void when_not_even_the_current_model_passes_there_is_no_verdict() {
    List<EvalTable.Result> rows = new ArrayList<>(answers("gpt-4o", 10, 5, 1_000_000L));
    rows.addAll(answers("gpt-4o-mini", 10, 4, 60_000L));
    EvalSummary s = EvalSummary.of(RUN, items(10), rows, List.of("gpt-4o", "gpt-4o-mini"), "similarity", 0.95, 1);
    assertNull(s.verdict().model());
    assertTrue(s.verdict().reason().contains("not even gpt-4o"), s.verdict().reason());
  }
}

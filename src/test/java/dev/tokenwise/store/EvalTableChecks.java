package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

/** What the eval tables must do on every flavor: shared by the SQLite and PostgreSQL tests. */
final class EvalTableChecks {
  private EvalTableChecks() {}

  static void a_run_its_set_and_its_answers_read_back(LogStore store, Instant t0) {
    EvalTable t = store.evals();
    EvalTable.Run run = new EvalTable.Run("ev-1", "classify", t0, t0, "running", "gpt-4o", "{\"sample\":2}",
        1_000_000L, 5_000_000_000_000L, null);
    t.create(run, List.of(
        new EvalTable.Item("ev-1", 1, "req-a", t0.minusSeconds(60), "openai-chat", "{\"model\":\"gpt-4o\"}",
            "user:\nhello", "hi", null, 12, 3),
        new EvalTable.Item("ev-1", 2, "req-b", t0.minusSeconds(30), "anthropic-messages", "{}", "user:\nbye\u0000",
            null, "be polite", 20, 0)));
    EvalTable.Result ok = new EvalTable.Result("ev-1", 1, "gpt-4o-mini", t0.plusSeconds(1), 200, "hi", 45_000L, 120,
        12, 3, 1.0, true, null, "{}", 0);
    EvalTable.Result failed = new EvalTable.Result("ev-1", 2, "gpt-4o-mini", t0.plusSeconds(2), 0, null, null, 30_000,
        0, 0, null, null, "timed out", null, 0);
    t.add(ok);
    t.add(failed);
    t.add(new EvalTable.Result("ev-1", 1, "gpt-4o-mini", t0.plusSeconds(9), 200, "other", 1L, 1, 1, 1, 0.0, false,
        null, null, 0)); // a second answer to the same item and model is not kept

    assertEquals(List.of(ok, failed), t.results("ev-1"));
    List<EvalTable.Item> items = t.items("ev-1");
    assertEquals(2, items.size());
    assertEquals("hi", items.get(0).reference());
    assertNull(items.get(1).reference());
    assertEquals("be polite", items.get(1).rubric());
    assertTrue(items.get(1).input().startsWith("user:\nbye"));

    t.finish("ev-1", "done", "{\"verdict\":\"gpt-4o-mini\"}", t0.plusSeconds(10));
    EvalTable.Run back = t.run("ev-1").orElseThrow();
    assertEquals("done", back.status());
    assertEquals("{\"verdict\":\"gpt-4o-mini\"}", back.summary());
    assertEquals(t0.plusSeconds(10), back.updated());
    t.finish("ev-1", "done", null, t0.plusSeconds(11));
    assertEquals("{\"verdict\":\"gpt-4o-mini\"}", t.run("ev-1").orElseThrow().summary(), "a summary stays");

    t.create(new EvalTable.Run("ev-2", "other", t0.plusSeconds(5), t0.plusSeconds(5), "running", "gpt-4o", "{}", 0, 0,
        null), List.of());
    assertEquals(List.of("ev-2", "ev-1"), t.runs(null, 10).stream().map(EvalTable.Run::id).toList());
    assertEquals(List.of("ev-1"), t.runs("classify", 10).stream().map(EvalTable.Run::id).toList());
    assertTrue(t.run("ev-none").isEmpty());
  }
}

package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.EvalTable;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep over a real SQLite store and a scripted provider: budget, resume, failed calls. */
class SweepTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini");
  @TempDir Path dir;
  LogStore store;
  EvalTable table;

  /** Answers "a<no>" (the reference) on gpt-4o, and gets item 3 wrong on gpt-4o-mini; counts every call. */
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  final Caller caller = (dialect, model, body) -> {
    var json = Json.tryParse(body);
    String question = json.path("messages").path(0).path("content").asText();
    int no = Integer.parseInt(question.substring(1));
    calls.computeIfAbsent(no + "/" + model, k -> new AtomicInteger()).incrementAndGet();
    if (failing.contains(no + "/" + model)) {
      return new Caller.Reply(503, "{\"error\":{\"message\":\"overloaded\"}}".getBytes(StandardCharsets.UTF_8), -1, 5,
          null);
    }
    String answer = model.equals("gpt-4o-mini") && no == 3 ? "wrong" : "a" + no;
    String reply = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + answer + "\"}}],"
        + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":10}}";
    return new Caller.Reply(200, reply.getBytes(StandardCharsets.UTF_8), model.equals("gpt-4o") ? 1_000_000 : 60_000,
        20, null);
  };

  final Scorer exact = new Scorer() {
    @Override
    public String name() {
      return "exact";
    }

    @Override
    public Score score(EvalCase c, String answer) {
      boolean same = answer.equals(c.reference());
      return new Score(same ? 1 : 0, same, same ? "" : "differs", 0, Map.of());
    }
  };

  @BeforeEach
  void open() {
    store = LogStores.open("sqlite:" + dir.resolve("t.db"));
    table = store.evals();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private EvalTable.Run create(long budget) {
    EvalTable.Run run = new EvalTable.Run("ev-1", "classify", T0, T0, "running", "gpt-4o", "{}", 0, budget, null);
    List<EvalTable.Item> items = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      items.add(new EvalTable.Item("ev-1", i, "r" + i, T0, Dialect.OPENAI.id(),
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"}]}", "user:\nq" + i,
          "a" + i, null, 100, 10));
    }
    table.create(run, items);
    return run;
  }

  private static Map<String, Long> estimates(long each) {
    Map<String, Long> out = new HashMap<>();
    for (int i = 1; i <= 5; i++) {
      for (String m : MODELS) {
        out.put(i + "/" + m, each);
      }
    }
    return out;
  }

  @Test
  void every_item_runs_on_every_model_and_each_answer_is_kept_with_its_score() throws Exception {
    EvalTable.Run run = create(1_000_000_000_000L);
    List<int[]> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    String status = new Sweep(table, caller, exact, CLOCK, (d, t, s) -> progress.add(new int[] {d, t}))
        .run(run, MODELS, table.items("ev-1"), estimates(1));
    assertEquals("done", status);
    List<EvalTable.Result> rows = table.results("ev-1");
    assertEquals(10, rows.size());
    EvalTable.Result wrong = rows.stream().filter(r -> r.no() == 3 && r.model().equals("gpt-4o-mini")).findFirst()
        .orElseThrow();
    assertEquals("wrong", wrong.answer());
    assertEquals(0.0, wrong.score());
    assertEquals(60_000L, wrong.costPicoUsd());
    assertEquals(100, wrong.inputTokens());
    assertEquals(10, progress.get(progress.size() - 1)[0]);
    assertEquals(10, progress.get(progress.size() - 1)[1]);
  }

  @Test
  void the_budget_stops_the_sweep_before_a_call_that_would_pass_it_and_a_resume_pays_only_for_the_rest()
      throws Exception {
    // each call set aside at 1,000,000 pico; a budget of 4,500,000 lets four calls go
    EvalTable.Run run = create(4_500_000L);
    String status = new Sweep(table, caller, exact, CLOCK, (d, t, s) -> { })
        .run(run, MODELS, table.items("ev-1"), estimates(1_000_000L));
    assertEquals("stopped", status);
    int made = table.results("ev-1").size();
    long spent = table.results("ev-1").stream().mapToLong(EvalTable.Result::costPicoUsd).sum();
    assertTrue(spent <= 4_500_000L, "spent " + spent);
    assertTrue(made >= 4 && made < 10, "made " + made);

    EvalTable.Run more = new EvalTable.Run("ev-1", "classify", T0, T0, "running", "gpt-4o", "{}", 0,
        1_000_000_000_000L, null);
    assertEquals("done", new Sweep(table, caller, exact, CLOCK, (d, t, s) -> { })
        .run(more, MODELS, table.items("ev-1"), estimates(1_000_000L)));
    assertEquals(10, table.results("ev-1").size());
    calls.forEach((k, n) -> assertEquals(1, n.get(), k + " was called " + n.get() + " times"));
  }

  @Test
  void a_failed_call_is_kept_as_failed_and_tried_again_on_resume() throws Exception {
    EvalTable.Run run = create(1_000_000_000_000L);
    failing.add("2/gpt-4o-mini");
    new Sweep(table, caller, exact, CLOCK, (d, t, s) -> { }).run(run, MODELS, table.items("ev-1"), estimates(1));
    EvalTable.Result failed = table.results("ev-1").stream().filter(r -> r.no() == 2 && r.model().equals("gpt-4o-mini"))
        .findFirst().orElseThrow();
    assertEquals(503, failed.status());
    assertNull(failed.score());
    assertTrue(failed.note().contains("overloaded"), failed.note());

    failing.clear();
    new Sweep(table, caller, exact, CLOCK, (d, t, s) -> { }).run(run, MODELS, table.items("ev-1"), estimates(1));
    EvalTable.Result now = table.results("ev-1").stream().filter(r -> r.no() == 2 && r.model().equals("gpt-4o-mini"))
        .findFirst().orElseThrow();
    assertEquals(200, now.status());
    assertEquals(2, calls.get("2/gpt-4o-mini").get());
    assertEquals(1, calls.get("1/gpt-4o-mini").get(), "the answered ones are not asked again");
  }

  @Test
  void an_answer_whose_judge_failed_is_graded_again_without_calling_the_model() throws Exception {
    EvalTable.Run run = create(1_000_000_000_000L);
    AtomicInteger judgeDown = new AtomicInteger(1);
    Scorer flaky = new Scorer() {
      @Override
      public String name() {
        return "judge:gpt-4.1";
      }

      @Override
      public Score score(EvalCase c, String answer) {
        if (judgeDown.get() == 1) {
          return new Score(0, false, "judge call failed: HTTP 529", 0, Map.of("judge_failed", true));
        }
        return new Score(1, true, "", 5_000, Map.of());
      }
    };
    new Sweep(table, caller, flaky, CLOCK, (d, t, s) -> { }).run(run, MODELS, table.items("ev-1"), estimates(1));
    assertTrue(table.results("ev-1").stream().allMatch(r -> r.score() == null));
    judgeDown.set(0);
    new Sweep(table, caller, flaky, CLOCK, (d, t, s) -> { }).run(run, MODELS, table.items("ev-1"), estimates(1));
    assertTrue(table.results("ev-1").stream().allMatch(r -> r.score() == 1.0 && r.judgeCostPicoUsd() == 5_000));
    calls.forEach((k, n) -> assertEquals(1, n.get(), k + " was called " + n.get() + " times"));
  }
}

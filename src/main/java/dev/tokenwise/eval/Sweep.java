package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.EvalTable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a sweep: every item on every model, each answer scored and written as soon as it comes, so that
 * a sweep stopped for any reason resumes with the calls not yet made. Items go out in order, all models
 * of an item together, so that a sweep the budget stops has compared the models on the same items.
 *
 * <p>Before each call its estimate is set aside against the budget, and the call is not made when the
 * money spent and set aside would pass it: the sweep then stops with what it has ({@code stopped}).
 */
public final class Sweep {
  /** Calls in flight at once, over all providers (the gateway bounds each provider on its own). */
  static final int IN_FLIGHT = 16;

  private final EvalTable table;
  private final Caller caller;
  private final Scorer scorer;
  private final Clock clock;
  private final Listener listener;

  /** Told after each answer: answers so far, answers in all, money spent so far. */
  public interface Listener {
    void progress(int done, int total, long spentPicoUsd);
  }

  public Sweep(EvalTable table, Caller caller, Scorer scorer, Clock clock, Listener listener) {
    this.table = table;
    this.caller = caller;
    this.scorer = scorer;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Makes the calls of a run that are not stored yet and returns its status: {@code done}, or
   * {@code stopped} when the budget did not allow every call.
   *
   * @param estimates each (item, model) call's estimate, as {@code no + "/" + model}
   */
  public String run(EvalTable.Run run, List<String> models, List<EvalTable.Item> items, Map<String, Long> estimates)
      throws InterruptedException {
    table.dropFailed(run.id()); // a call that failed cost nothing and is tried again
    rescore(run.id(), items);
    Set<String> done = new HashSet<>();
    long spentBefore = 0;
    for (EvalTable.Result r : table.results(run.id())) {
      done.add(r.no() + "/" + r.model());
      spentBefore += (r.costPicoUsd() == null ? 0 : r.costPicoUsd()) + r.judgeCostPicoUsd();
    }
    int total = items.size() * models.size();
    AtomicInteger answered = new AtomicInteger(done.size());
    AtomicLong spent = new AtomicLong(spentBefore);
    AtomicLong reserved = new AtomicLong();
    AtomicBoolean short_ = new AtomicBoolean();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    listener.progress(answered.get(), total, spent.get());
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tokenwise-eval-", 0)
        .factory())) {
      for (EvalTable.Item item : items) {
        for (String model : models) {
          String key = item.no() + "/" + model;
          if (done.contains(key)) {
            continue;
          }
          long estimate = estimates.getOrDefault(key, 0L);
          slots.acquire();
          if (spent.get() + reserved.get() + estimate > run.budgetPicoUsd()) {
            slots.release();
            short_.set(true);
            continue;
          }
          reserved.addAndGet(estimate);
          pool.execute(() -> {
            try {
              EvalTable.Result r = one(run.id(), item, model);
              table.add(r);
              spent.addAndGet((r.costPicoUsd() == null ? 0 : r.costPicoUsd()) + r.judgeCostPicoUsd());
              listener.progress(answered.incrementAndGet(), total, spent.get());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
              failures.add(e);
            } finally {
              reserved.addAndGet(-estimate);
              slots.release();
            }
          });
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("the sweep could not keep its answers: " + failures.get(0).getMessage(),
          failures.get(0));
    }
    return short_.get() ? "stopped" : "done";
  }

  /** Scores again the stored answers whose judge failed: the answer is kept, only the grading is paid again. */
  private void rescore(String runId, List<EvalTable.Item> items) {
    Map<Integer, EvalTable.Item> byNo = new java.util.HashMap<>();
    items.forEach(i -> byNo.put(i.no(), i));
    for (EvalTable.Result r : table.results(runId)) {
      EvalTable.Item item = byNo.get(r.no());
      if (r.status() != 200 || r.score() != null || item == null) {
        continue;
      }
      Score s = scorer.score(new EvalCase(runId + "/" + item.no(), item.input(), item.reference(), item.rubric()),
          r.answer() == null ? "" : r.answer());
      if (!Boolean.TRUE.equals(s.detail().get("judge_failed"))) {
        table.rescore(new EvalTable.Result(runId, r.no(), r.model(), r.time(), 200, r.answer(), r.costPicoUsd(),
            r.latencyMillis(), r.inputTokens(), r.outputTokens(), s.value(), s.pass(), s.note(), detail(s),
            s.costPicoUsd()));
      }
    }
  }

  private static String detail(Score s) {
    return s.detail().isEmpty() ? null : Json.string(Json.MAPPER.valueToTree(s.detail()));
  }

  /** One item on one model: the call, its answer's text and its score. */
  EvalTable.Result one(String runId, EvalTable.Item item, String model) throws InterruptedException {
    Dialect dialect = Dialect.fromId(item.dialect());
    ObjectNode request = (ObjectNode) Json.tryParse(item.requestBody().getBytes(StandardCharsets.UTF_8));
    byte[] body = Json.bytes(Wire.forModel(request, model));
    Caller.Reply reply = caller.call(dialect, model, body);
    Long cost = reply.costPicoUsd() < 0 ? null : reply.costPicoUsd();
    if (reply.status() != 200) {
      String why = reply.error() != null ? reply.error() : "HTTP " + reply.status() + ": " + errorMessage(reply.body());
      return new EvalTable.Result(runId, item.no(), model, clock.instant(), reply.status(), null, cost,
          reply.latencyMillis(), 0, 0, null, null, why, null, 0);
    }
    JsonNode json = Json.tryParse(reply.body());
    String text = Wire.answer(dialect, reply.body(), false).orElse("");
    long[] tokens = Wire.tokens(dialect, json);
    Score s = scorer.score(new EvalCase(runId + "/" + item.no(), item.input(), item.reference(), item.rubric()), text);
    boolean judgeFailed = Boolean.TRUE.equals(s.detail().get("judge_failed"));
    return new EvalTable.Result(runId, item.no(), model, clock.instant(), 200, text, cost, reply.latencyMillis(),
        tokens[0], tokens[1], judgeFailed ? null : s.value(), judgeFailed ? null : s.pass(), s.note(),
        detail(s), s.costPicoUsd());
  }

  private static String errorMessage(byte[] body) {
    JsonNode j = body == null ? null : Json.tryParse(body);
    String m = j == null ? null : Json.textAt(j.path("error"), "message");
    if (m == null) {
      return "no message";
    }
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }
}

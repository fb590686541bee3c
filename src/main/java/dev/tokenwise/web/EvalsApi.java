package dev.tokenwise.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.eval.EvalReport;
import dev.tokenwise.eval.EvalSpec;
import dev.tokenwise.eval.EvalSummary;
import dev.tokenwise.store.EvalTable;
import dev.tokenwise.store.LogStore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The eval sweeps in the admin API: {@code GET /tokenwise/api/evals} (the runs, newest first; {@code ?pattern=}
 * narrows them) and {@code GET /tokenwise/api/evals/{id}} (one run: its settings, its figures recomputed
 * from its rows, its set, and every answer with its cost, latency and score; {@code ?answers=false} leaves
 * the texts out). Every figure a sweep's report shows can be checked against these rows. Open on loopback;
 * from elsewhere only with {@code Authorization: Bearer <auth.admin_token>}.
 */
public final class EvalsApi implements HttpService {
  private static final int LIST_LIMIT = 200;
  private final LogStore store;
  private final AdminAccess access;

  /** The API over the store's eval tables; {@code adminToken} null means loopback only. */
  public EvalsApi(LogStore store, String adminToken) {
    this.store = store;
    this.access = new AdminAccess(adminToken);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/tokenwise/api/evals", this::list).get("/tokenwise/api/evals/{id}", this::one);
  }

  private void list(ServerRequest req, ServerResponse res) {
    if (!access.allowed(req, res)) {
      return;
    }
    String pattern = req.query().first("pattern").filter(s -> !s.isBlank()).orElse(null);
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (EvalTable.Run r : store.evals().runs(pattern, LIST_LIMIT)) {
      ObjectNode o = run(r);
      JsonNode summary = r.summary() == null ? null : Json.tryParse(r.summary().getBytes(StandardCharsets.UTF_8));
      if (summary != null) {
        o.set("verdict", summary.path("verdict"));
      }
      data.add(o);
    }
    ObjectNode root = Json.object();
    root.set("data", data);
    AdminAccess.send(res, 200, root);
  }

  private void one(ServerRequest req, ServerResponse res) {
    if (!access.allowed(req, res)) {
      return;
    }
    String id = req.path().pathParameters().get("id");
    var found = store.evals().run(id);
    if (found.isEmpty()) {
      AdminAccess.send(res, 404, AdminAccess.error("no eval run " + id));
      return;
    }
    boolean answers = !"false".equals(req.query().first("answers").orElse("true"));
    EvalTable.Run r = found.get();
    EvalSpec spec = EvalSpec.parse(r.spec());
    EvalSummary summary = EvalSpec.summary(store.evals(), r);
    ObjectNode root = run(r);
    root.set("spec", Json.tryParse(r.spec().getBytes(StandardCharsets.UTF_8)));
    root.set("report", EvalReport.json(summary, spec));
    ArrayNode items = root.putArray("items");
    for (EvalTable.Item it : store.evals().items(id)) {
      ObjectNode o = items.addObject();
      o.put("no", it.no());
      o.put("source", it.source());
      o.put("time", it.time().toString());
      o.put("dialect", it.dialect());
      if (answers) {
        o.put("input", it.input());
        o.put("reference", it.reference());
        o.put("rubric", it.rubric());
      }
      o.put("ref_input_tokens", it.refInputTokens());
      o.put("ref_output_tokens", it.refOutputTokens());
    }
    ArrayNode results = root.putArray("results");
    for (EvalTable.Result x : store.evals().results(id)) {
      ObjectNode o = results.addObject();
      o.put("no", x.no());
      o.put("model", x.model());
      o.put("time", x.time().toString());
      o.put("status", x.status());
      if (answers) {
        o.put("answer", x.answer());
      }
      if (x.costPicoUsd() == null) {
        o.putNull("cost_pico_usd");
      } else {
        o.put("cost_pico_usd", x.costPicoUsd());
      }
      o.put("latency_ms", x.latencyMillis());
      o.put("input_tokens", x.inputTokens());
      o.put("output_tokens", x.outputTokens());
      if (x.score() == null) {
        o.putNull("score");
      } else {
        o.put("score", x.score());
      }
      if (x.pass() == null) {
        o.putNull("pass");
      } else {
        o.put("pass", x.pass());
      }
      o.put("note", x.note());
      o.set("detail", x.detail() == null ? null : Json.tryParse(x.detail().getBytes(StandardCharsets.UTF_8)));
      o.put("judge_cost_pico_usd", x.judgeCostPicoUsd());
    }
    AdminAccess.send(res, 200, root);
  }

  private static ObjectNode run(EvalTable.Run r) {
    ObjectNode o = Json.object();
    o.put("id", r.id());
    o.put("pattern", r.pattern());
    o.put("current_model", r.currentModel());
    o.put("status", r.status());
    o.put("created", r.created().toString());
    o.put("updated", r.updated().toString());
    o.put("budget_pico_usd", r.budgetPicoUsd());
    return o;
  }
}

package dev.tokenwise.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.ShadowPair;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The shadow tests in the admin API: {@code GET /tokenwise/api/shadow} (each shadow's pairs of the last 30
 * days summed, today's spend against its cap, its samples since start) and {@code GET
 * /tokenwise/api/shadow/{pattern}} (the pattern's newest pairs, with both answers when they are stored;
 * {@code ?limit=} up to 500). Open on loopback; from elsewhere only with {@code Authorization: Bearer
 * <auth.admin_token>}.
 */
public final class ShadowApi implements HttpService {
  private static final int MAX_LIMIT = 500;
  private final LogStore store;
  private final AdminAccess access;
  private final ShadowAdmin shadows;

  /** The API over the store's pairs and the running shadow tests; {@code adminToken} null means loopback only. */
  public ShadowApi(LogStore store, String adminToken, ShadowAdmin shadows) {
    this.store = store;
    this.access = new AdminAccess(adminToken);
    this.shadows = shadows;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/tokenwise/api/shadow", (req, res) -> {
      if (access.allowed(req, res)) {
        AdminAccess.send(res, 200, shadows.report());
      }
    }).get("/tokenwise/api/shadow/{pattern}", this::pairs);
  }

  private void pairs(ServerRequest req, ServerResponse res) {
    if (!access.allowed(req, res)) {
      return;
    }
    int limit;
    try {
      limit = Integer.parseInt(req.query().first("limit").orElse("50"));
    } catch (NumberFormatException e) {
      AdminAccess.send(res, 400, AdminAccess.error("limit must be a whole number"));
      return;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      AdminAccess.send(res, 400, AdminAccess.error("limit must be between 1 and " + MAX_LIMIT));
      return;
    }
    String pattern = req.path().pathParameters().get("pattern");
    ArrayNode data = Json.MAPPER.createArrayNode();
    store.shadows().recent(pattern, limit).forEach(p -> data.add(json(p)));
    ObjectNode root = Json.object();
    root.put("pattern", pattern);
    root.set("data", data);
    AdminAccess.send(res, 200, root);
  }

  /** One pair as JSON: money as exact decimal USD beside the stored picodollars. */
  static ObjectNode json(ShadowPair p) {
    ObjectNode o = Json.object();
    o.put("id", p.id());
    o.put("time", p.time().toString());
    o.put("pattern", p.pattern());
    o.put("request_id", p.requestId());
    o.put("production_model", p.productionModel());
    o.put("candidate_model", p.candidateModel());
    o.put("production_cost_usd", p.productionCostPicoUsd() == null ? null : Cost.usd(p.productionCostPicoUsd()));
    o.put("candidate_cost_usd", p.candidateCostPicoUsd() == null ? null : Cost.usd(p.candidateCostPicoUsd()));
    o.put("scoring_cost_usd", Cost.usd(p.scoringCostPicoUsd()));
    o.put("spend_usd", Cost.usd(p.spendPicoUsd()));
    o.put("production_cost_pico_usd", p.productionCostPicoUsd());
    o.put("candidate_cost_pico_usd", p.candidateCostPicoUsd());
    o.put("scoring_cost_pico_usd", p.scoringCostPicoUsd());
    o.put("spend_pico_usd", p.spendPicoUsd());
    o.put("production_latency_ms", p.productionLatencyMillis());
    o.put("candidate_latency_ms", p.candidateLatencyMillis());
    o.put("candidate_status", p.candidateStatus());
    o.put("candidate_error", p.candidateError());
    o.put("score", p.score());
    o.put("passed", p.passed());
    o.put("scorer", p.scorer());
    o.put("note", p.note());
    o.put("production_text", p.productionText());
    o.put("candidate_text", p.candidateText());
    return o;
  }
}

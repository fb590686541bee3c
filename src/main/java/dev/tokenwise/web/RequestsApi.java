package dev.tokenwise.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.RequestRecord;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The request log as JSON, read-only: {@code GET /tokenwise/api/requests/{id}} (one call with its trace,
 * cost, tokens and upstream attempts; {@code ?bodies=true} adds the stored bodies) and {@code GET /tokenwise/api/requests}
 * (the newest calls, {@code ?limit=} up to 500); the response cache at {@code /tokenwise/api/cache}
 * ({@code GET} its figures per pattern, {@code DELETE ?pattern=NAME} or {@code DELETE ?all=true} drops
 * answers); the upstreams' circuit breakers at {@code GET /tokenwise/api/providers}. Open on loopback;
 * from elsewhere only with {@code Authorization: Bearer <auth.admin_token>}.
 */
public final class RequestsApi implements HttpService {
  private static final int MAX_LIMIT = 500;
  private final LogStore store;
  private final AdminAccess access;
  private final java.util.function.Supplier<? extends com.fasterxml.jackson.databind.JsonNode> tactics;
  private final CacheAdmin cache;
  private final java.util.function.Supplier<? extends com.fasterxml.jackson.databind.JsonNode> providers;

  /**
   * The API over a store; {@code adminToken} null means loopback only; {@code tactics} gives what the
   * learning tactics know per call pattern, served at {@code /tokenwise/api/tactics}.
   */
  public RequestsApi(LogStore store, String adminToken,
      java.util.function.Supplier<? extends com.fasterxml.jackson.databind.JsonNode> tactics) {
    this(store, adminToken, tactics, null);
  }

  /** The API with the response cache's endpoints too ({@code cache} null leaves them out). */
  public RequestsApi(LogStore store, String adminToken,
      java.util.function.Supplier<? extends com.fasterxml.jackson.databind.JsonNode> tactics, CacheAdmin cache) {
    this(store, adminToken, tactics, cache, null);
  }

  /**
   * The API with the upstreams' health too, served at {@code /tokenwise/api/providers} ({@code providers}
   * null leaves it out): each model's circuit breaker.
   */
  public RequestsApi(LogStore store, String adminToken,
      java.util.function.Supplier<? extends com.fasterxml.jackson.databind.JsonNode> tactics, CacheAdmin cache,
      java.util.function.Supplier<? extends com.fasterxml.jackson.databind.JsonNode> providers) {
    this.providers = providers;
    this.cache = cache;
    this.store = store;
    this.access = new AdminAccess(adminToken);
    this.tactics = tactics;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/tokenwise/api/requests", this::recent).get("/tokenwise/api/requests/{id}", this::one)
        .get("/tokenwise/api/tactics", (req, res) -> {
          if (allowed(req, res)) {
            res.header("content-type", "application/json");
            res.send(Json.bytes(tactics.get()));
          }
        });
    if (providers != null) {
      rules.get("/tokenwise/api/providers", (req, res) -> {
        if (allowed(req, res)) {
          send(res, 200, providers.get());
        }
      });
    }
    if (cache != null) {
      rules.get("/tokenwise/api/cache", (req, res) -> {
        if (allowed(req, res)) {
          send(res, 200, cache.report());
        }
      }).delete("/tokenwise/api/cache", this::invalidate);
    }
  }

  private void invalidate(ServerRequest req, ServerResponse res) {
    if (!allowed(req, res)) {
      return;
    }
    String pattern = req.query().first("pattern").orElse(null);
    boolean all = req.query().first("all").map("true"::equals).orElse(false);
    if ((pattern == null || pattern.isBlank()) == !all) {
      send(res, 400, error("say which answers to drop: ?pattern=NAME (a tag or fingerprint, as in x-tokenwise-pattern)"
          + " or ?all=true"));
      return;
    }
    long removed = cache.invalidate(all ? null : pattern);
    ObjectNode root = Json.object();
    root.put("pattern", all ? null : pattern);
    root.put("removed", removed);
    send(res, 200, root);
  }

  private void one(ServerRequest req, ServerResponse res) {
    if (!allowed(req, res)) {
      return;
    }
    String id = req.path().pathParameters().get("id");
    boolean bodies = req.query().first("bodies").map("true"::equals).orElse(false);
    store.find(id).ifPresentOrElse(r -> send(res, 200, json(r, bodies)),
        () -> send(res, 404, error("no request " + id + " in the log (ids are in x-tokenwise-request-id)")));
  }

  private void recent(ServerRequest req, ServerResponse res) {
    if (!allowed(req, res)) {
      return;
    }
    int limit;
    try {
      limit = Integer.parseInt(req.query().first("limit").orElse("50"));
    } catch (NumberFormatException e) {
      send(res, 400, error("limit must be a whole number"));
      return;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      send(res, 400, error("limit must be between 1 and " + MAX_LIMIT));
      return;
    }
    ArrayNode data = Json.MAPPER.createArrayNode();
    store.recent(limit).forEach(r -> data.add(json(r, false)));
    ObjectNode root = Json.object();
    root.set("data", data);
    send(res, 200, root);
  }

  private boolean allowed(ServerRequest req, ServerResponse res) {
    return access.allowed(req, res);
  }

  /** One logged call as JSON: money as exact decimal USD beside the stored picodollars. */
  static ObjectNode json(RequestRecord r, boolean bodies) {
    ObjectNode o = Json.object();
    o.put("id", r.id());
    o.put("time", r.time().toString());
    o.put("tenant", r.tenant());
    o.put("pattern", r.pattern());
    o.put("dialect", r.dialect());
    o.put("endpoint", r.endpoint());
    o.put("provider", r.provider());
    o.put("model_requested", r.modelRequested());
    o.put("model_used", r.modelUsed());
    ObjectNode tokens = o.putObject("tokens");
    tokens.put("input", r.inputTokens());
    tokens.put("cached_input", r.cachedInputTokens());
    tokens.put("cache_write_5m", r.cacheWrite5mTokens());
    tokens.put("cache_write_1h", r.cacheWrite1hTokens());
    tokens.put("output", r.outputTokens());
    tokens.put("reasoning", r.reasoningTokens());
    tokens.put("estimated", r.usageEstimated());
    o.put("cost_usd", r.costPicoUsd() == null ? null : Cost.usd(r.costPicoUsd()));
    o.put("baseline_usd", r.baselinePicoUsd() == null ? null : Cost.usd(r.baselinePicoUsd()));
    o.put("saved_usd", r.costPicoUsd() == null || r.baselinePicoUsd() == null ? null
        : Cost.usd(r.baselinePicoUsd() - r.costPicoUsd()));
    o.put("cost_pico_usd", r.costPicoUsd());
    o.put("baseline_pico_usd", r.baselinePicoUsd());
    o.put("ttfb_ms", r.ttfbMillis());
    o.put("total_ms", r.totalMillis());
    o.put("status", r.status());
    o.put("stream", r.stream());
    o.put("finish_reason", r.finishReason());
    ArrayNode attempts = o.putArray("attempts");
    for (dev.tokenwise.store.AttemptRecord a : r.attemptLog()) {
      ObjectNode n = attempts.addObject();
      n.put("attempt", a.number());
      n.put("provider", a.provider());
      n.put("model", a.model());
      n.put("status", a.status());
      n.put("latency_ms", a.latencyMillis());
      n.put("outcome", a.outcome());
      n.put("error", a.error());
      n.put("cost_usd", a.costPicoUsd() == null ? null : Cost.usd(a.costPicoUsd()));
      n.put("cost_pico_usd", a.costPicoUsd());
    }
    o.put("cache", r.cacheStatus());
    o.put("error", r.error());
    ArrayNode trace = o.putArray("trace");
    if (r.trace() != null) {
      for (String step : r.trace().split("; ")) {
        trace.add(step);
      }
    }
    if (bodies) {
      o.put("request_body", r.requestBody());
      o.put("response_body", r.responseBody());
    }
    return o;
  }

  private static ObjectNode error(String message) {
    return AdminAccess.error(message);
  }

  private static void send(ServerResponse res, int status, com.fasterxml.jackson.databind.JsonNode body) {
    AdminAccess.send(res, status, body);
  }
}

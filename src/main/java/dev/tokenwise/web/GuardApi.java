package dev.tokenwise.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.AlertRecord;
import dev.tokenwise.store.LogStore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The spend guard in the admin API: {@code GET /tokenwise/api/alerts} (its trips, newest first, with when
 * they cleared; {@code ?limit=} up to 500), {@code GET /tokenwise/api/guard} (what holds now) and
 * {@code DELETE /tokenwise/api/guard?tenant=NAME} or {@code ?pattern=NAME} (clears a tripped guard early:
 * what the scope spent so far stops counting against it). Open on loopback; from elsewhere only with
 * {@code Authorization: Bearer <auth.admin_token>}.
 */
public final class GuardApi implements HttpService {
  private static final int MAX_LIMIT = 500;
  private final LogStore store;
  private final AdminAccess access;
  private final GuardAdmin guard;

  /** The API over the store's alerts and the running guard; {@code adminToken} null means loopback only. */
  public GuardApi(LogStore store, String adminToken, GuardAdmin guard) {
    this.store = store;
    this.access = new AdminAccess(adminToken);
    this.guard = guard;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/tokenwise/api/alerts", this::alerts)
        .get("/tokenwise/api/guard", (req, res) -> {
          if (access.allowed(req, res)) {
            AdminAccess.send(res, 200, guard.report());
          }
        })
        .delete("/tokenwise/api/guard", this::clear);
  }

  private void alerts(ServerRequest req, ServerResponse res) {
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
    ArrayNode data = Json.MAPPER.createArrayNode();
    store.alerts().recent(limit).forEach(a -> data.add(json(a)));
    ObjectNode root = Json.object();
    root.set("data", data);
    AdminAccess.send(res, 200, root);
  }

  private void clear(ServerRequest req, ServerResponse res) {
    if (!access.allowed(req, res)) {
      return;
    }
    String tenant = req.query().first("tenant").filter(s -> !s.isBlank()).orElse(null);
    String pattern = req.query().first("pattern").filter(s -> !s.isBlank()).orElse(null);
    if ((tenant == null) == (pattern == null)) {
      AdminAccess.send(res, 400, AdminAccess.error("say which guard to clear: ?tenant=NAME (as in the log's tenant)"
          + " or ?pattern=NAME (a tag or fingerprint, as in x-tokenwise-pattern)"));
      return;
    }
    AdminAccess.send(res, 200, guard.clear(tenant, pattern));
  }

  /** One alert as JSON: money as exact decimal USD beside the stored picodollars. */
  static ObjectNode json(AlertRecord a) {
    ObjectNode o = Json.object();
    o.put("id", a.id());
    o.put("time", a.time().toString());
    o.put("kind", a.kind());
    o.put("scope", a.scope());
    o.put("period", a.period());
    o.put("figure_usd", Cost.usd(a.figurePicoUsd()));
    o.put("limit_usd", Cost.usd(a.limitPicoUsd()));
    o.put("figure_pico_usd", a.figurePicoUsd());
    o.put("limit_pico_usd", a.limitPicoUsd());
    o.put("message", a.message());
    o.put("tripped", a.clearedAt() == null);
    o.put("cleared_at", a.clearedAt() == null ? null : a.clearedAt().toString());
    o.put("cleared_by", a.clearedBy());
    return o;
  }
}

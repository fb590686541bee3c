package dev.tokenwise.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import dev.tokenwise.guard.Alert;
import dev.tokenwise.guard.SpendGuard;
import dev.tokenwise.web.GuardAdmin;
import java.util.List;
import java.util.Map;

/** The spend guard for the admin API: what holds now, and clearing a trip early. */
final class GuardReport implements GuardAdmin {
  private final SpendGuard guard;
  private final String backend;

  GuardReport(SpendGuard guard, String backend) {
    this.guard = guard;
    this.backend = backend;
  }

  @Override
  public JsonNode report() {
    ObjectNode root = Json.object();
    root.put("active", guard.active());
    root.put("backend", backend);
    ArrayNode tripped = root.putArray("tripped");
    for (Alert a : guard.tripped()) {
      ObjectNode o = tripped.addObject();
      o.put("id", a.id());
      o.put("time", a.time().toString());
      o.put("kind", a.kind());
      o.put("scope", a.scope());
      o.put("period", a.period());
      o.put("figure_usd", Cost.usd(a.figurePicoUsd()));
      o.put("limit_usd", Cost.usd(a.limitPicoUsd()));
      o.put("message", a.message());
    }
    counts(root.putObject("trips"), guard.trips());
    counts(root.putObject("refused"), guard.refused());
    root.put("unpriced", guard.unpriced());
    root.put("backend_failures", guard.backendFailures());
    return root;
  }

  @Override
  public JsonNode clear(String tenant, String pattern) {
    List<SpendGuard.Cleared> cleared = tenant != null ? guard.clearTenant(tenant) : guard.clearPattern(pattern);
    ObjectNode root = Json.object();
    if (tenant != null) {
      root.put("tenant", tenant);
    } else {
      root.put("pattern", pattern);
    }
    ArrayNode list = root.putArray("cleared");
    for (SpendGuard.Cleared c : cleared) {
      ObjectNode o = list.addObject();
      o.put("alert", c.alertId());
      o.put("kind", c.kind());
      o.put("period", c.period());
    }
    root.put("message", "what " + (tenant != null ? "tenant " + tenant : "pattern " + pattern)
        + " spent so far no longer counts against its caps" + (tenant != null ? "" : " or its anomaly window")
        + "; " + (cleared.isEmpty() ? "no guard of it was tripped" : cleared.size() + " tripped guard(s) cleared"));
    return root;
  }

  private static void counts(ObjectNode into, Map<String, Long> counts) {
    counts.forEach(into::put);
  }
}

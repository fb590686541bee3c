package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.Route;

/**
 * Chooses the provider by model name, and writes the provider's own model id into the body when the
 * client used a {@code provider/model} name. For OpenAI streams it asks the provider for the usage
 * chunk, which the relay removes again when the client did not ask for it: the gateway must know what
 * every stream cost.
 */
final class Resolve implements Stage {
  private final Providers providers;

  Resolve(Providers providers) {
    this.providers = providers;
  }

  @Override
  public String name() {
    return "route";
  }

  @Override
  public void before(Exchange ex) {
    Route route = providers.resolve(ex.targetModel());
    if (!canServe(ex, route)) {
      Dialect upstream = dialectOf(route);
      throw GatewayException.of(ErrorKind.INVALID_REQUEST, "model '" + ex.targetModel() + "' is served by '"
          + route.providerName() + "', which speaks the " + describe(upstream) + " format; " + ex.endpoint()
          + " is only served by providers of the " + describe(ex.dialect()) + " format").withParam("model");
    }
    apply(ex, route, true);
  }

  /** Whether a route can take this call: its dialect is the client's, or the endpoint is one that translates. */
  static boolean canServe(Exchange ex, Route route) {
    return dialectOf(route) == ex.dialect() || ex.endpoint().endsWith("/chat/completions")
        || ex.endpoint().equals("/v1/messages");
  }

  static Dialect dialectOf(Route route) {
    return route.provider().kind() == ProviderConfig.Kind.ANTHROPIC ? Dialect.ANTHROPIC : Dialect.OPENAI;
  }

  /**
   * Points the call at another route for its next attempt (a fallback): what the previous route changed in
   * the body for its provider is undone, and the new route's changes made, without trace entries of their
   * own (the fallback's attempt lines say where each attempt went).
   */
  static void retarget(Exchange ex, Route route, String model) {
    ex.undoRouteChanges();
    ex.retarget(route, dialectOf(route), model);
    apply(ex, route, false);
  }

  private static void apply(Exchange ex, Route route, boolean record) {
    Dialect upstream = dialectOf(route);
    ex.route(route);
    ex.upstreamDialect(upstream);
    if (upstream != ex.dialect()) {
      if (record) {
        ex.record(new Decision("route", "provider " + route.providerName() + " (" + describe(upstream)
            + ", translated)"));
      }
      return; // the translate stage writes the provider's body
    }
    ObjectNode body = ex.body();
    if (!route.model().equals(body.path("model").asText())) {
      body.put("model", route.model());
      ex.markChanged(record ? new Decision("route", "model " + ex.targetModel() + " -> " + route.providerName() + " "
          + route.model()) : null);
    } else if (record) {
      ex.record(new Decision("route", "provider " + route.providerName()));
    }
    for (String param : route.provider().dropParams()) {
      if (body.has(param)) {
        ex.dropped(param, body.remove(param));
        ex.markChanged(record ? new Decision("route", "dropped '" + param + "', which " + route.providerName()
            + " rejects") : null);
      }
    }
    if (ex.dialect() == Dialect.OPENAI && ex.stream() && ex.endpoint().endsWith("/chat/completions")
        && !clientAskedForUsage(body)) {
      JsonNode had = body.get("stream_options");
      JsonNode prior = had == null ? null : had.deepCopy();
      ObjectNode options = had != null && had.isObject() ? (ObjectNode) had : body.putObject("stream_options");
      options.put("include_usage", true);
      ex.usageInjected(prior);
      ex.markChanged(record ? new Decision("route", "stream_options.include_usage=true (usage chunk removed from"
          + " the relay)") : null);
    }
  }

  /** Whether an OpenAI stream request asked for the usage chunk itself. */
  static boolean clientAskedForUsage(ObjectNode body) {
    return body.path("stream_options").path("include_usage").asBoolean(false);
  }

  private static String describe(Dialect d) {
    return d == Dialect.ANTHROPIC ? "Anthropic Messages" : "OpenAI Chat Completions";
  }
}

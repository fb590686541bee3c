package dev.tokenwise.policy;

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
    Dialect upstream = route.provider().kind() == ProviderConfig.Kind.ANTHROPIC ? Dialect.ANTHROPIC : Dialect.OPENAI;
    ex.route(route);
    ex.upstreamDialect(upstream);
    if (upstream != ex.dialect()) {
      if (!ex.endpoint().endsWith("/chat/completions") && !ex.endpoint().equals("/v1/messages")) {
        throw GatewayException.of(ErrorKind.INVALID_REQUEST, "model '" + ex.targetModel() + "' is served by '"
            + route.providerName() + "', which speaks the " + describe(upstream) + " format; " + ex.endpoint()
            + " is only served by providers of the " + describe(ex.dialect()) + " format").withParam("model");
      }
      ex.record(new Decision(name(), "provider " + route.providerName() + " (" + describe(upstream)
          + ", translated)"));
      return; // the translate stage writes the provider's body
    }
    ObjectNode body = ex.body();
    if (!route.model().equals(body.path("model").asText())) {
      body.put("model", route.model());
      ex.markChanged(new Decision(name(), "model " + ex.targetModel() + " -> " + route.providerName() + " "
          + route.model()));
    } else {
      ex.record(new Decision(name(), "provider " + route.providerName()));
    }
    for (String param : route.provider().dropParams()) {
      if (body.has(param)) {
        body.remove(param);
        ex.markChanged(new Decision(name(), "dropped '" + param + "', which " + route.providerName() + " rejects"));
      }
    }
    if (ex.dialect() == Dialect.OPENAI && ex.stream() && ex.endpoint().endsWith("/chat/completions")
        && !clientAskedForUsage(body)) {
      ObjectNode options = body.has("stream_options") && body.get("stream_options").isObject()
          ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
      options.put("include_usage", true);
      ex.usageInjected(true);
      ex.markChanged(new Decision(name(), "stream_options.include_usage=true (usage chunk removed from the relay)"));
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

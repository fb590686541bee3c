package dev.tokenwise.provider;

import dev.tokenwise.config.Config;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.UpstreamReply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured upstreams: which one serves a model, and how a call to it is authenticated and sent.
 */
public final class Providers implements AutoCloseable {
  /** The version pinned when an Anthropic client sent none. */
  static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
  private static final String USER_AGENT = "tokenwise/0.1";

  private final ModelCatalog catalog;
  private final HttpUpstream http;

  /** Providers and catalog from the config, with one shared HTTP client. */
  public Providers(Config config) {
    this.catalog = new ModelCatalog(config.providers(), config.models());
    this.http = new HttpUpstream();
  }

  /** The route of a model name as the client sent it. */
  public Route resolve(String model) {
    return catalog.resolve(model);
  }

  /**
   * Calls a provider.
   *
   * @param route the provider and model
   * @param path the path under the provider's base URL
   * @param body the JSON body, or null for a GET
   * @param credentials who calls, with the key the client sent
   * @param passthrough client headers the provider should see as given ({@code anthropic-version}, …)
   * @param stream whether an event stream is expected
   */
  public UpstreamReply call(Route route, String path, byte[] body, Credentials credentials,
      Map<String, List<String>> passthrough, boolean stream) {
    return call(route, path, body, credentials, passthrough, stream, null);
  }

  /**
   * Calls a provider within what is left of a call's deadline.
   *
   * @param left the time left before the call's deadline, which the attempt's timeouts are cut to; null for none
   * @see #call(Route, String, byte[], Credentials, Map, boolean)
   */
  public UpstreamReply call(Route route, String path, byte[] body, Credentials credentials,
      Map<String, List<String>> passthrough, boolean stream, Duration left) {
    ProviderConfig p = route.provider();
    String key = keyFor(p, credentials);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("user-agent", USER_AGENT);
    headers.put("accept", stream ? "text/event-stream" : "application/json");
    if (body != null) {
      headers.put("content-type", "application/json");
    }
    if (p.kind() == ProviderConfig.Kind.ANTHROPIC) {
      if (credentials.bearer() && p.apiKey() == null && credentials.clientKey() != null) {
        headers.put("authorization", "Bearer " + key);
      } else {
        headers.put("x-api-key", key);
      }
      headers.put("anthropic-version", first(passthrough, "anthropic-version", DEFAULT_ANTHROPIC_VERSION));
      List<String> beta = passthrough.get("anthropic-beta");
      if (beta != null && !beta.isEmpty()) {
        headers.put("anthropic-beta", String.join(",", beta));
      }
    } else {
      headers.put("authorization", "Bearer " + key);
      copy(passthrough, headers, "openai-organization");
      copy(passthrough, headers, "openai-project");
      copy(passthrough, headers, "openai-beta");
    }
    p.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return http.send(new UpstreamRequest(route, path, body == null ? "GET" : "POST", headers, body,
        UpstreamRequest.Timeouts.of(p, left)));
  }

  /**
   * Whether the gateway holds a key of its own for a provider (from the config, or the caller's gateway
   * key), so that no client key meant for another provider has to be sent there.
   */
  public static boolean hasOwnKey(ProviderConfig p, Credentials c) {
    return p.apiKey() != null || c.providerKeys().containsKey(p.name());
  }

  /**
   * The key for a provider: a gateway key's own key for it, else the one in config, else the client's.
   */
  static String keyFor(ProviderConfig p, Credentials c) {
    String fromGatewayKey = c.providerKeys().get(p.name());
    if (fromGatewayKey != null) {
      return fromGatewayKey;
    }
    if (p.apiKey() != null) {
      return p.apiKey();
    }
    if (c.clientKey() != null) {
      return c.clientKey();
    }
    throw GatewayException.of(ErrorKind.UNAUTHORIZED, "no API key for provider '" + p.name()
        + "': send your provider key (Authorization: Bearer … or x-api-key) or set providers." + p.name()
        + ".api_key in the config");
  }

  private static String first(Map<String, List<String>> h, String name, String fallback) {
    List<String> v = h.get(name);
    return v == null || v.isEmpty() ? fallback : v.get(0);
  }

  private static void copy(Map<String, List<String>> from, Map<String, String> to, String name) {
    List<String> v = from.get(name);
    if (v != null && !v.isEmpty()) {
      to.put(name, v.get(0));
    }
  }

  @Override
  public void close() {
    http.close();
  }
}

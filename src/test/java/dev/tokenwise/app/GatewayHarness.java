package dev.tokenwise.app;

import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.store.RequestRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A simulator and a gateway in front of it, on free ports, with the request log in a temp folder. */
final class GatewayHarness implements AutoCloseable {
  final Simulator sim;
  final Gateway gateway;
  /** The config the gateway runs with. */
  final Config config;
  private final boolean ownsSim;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  GatewayHarness(Path dataDir) {
    this(dataDir, Map.of());
  }

  GatewayHarness(Path dataDir, Map<String, String> providerKeys) {
    this(dataDir, providerKeys, new Config.Auth("test-salt", Map.of(), false, "admin-secret"));
  }

  GatewayHarness(Path dataDir, Map<String, String> providerKeys, Config.Auth auth) {
    this(dataDir, providerKeys, auth, List.of());
  }

  GatewayHarness(Path dataDir, Map<String, String> providerKeys, Config.Auth auth,
      List<Map<String, Object>> policies) {
    this(Simulator.start(0), true, dataDir, providerKeys, auth, policies, c -> c, java.time.Clock.systemUTC());
  }

  /**
   * A gateway in front of a given simulator (several gateways may share one), its config changed by
   * {@code tweak} before it starts.
   */
  GatewayHarness(Simulator sim, Path dataDir, Map<String, String> providerKeys, Config.Auth auth,
      List<Map<String, Object>> policies, java.util.function.UnaryOperator<Config> tweak) {
    this(sim, false, dataDir, providerKeys, auth, policies, tweak, java.time.Clock.systemUTC());
  }

  /** As above, with the gateway's time from {@code clock} (a {@code MutableClock} moves it by hand). */
  GatewayHarness(Simulator sim, Path dataDir, Config.Auth auth, java.util.function.UnaryOperator<Config> tweak,
      java.time.Clock clock) {
    this(sim, false, dataDir, Map.of(), auth, List.of(), tweak, clock);
  }

  /** A gateway in front of a given simulator whose clock a test moves (circuit cool-downs, cache lifetimes). */
  GatewayHarness(Simulator sim, Path dataDir, Map<String, String> providerKeys, List<Map<String, Object>> policies,
      java.util.function.UnaryOperator<Config> tweak, java.time.Clock clock) {
    this(sim, false, dataDir, providerKeys, new Config.Auth("test-salt", Map.of(), false, "admin-secret"), policies,
        tweak, clock);
  }

  private GatewayHarness(Simulator sim, boolean ownsSim, Path dataDir, Map<String, String> providerKeys,
      Config.Auth auth, List<Map<String, Object>> policies, java.util.function.UnaryOperator<Config> tweak,
      java.time.Clock clock) {
    this.sim = sim;
    this.ownsSim = ownsSim;
    Config d = ConfigLoader.defaults(Map.of());
    Map<String, ProviderConfig> providers = new LinkedHashMap<>(d.providers());
    providers.put("openai", provider("openai", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", providerKeys));
    providers.put("anthropic", provider("anthropic", ProviderConfig.Kind.ANTHROPIC, sim.baseUrl(), providerKeys));
    providers.put("groq", provider("groq", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", providerKeys));
    providers.put("unreachable", new ProviderConfig("unreachable", ProviderConfig.Kind.OPENAI,
        "http://127.0.0.1:9/v1", null, Duration.ofSeconds(5), Map.of(), List.of()));
    Config config = new Config(
        new Config.Server("127.0.0.1", 0, 1024 * 1024, Duration.ofSeconds(2)),
        new Config.Store("sqlite:" + dataDir.resolve("tokenwise.db")),
        null, providers, Map.of(), List.of(), auth, QUIET_BREAKERS, d.guard(),
        new Config.Log(true, Duration.ofDays(30), 1000, 100, Duration.ofMillis(20)), d.cache(), policies);
    this.config = tweak.apply(config);
    gateway = Gateway.start(this.config, clock);
  }

  /**
   * The default retry settings with circuit breakers that do not open: the tests of a class share one
   * gateway, and one test's failures must not close a model to the next. Tests of the breakers set theirs.
   */
  static final Config.Retry QUIET_BREAKERS = new Config.Retry(Config.Retry.DEFAULT.maxAttempts(),
      Config.Retry.DEFAULT.deadline(), Config.Retry.DEFAULT.backoff(), Config.Retry.DEFAULT.maxBackoff(),
      new Config.Retry.Breaker(1000, 1.0, 1000, Duration.ofSeconds(30)));

  private static ProviderConfig provider(String name, ProviderConfig.Kind kind, String url, Map<String, String> keys) {
    return new ProviderConfig(name, kind, url, keys.get(name), Duration.ofSeconds(10), Map.of(), List.of());
  }

  String openAiBase() {
    return "http://127.0.0.1:" + gateway.port() + "/v1";
  }

  String anthropicBase() {
    return "http://127.0.0.1:" + gateway.port();
  }

  /** The logged row of a request, once the asynchronous writer has written it. */
  RequestRecord row(String requestId) {
    // The answer goes out before its row is queued, so a fast client may ask before the row exists.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      gateway.writer().flush(Duration.ofSeconds(5));
      var row = gateway.store().find(requestId);
      if (row.isPresent()) {
        return row.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log row for " + requestId);
      }
      Thread.onSpinWait();
    }
  }

  /** The response cache's figures, from the admin API. */
  com.fasterxml.jackson.databind.JsonNode cacheReport() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(anthropicBase() + "/tokenwise/api/cache"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return dev.tokenwise.core.Json.tryParse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers the response cache has kept for a pattern. */
  long stored(String pattern) {
    return cacheReport().path("patterns").path(pattern).path("stored").asLong(0);
  }

  /**
   * Waits until the cache has kept {@code atLeast} answers of a pattern: an answer is kept just after
   * the client has it, so a client that asks again at once may be a moment early.
   */
  void awaitStored(String pattern, long atLeast) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (stored(pattern) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the cache kept no more than " + stored(pattern) + " answers of " + pattern);
      }
      Thread.onSpinWait();
    }
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(anthropicBase() + path))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    gateway.close();
    if (ownsSim) {
      sim.close();
    }
  }
}

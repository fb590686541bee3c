package dev.tokenwise.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, immutable once loaded. Every key is optional; {@link ConfigLoader} fills
 * the defaults and validates everything once, naming each field that is wrong.
 *
 * @param server where the gateway listens and how much it accepts
 * @param store the request log's database URL
 * @param redis the shared cache and counters, or null for in-process ones
 * @param providers upstreams by name
 * @param models model name to provider name, on top of the built-in catalog
 * @param prices price overrides on top of the bundled catalog
 * @param auth gateway keys and the tenant salt
 * @param retry attempts, deadline and backoff across a whole fallback chain, and the circuit breakers
 * @param guard spend caps and the anomaly guard
 * @param log what the request log keeps and for how long
 * @param cache the response cache's bounds and where its embeddings come from
 * @param policies the tactics per call pattern, first match wins
 */
public record Config(
    Server server,
    Store store,
    Redis redis,
    Map<String, ProviderConfig> providers,
    Map<String, String> models,
    List<PriceOverride> prices,
    Auth auth,
    Retry retry,
    Guard guard,
    Log log,
    Cache cache,
    List<Map<String, Object>> policies) {

  /** Where the gateway listens. {@code maxBodyBytes} caps a request body (default 32 MiB). */
  public record Server(String host, int port, long maxBodyBytes, Duration shutdownGrace) {}

  /** The request log's database: {@code sqlite:PATH} or {@code postgresql://…}. */
  public record Store(String url) {}

  /** Redis for state shared by several gateway instances. */
  public record Redis(String url) {}

  /**
   * One gateway key ({@code tw-…}) and what it stands for.
   *
   * @param tenant the tenant name requests with this key are logged under
   * @param providerKeys provider name to the provider key the gateway uses for this tenant
   */
  public record GatewayKey(String tenant, Map<String, String> providerKeys) {}

  /**
   * @param salt mixed into the hash of a client's own key to name its tenant
   * @param keys gateway keys by their secret value
   * @param requireGatewayKey when true, client provider keys are refused and only gateway keys work
   * @param adminToken the bearer token the admin API asks of callers not on loopback, or null (loopback only)
   */
  public record Auth(String salt, Map<String, GatewayKey> keys, boolean requireGatewayKey, String adminToken) {}

  /**
   * The response cache shared by the policies that turn it on.
   *
   * @param maxEntries answers kept at most (the least recently used go first)
   * @param maxMemoryBytes heap the kept answers may take, or null for a quarter of the heap
   * @param embeddings {@code local} (the in-process model) or {@code provider/model} of an embeddings endpoint
   */
  public record Cache(long maxEntries, Long maxMemoryBytes, String embeddings) {

    /** The in-process embedding model. */
    public static final String LOCAL = "local";
  }

  /**
   * How one client call may retry and fall back.
   *
   * @param maxAttempts upstream attempts across the whole fallback chain, first try included (1 to
   *     {@link #HARD_CEILING})
   * @param deadline the longest a call may take, every attempt and every wait included
   * @param backoff the base of the exponential backoff before a model is tried again
   * @param maxBackoff the longest backoff
   * @param breaker when a model's circuit opens, and for how long
   */
  public record Retry(int maxAttempts, Duration deadline, Duration backoff, Duration maxBackoff, Breaker breaker) {

    /** No configuration may let one call make more upstream attempts than this. */
    public static final int HARD_CEILING = 5;

    /** The defaults: 3 attempts, a 10-minute deadline, 250 ms backoff up to 8 s, the default breaker. */
    public static final Retry DEFAULT = new Retry(3, Duration.ofMinutes(10), Duration.ofMillis(250),
        Duration.ofSeconds(8), Breaker.DEFAULT);

    /**
     * The circuit breaker kept per provider and model.
     *
     * @param failures consecutive failures that open it
     * @param failureRate the share of failed calls among the last {@code window} (with at least half of
     *     the window seen) that opens it
     * @param window how many recent calls the failure rate is taken over
     * @param cooldown how long it stays open before one probe call may go through
     */
    public record Breaker(int failures, double failureRate, int window, Duration cooldown) {

      /**
       * 15 consecutive failures, or 80 % of the last 50 calls (25 seen at least); open for 30 s. A breaker
       * is for outages: a model that fails a third of its calls at random is left to the retries, and at
       * these figures it does not open once in millions of calls, while a dead model opens it after 15.
       */
      public static final Breaker DEFAULT = new Breaker(15, 0.8, 50, Duration.ofSeconds(30));
    }
  }

  /**
   * The spend guard: caps per tenant and per call pattern over the last hour and the last day, and the
   * anomaly guard that stops a pattern spending far faster than it used to.
   *
   * @param tenant the caps of every tenant, each counted on its own
   * @param pattern the caps of every call pattern
   * @param tenants caps of named tenants, in place of {@code tenant}'s figures they give
   * @param patterns caps of named patterns (a tag or a fingerprint), in place of {@code pattern}'s figures they give
   * @param anomaly the anomaly guard of every pattern, or null when it is off
   */
  public record Guard(Caps tenant, Caps pattern, Map<String, Caps> tenants, Map<String, Caps> patterns,
      Anomaly anomaly) {

    /** No cap and no anomaly guard. */
    public static final Guard NONE = new Guard(Caps.NONE, Caps.NONE, Map.of(), Map.of(), null);

    /** Whether any cap or the anomaly guard is set, so that spend must be counted at all. */
    public boolean active() {
      return anomaly != null || tenant.any() || pattern.any()
          || tenants.values().stream().anyMatch(Caps::any) || patterns.values().stream().anyMatch(Caps::any);
    }

    /** The caps of one tenant: its own figures, else every tenant's. */
    public Caps tenantCaps(String name) {
      Caps own = tenants.get(name);
      return own == null ? tenant : own.over(tenant);
    }

    /** The caps of one pattern: its own figures, else every pattern's. */
    public Caps patternCaps(String name) {
      Caps own = patterns.get(name);
      return own == null ? pattern : own.over(pattern);
    }
  }

  /**
   * Spend caps in USD; a null figure is no cap.
   *
   * @param usdPerHour the most spent in the last 60 minutes
   * @param usdPerDay the most spent in the last 24 hours
   */
  public record Caps(java.math.BigDecimal usdPerHour, java.math.BigDecimal usdPerDay) {

    /** No cap at all. */
    public static final Caps NONE = new Caps(null, null);

    /** Whether either cap is set. */
    public boolean any() {
      return usdPerHour != null || usdPerDay != null;
    }

    /** These figures, with {@code base}'s where these give none. */
    public Caps over(Caps base) {
      return new Caps(usdPerHour != null ? usdPerHour : base.usdPerHour,
          usdPerDay != null ? usdPerDay : base.usdPerDay);
    }
  }

  /**
   * The anomaly guard: a pattern trips it when it spends over {@code window} more than {@code factor}
   * times its rate over the {@code baseline} before, and at least {@code minUsd} in the window.
   *
   * @param factor how many times the baseline rate trips the guard (above 1)
   * @param window the recent span whose rate is compared, whole minutes up to an hour
   * @param baseline the span the usual rate is taken over, whole hours, the window excluded
   * @param minUsd the least spent in the window for the guard to trip, so that small sums never do
   */
  public record Anomaly(java.math.BigDecimal factor, Duration window, Duration baseline, java.math.BigDecimal minUsd) {}

  /**
   * @param storeBodies whether request and response bodies are kept
   * @param retention how long bodies are kept
   * @param queueCapacity rows that may wait for the writer before new ones are dropped
   * @param batchSize rows written in one transaction at most
   * @param flushInterval longest time a row waits before its batch is written
   */
  public record Log(
      boolean storeBodies, Duration retention, int queueCapacity, int batchSize, Duration flushInterval) {}

  /**
   * A price row that replaces or adds to the bundled catalog (USD per 1M tokens; null = not offered).
   */
  public record PriceOverride(
      String provider, String model, java.math.BigDecimal input, java.math.BigDecimal cachedInput,
      java.math.BigDecimal cacheWrite5m, java.math.BigDecimal cacheWrite1h, java.math.BigDecimal output,
      java.math.BigDecimal batchInput, java.math.BigDecimal batchOutput) {}
}

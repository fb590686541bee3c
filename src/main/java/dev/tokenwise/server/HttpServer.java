package dev.tokenwise.server;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.guard.SpendGuard;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.store.AsyncLogWriter;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The gateway's one HTTP port: both dialects' endpoints, {@code /health} and {@code /metrics}. The only
 * class that knows the HTTP server library.
 */
public final class HttpServer implements AutoCloseable {
  /** How long a stop waits for the shadow tests' copies still running. */
  private static final java.time.Duration SHADOW_GRACE = java.time.Duration.ofSeconds(5);
  private final WebServer server;
  private final Ledger ledger;
  private final InternalCalls internal;
  private final ShadowTap shadows;

  private HttpServer(WebServer server, Ledger ledger, InternalCalls internal, ShadowTap shadows) {
    this.server = server;
    this.ledger = ledger;
    this.internal = internal;
    this.shadows = shadows;
  }

  /**
   * The shadow tests' parts that the composition root provides.
   *
   * @param budget the daily caps (read back from the stored pairs)
   * @param sink what keeps and scores the pairs
   * @param maxInFlight copies running at once at most
   */
  public record Shadows(ShadowBudget budget, ShadowSink sink, int maxInFlight) {}

  /**
   * Starts listening.
   *
   * @param config the server section and auth
   * @param salt the tenant-hash salt
   * @param pipeline the request path
   * @param prices the price catalog
   * @param writer the request log's writer
   * @param clock the clock request times come from
   * @param guard the spend caps and anomaly guard every billable call passes
   * @param services more read-only endpoints (the admin API), registered before the gateway's own
   */
  public static HttpServer start(Config config, String salt, Pipeline pipeline, PriceTable prices,
      AsyncLogWriter writer, Clock clock, SpendGuard guard,
      java.util.List<io.helidon.webserver.http.HttpService> services) {
    return start(config, salt, pipeline, prices, writer, clock, guard, services, null);
  }

  /**
   * Starts listening, with shadow tests: the answered calls of a policy with {@code shadow} are sampled
   * and copied to its candidate model in the background.
   *
   * @param shadows the shadow tests' budget and sink, or null for none
   */
  public static HttpServer start(Config config, String salt, Pipeline pipeline, PriceTable prices,
      AsyncLogWriter writer, Clock clock, SpendGuard guard,
      java.util.List<io.helidon.webserver.http.HttpService> services, Shadows shadows) {
    Metrics metrics = new Metrics();
    metrics.gauge("tokenwise_log_queue_depth", writer::queued);
    metrics.gauge("tokenwise_log_written_total", writer::written);
    metrics.gauge("tokenwise_log_dropped_total", writer::dropped);
    metrics.gauge("tokenwise_log_failed_total", writer::failed);
    metrics.gauge("tokenwise_cache_entries", pipeline::cacheEntries);
    metrics.gauge("tokenwise_cache_backend_failures_total", pipeline::cacheFailures);
    metrics.cache(pipeline::cacheStats);
    metrics.labelled("tokenwise_guard_trips_total", "Spend guard trips this instance alerted, by kind.", "kind",
        guard::trips);
    metrics.labelled("tokenwise_guard_refused_total", "Calls the spend guard refused, by the kind of guard.", "kind",
        guard::refused);
    metrics.gauge("tokenwise_guard_unpriced_total", guard::unpriced);
    metrics.gauge("tokenwise_guard_backend_failures_total", guard::backendFailures);
    metrics.circuits(pipeline::openCircuits);
    Ledger ledger = new Ledger(prices, writer, metrics, config.log().storeBodies());
    java.util.concurrent.atomic.AtomicInteger port = new java.util.concurrent.atomic.AtomicInteger();
    InternalCalls internal = new InternalCalls(config.server().host(), port::get, InternalCalls.DEFAULT_PER_PROVIDER);
    ShadowTap tap = shadows == null ? null
        : new ShadowTap(pipeline, ledger, internal, shadows.budget(), shadows.sink(), shadows.maxInFlight());
    if (tap != null) {
      metrics.labelled("tokenwise_shadow_samples_total", "Shadow tests' samples, by what became of them.", "outcome",
          tap::outcomes);
      metrics.gauge("tokenwise_shadow_in_flight", tap::inFlight);
    }
    ProxyHandler proxy = new ProxyHandler(pipeline, new Auth(config.auth(), salt),
        new BodyReader(config.server().maxBodyBytes()), ledger, clock, new RequestIds(clock), guard, internal, tap);
    Models models = new Models(pipeline, new Auth(config.auth(), salt), clock);
    WebServer ws = WebServer.builder()
        .host(config.server().host())
        .port(config.server().port())
        .shutdownHook(false)
        // each streamed event is flushed as it comes; Nagle would hold it back until the client's
        // delayed ACK of the previous one (up to 40 ms a time)
        .connectionOptions(o -> o.tcpNoDelay(true))
        .routing(r -> {
          services.forEach(r::register);
          routes(r, proxy, models, metrics);
        })
        .build()
        .start();
    port.set(ws.port());
    return new HttpServer(ws, ledger, internal, tap);
  }

  private static void routes(HttpRouting.Builder r, ProxyHandler proxy, Models models, Metrics metrics) {
    r.post("/v1/chat/completions", (req, res) -> proxy.handle(ProxyHandler.Endpoint.CHAT, req, res))
        .post("/v1/embeddings", (req, res) -> proxy.handle(ProxyHandler.Endpoint.EMBEDDINGS, req, res))
        .post("/v1/messages", (req, res) -> proxy.handle(ProxyHandler.Endpoint.MESSAGES, req, res))
        .post("/v1/messages/count_tokens", (req, res) -> proxy.handle(ProxyHandler.Endpoint.COUNT_TOKENS, req, res))
        .get("/v1/models", models::list)
        .get("/v1/models/{id}", models::one)
        .get("/health", (req, res) -> {
          res.header("content-type", "application/json");
          res.send("{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII));
        })
        .get("/metrics", (req, res) -> {
          res.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
          res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
        })
        .any(HttpServer::unknownPath);
  }

  /** Any other path or method: a 404 in the dialect the path or headers suggest. */
  private static void unknownPath(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    Dialect dialect = path.startsWith("/v1/messages") || ProxyHandler.header(req, "anthropic-version") != null
        ? Dialect.ANTHROPIC : Dialect.OPENAI;
    CallLog log = new CallLog("none", java.time.Instant.now(), System.nanoTime(), dialect.id(), path);
    log.costPicoUsd = 0L;
    log.baselinePicoUsd = 0L;
    Answer.error(res, dialect, log, GatewayException.of(ErrorKind.NOT_FOUND,
        "tokenwise serves no " + req.prologue().method().text() + " " + path + "; OpenAI clients use "
            + "/v1/chat/completions, /v1/embeddings and /v1/models, Anthropic clients /v1/messages and "
            + "/v1/messages/count_tokens"));
  }

  /** The way to call this gateway from within its own process (eval sweeps, shadow tests). */
  public InternalCalls internalCalls() {
    return internal;
  }

  /** The shadow tests' tap (their counts since start), or null when started without them. */
  public ShadowTap shadows() {
    return shadows;
  }

  /** The port it listens on (useful when started on port 0). */
  public int port() {
    return server.port();
  }

  /**
   * Stops taking samples and gives the copies running a moment to finish (they call this server), then
   * stops taking requests and waits until every answered call's row has gone to the log writer.
   */
  @Override
  public void close() {
    if (shadows != null) {
      shadows.close(SHADOW_GRACE);
    }
    server.stop();
    ledger.close();
  }
}

package dev.tokenwise.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.guard.SpendGuard;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Outcome;
import dev.tokenwise.policy.Pipeline;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The billable endpoints: reads and checks the call, runs it through the pipeline, hands it to the
 * {@link Dispatcher} (its fallback chain, the relay of the answer, whole or streamed, and its price) and
 * logs it. Errors reach the caller in its own dialect; a provider's own error passes through with the
 * provider's status.
 */
final class ProxyHandler {
  /** String values longer than this (images, documents) are kept out of the parsed tree. */
  private static final int LARGE_STRING = 64 * 1024;
  private static final System.Logger LOG = System.getLogger(ProxyHandler.class.getName());
  private static final Set<String> PASSTHROUGH = Set.of("anthropic-version", "anthropic-beta",
      "openai-organization", "openai-project", "openai-beta");

  private final Pipeline pipeline;
  private final Auth auth;
  private final BodyReader reader;
  private final Ledger ledger;
  private final Clock clock;
  private final RequestIds ids;
  private final BodyBudget budget = BodyBudget.forHeap();
  private final Pricing pricing;
  private final SpendGuard guard;
  private final Dispatcher dispatcher;
  private final InternalCalls internal;
  private final ShadowTap shadows;

  ProxyHandler(Pipeline pipeline, Auth auth, BodyReader reader, Ledger ledger, Clock clock, RequestIds ids,
      SpendGuard guard, InternalCalls internal, ShadowTap shadows) {
    this.internal = internal;
    this.shadows = shadows;
    this.pipeline = pipeline;
    this.auth = auth;
    this.reader = reader;
    this.ledger = ledger;
    this.clock = clock;
    this.ids = ids;
    this.pricing = new Pricing(ledger);
    this.guard = guard;
    this.dispatcher = new Dispatcher(pipeline, new Relay(pricing, ledger));
  }

  /** What an endpoint is: its dialect, the path it takes upstream, and how its body is checked. */
  enum Endpoint {
    CHAT(Dialect.OPENAI, "/v1/chat/completions", "/chat/completions"),
    EMBEDDINGS(Dialect.OPENAI, "/v1/embeddings", "/embeddings"),
    MESSAGES(Dialect.ANTHROPIC, "/v1/messages", "/v1/messages"),
    COUNT_TOKENS(Dialect.ANTHROPIC, "/v1/messages/count_tokens", "/v1/messages/count_tokens");

    final Dialect dialect;
    final String path;
    private final String upstreamPath;

    Endpoint(Dialect dialect, String path, String upstreamPath) {
      this.dialect = dialect;
      this.path = path;
      this.upstreamPath = upstreamPath;
    }

    /** The path under the provider's base URL; a translated chat call goes to the other dialect's. */
    String upstreamPath(Dialect upstream) {
      if (upstream == dialect) {
        return upstreamPath;
      }
      return upstream == Dialect.ANTHROPIC ? MESSAGES.upstreamPath : CHAT.upstreamPath;
    }
  }

  void handle(Endpoint endpoint, ServerRequest req, ServerResponse res) {
    long start = System.nanoTime();
    CallLog log = new CallLog(ids.next(), clock.instant(), start, endpoint.dialect.id(), endpoint.path);
    long declared = req.headers().contentLength().orElse(-1);
    Exchange prepared = null;
    boolean own = internal != null && internal.marks(header(req, InternalCalls.HEADER));
    try (BodyBudget.Lease lease = budget.acquire(declared)) {
      Credentials credentials = auth.identify(header(req, "authorization"), header(req, "x-api-key"));
      log.tenant = credentials.tenant();
      byte[] raw = reader.read(req.content().inputStream(), declared);
      log.requestBody = raw;
      LargeStrings large = LargeStrings.of(raw, LARGE_STRING);
      ObjectNode body = BodyReader.parseObject(large.slim());
      if (endpoint == Endpoint.CHAT || endpoint == Endpoint.MESSAGES) {
        BodyReader.requireChat(body);
      } else {
        BodyReader.requireModel(body);
      }
      if (endpoint == Endpoint.EMBEDDINGS || endpoint == Endpoint.COUNT_TOKENS) {
        body.remove("stream");
      }
      log.modelRequested = body.get("model").asText();
      log.stream = body.path("stream").asBoolean(false);
      Exchange ex = new Exchange(log.id, log.time, start, endpoint.dialect, endpoint.path, body, raw, large,
          credentials, passthrough(req), tag(req));
      prepared = ex;
      ex.internal(own);
      ex.cacheDirective(cacheDirective(req));
      pipeline.prepare(ex);
      log.pattern = ex.pattern();
      log.provider = ex.route().providerName();
      log.cacheStatus = ex.cacheStatus();
      if (ex.cacheHit() != null) {
        CachedReply.send(ex, ex.cacheHit(), res, log, pricing.embeddingCost(ex));
        return;
      }
      if (endpoint != Endpoint.COUNT_TOKENS && !own) {
        guard.check(log.tenant, ex.pattern());
      }
      dispatcher.run(endpoint, ex, res, log);
    } catch (GatewayException e) {
      log.status = e.status();
      log.error = e.getMessage();
      if (log.attempts == 0) {
        log.costPicoUsd = 0L;
        log.baselinePicoUsd = 0L;
      }
      if (!res.isSent()) {
        Answer.error(res, endpoint.dialect, log, e);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      log.status = 499;
      log.error = "the client connection failed while the request was read";
    } catch (RuntimeException e) {
      // a defect of the gateway, not of the request: the caller gets a plain 500 in its dialect
      LOG.log(System.Logger.Level.ERROR, "request " + log.id + " failed inside the gateway", e);
      log.status = 500;
      log.error = "internal error: " + e.getClass().getSimpleName();
      if (!res.isSent()) {
        Answer.error(res, endpoint.dialect, log, GatewayException.of(ErrorKind.INTERNAL,
            "tokenwise failed to handle this request (request id " + log.id + "); the details are in its log"));
      }
    } catch (OutOfMemoryError e) {
      // request-scoped: what this request held is garbage now, and the gateway goes on serving
      log.status = 503;
      log.error = "out of memory for this request";
      if (!res.isSent()) {
        Answer.error(res, endpoint.dialect, log, GatewayException.upstream(ErrorKind.OVERLOADED, 503,
            "the gateway ran out of memory for this request; retry, or raise the heap with TOKENWISE_JAVA_OPTS=-Xmx…",
            null, "1"));
      }
    } finally {
      if (log.chain != null) {
        log.chain.abandon(log.error == null ? "the attempt ended without an outcome" : log.error,
            log.servedCostPicoUsd);
        log.trace = Dispatcher.trace(prepared, log.chain);
      }
      if (prepared != null) {
        try {
          pipeline.finish(prepared, outcome(prepared, log));
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "a stage failed after request " + log.id, e);
        }
      }
      if (!own) { // the gateway's own calls are kept, with their cost, by whoever made them
        guard.record(log.tenant, log.pattern, log.costPicoUsd);
        ledger.record(log);
        if (shadows != null && prepared != null && prepared.policy() != null && prepared.policy().shadow() != null) {
          shadows.offer(endpoint, prepared, log, req); // the answer is out: a copy never holds the client
        }
      }
    }
  }

  /** What came of the call; with the whole answer in the client's dialect when the response cache keeps it. */
  private static Outcome outcome(Exchange ex, CallLog log) {
    if (!ex.cacheWanted() || log.status != 200 || log.responseBody == null) {
      return new Outcome(log.status, log.usage, log.finishReason);
    }
    byte[] whole = log.stream ? CachedReply.wholeFromStream(ex.dialect(), log.responseBody, log.usage)
        : log.responseBody;
    if (whole != null && !CachedReply.servable(ex.dialect(), whole)) {
      whole = null;
    }
    return new Outcome(log.status, log.usage, log.finishReason, whole, log.costPicoUsd, log.baselinePicoUsd,
        log.modelUsed);
  }

  /** {@code X-Tokenwise-Cache}: {@code no-store}, {@code refresh}, or absent. */
  private static String cacheDirective(ServerRequest req) {
    String value = header(req, "x-tokenwise-cache");
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!v.equals("no-store") && !v.equals("refresh")) {
      throw GatewayException.of(ErrorKind.INVALID_REQUEST, "header X-Tokenwise-Cache must be no-store or refresh, got '"
          + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
    }
    return v;
  }

  static String header(ServerRequest req, String name) {
    return req.headers().first(io.helidon.http.HeaderNames.create(name)).orElse(null);
  }

  private static String tag(ServerRequest req) {
    String tag = header(req, "x-tokenwise-tag");
    return tag == null || tag.isBlank() ? null : tag.strip();
  }

  static Map<String, List<String>> passthrough(ServerRequest req) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Header h : req.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (PASSTHROUGH.contains(name)) {
        out.put(name, h.allValues());
      }
    }
    return out;
  }
}

package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.analytics.UsageEstimator;
import dev.tokenwise.api.anthropic.AnthropicErrors;
import dev.tokenwise.api.anthropic.AnthropicUsage;
import dev.tokenwise.api.openai.OpenAiErrors;
import dev.tokenwise.api.openai.OpenAiUsage;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.core.Usage;
import dev.tokenwise.guard.SpendGuard;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Outcome;
import dev.tokenwise.policy.Pipeline;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The billable endpoints: reads and checks the call, runs it through the pipeline to its provider,
 * relays the answer (whole or streamed), prices it and logs it. Errors reach the caller in its own
 * dialect; a provider's own error passes through with the provider's status.
 */
final class ProxyHandler {
  /** A provider error body larger than this is not read to the end. */
  private static final int MAX_ERROR_BODY = 1 << 20;
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

  ProxyHandler(Pipeline pipeline, Auth auth, BodyReader reader, Ledger ledger, Clock clock, RequestIds ids,
      SpendGuard guard) {
    this.pipeline = pipeline;
    this.auth = auth;
    this.reader = reader;
    this.ledger = ledger;
    this.clock = clock;
    this.ids = ids;
    this.pricing = new Pricing(ledger);
    this.guard = guard;
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
      ex.cacheDirective(cacheDirective(req));
      pipeline.prepare(ex);
      log.pattern = ex.pattern();
      log.provider = ex.route().providerName();
      log.cacheStatus = ex.cacheStatus();
      if (ex.cacheHit() != null) {
        CachedReply.send(ex, ex.cacheHit(), res, log, pricing.embeddingCost(ex));
        return;
      }
      if (endpoint != Endpoint.COUNT_TOKENS) {
        guard.check(log.tenant, ex.pattern());
      }
      if (ex.translated()) {
        Translation.request(ex, pipeline);
      }
      log.trace = Answer.trace(ex.decisions().stream().filter(d -> !d.change().startsWith("provider "))
          .map(d -> d.stage() + ": " + d.change()).toList());
      log.attempts = 1;
      try (UpstreamReply reply = pipeline.send(ex, endpoint.upstreamPath(ex.upstreamDialect()))) {
        log.ttfbMillis = (System.nanoTime() - start) / 1_000_000;
        if (reply.status() >= 400) {
          relayError(ex, reply, res, log);
        } else if (log.stream && isEventStream(reply)) {
          relayStream(ex, reply, res, log);
        } else if (ex.earlyExitWhole() && isEventStream(reply)) {
          relayGathered(ex, reply, res, log);
        } else {
          relayWhole(endpoint, ex, reply, res, log);
        }
      }
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
      if (prepared != null) {
        try {
          pipeline.finish(prepared, outcome(prepared, log));
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "a stage failed after request " + log.id, e);
        }
      }
      guard.record(log.tenant, log.pattern, log.costPicoUsd);
      ledger.record(log);
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

  private void relayWhole(Endpoint endpoint, Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log)
      throws IOException {
    byte[] bytes = readUpstream(reply, Integer.MAX_VALUE, log);
    JsonNode answer = Json.tryParse(bytes);
    Dialect upstream = ex.upstreamDialect();
    if (answer == null || !answer.isObject()) {
      throw GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE, log.provider + ": answered HTTP " + reply.status()
          + " with a body that is not a " + (upstream == Dialect.ANTHROPIC ? "Messages" : "OpenAI")
          + " response (" + bytes.length + " bytes)");
    }
    byte[] toClient = ex.translated() ? Translation.response(ex, answer) : bytes;
    log.responseBody = toClient;
    log.status = reply.status();
    log.modelUsed = Json.textAt(answer, "model");
    JsonNode reported = answer.get("usage");
    if (endpoint == Endpoint.COUNT_TOKENS) {
      log.usage = Usage.NONE;
    } else if (reported == null || !reported.isObject()) {
      log.usage = null;
      log.error = log.provider + ": the answer reported no usage, so its cost is unknown";
    } else {
      log.usage = endpoint == Endpoint.EMBEDDINGS ? OpenAiUsage.parseEmbeddings(reported)
          : upstream == Dialect.OPENAI ? OpenAiUsage.parse(reported)
          : AnthropicUsage.parse(reported, AnthropicUsage.requestUsesOneHourTtl(ex.body()));
    }
    log.finishReason = finishReason(upstream, answer);
    String tier = upstream == Dialect.ANTHROPIC
        ? Json.textAt(answer.path("usage"), "service_tier") : Json.textAt(answer, "service_tier");
    price(ex, log, Tier.fromServiceTier(tier));
    res.status(reply.status());
    Answer.upstreamHeaders(res, reply);
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, log.baselinePicoUsd);
    res.send(toClient);
  }

  private void relayStream(Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log) {
    boolean strip = ex.usageInjected();
    boolean oneHour = ex.upstreamDialect() == Dialect.ANTHROPIC && AnthropicUsage.requestUsesOneHourTtl(ex.upstreamTree());
    StreamRelay relay = new StreamRelay(ex.upstreamDialect(), strip, oneHour,
        ex.translated() ? Translation.stream(ex) : null);
    if (ex.earlyExitJson()) {
      relay.exitAfterJson(!strip && ex.dialect() == Dialect.OPENAI
          && ex.body().path("stream_options").path("include_usage").asBoolean(false));
    }
    res.status(200);
    Answer.upstreamHeaders(res, reply);
    res.header("content-type", "text/event-stream");
    res.header("cache-control", "no-cache");
    Answer.identity(res, log);
    ClientStream client = new ClientStream(res);
    StreamRelay.Outcome o = relay.relay(reply.body(), client, seen -> {
      finishStream(ex, log, seen);
      return StreamRelay.costComment(Answer.usd(log.costPicoUsd), Answer.usd(log.baselinePicoUsd), log.id);
    });
    client.close();
    if (o.clientGone || !o.completed || o.earlyExit) {
      // closing the provider's stream stops its billing; after an early exit the rest is not wanted
      reply.cancel();
    }
    if (!o.completed) {
      finishStream(ex, log, o);
    }
    if (o.firstByteNanos != 0) {
      log.ttfbMillis = (o.firstByteNanos - ex.startNanos()) / 1_000_000;
    }
    log.responseBody = o.relayed.toByteArray();
    if (o.clientGone) {
      log.status = 499;
      log.error = "the client went away mid-stream; the provider call was cancelled";
    } else if (o.upstreamError != null) {
      log.status = 502;
      log.error = log.provider + ": " + o.upstreamError;
    } else {
      log.status = 200;
    }
    if (o.earlyExit && !o.clientGone) {
      ex.exitedEarly(log.usage == null ? 0 : log.usage.outputTokens());
      log.trace = Answer.trace(ex.decisions().stream().filter(d -> !d.change().startsWith("provider "))
          .map(d -> d.stage() + ": " + d.change()).toList());
    }
  }

  /**
   * A whole answer read from the stream the gateway asked for ({@code early_exit: json}): the stream is
   * stopped once the answer's JSON value is complete (or read to its end when it never is), and the client
   * gets one ordinary response in its dialect built from what was read.
   */
  private void relayGathered(Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log) {
    boolean oneHour = ex.upstreamDialect() == Dialect.ANTHROPIC && AnthropicUsage.requestUsesOneHourTtl(ex.upstreamTree());
    StreamRelay relay = new StreamRelay(ex.upstreamDialect(), false, oneHour, null).exitAfterJson(false);
    StreamRelay.Outcome o = relay.relay(reply.body(), java.io.OutputStream.nullOutputStream(), seen -> {
      finishStream(ex, log, seen);
      return null;
    });
    if (!o.completed || o.earlyExit) {
      // after an early exit the rest is not wanted; closing the provider's stream stops its billing
      reply.cancel();
    }
    if (!o.completed) {
      finishStream(ex, log, o);
    }
    if (!o.completed || o.upstreamError != null) {
      throw GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE, log.provider + ": " + o.upstreamError
          + " (read as a stream for early_exit: json)");
    }
    if (o.earlyExit) {
      ex.exitedEarly(log.usage == null ? 0 : log.usage.outputTokens());
      log.trace = Answer.trace(ex.decisions().stream().filter(d -> !d.change().startsWith("provider "))
          .map(d -> d.stage() + ": " + d.change()).toList());
    }
    byte[] toClient = Json.bytes(WholeAnswer.of(ex.dialect(), o.first, log.modelUsed, o.text, log.finishReason,
        log.usage));
    log.responseBody = toClient;
    log.status = 200;
    res.status(200);
    Answer.upstreamHeaders(res, reply);
    res.header("content-type", "application/json");
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, log.baselinePicoUsd);
    res.send(toClient);
  }

  /** Settles the usage and cost of a stream: the provider's figures, or an estimate when they never came. */
  private void finishStream(Exchange ex, CallLog log, StreamRelay.Outcome o) {
    if (o.earlyExit) {
      ex.markStoppedEarly();
    }
    log.modelUsed = o.model;
    log.finishReason = o.finishReason;
    if (o.finalUsage) {
      log.usage = o.usage;
    } else if (ex.upstreamDialect() == Dialect.ANTHROPIC && o.usage != null) {
      log.usage = UsageEstimator.withKnownInput(o.usage, o.text);
    } else {
      log.usage = UsageEstimator.openAi(ex.upstreamTree(), o.text);
    }
    price(ex, log, Tier.fromServiceTier(o.serviceTier));
    o.settledUsage = log.usage;
  }

  private void price(Exchange ex, CallLog log, Tier tier) {
    pricing.price(ex, log, tier);
  }

  /** A provider error: passed through when it is in the caller's dialect, else rewritten into it. */
  private void relayError(Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log) {
    Dialect dialect = ex.dialect();
    byte[] bytes = readUpstream(reply, MAX_ERROR_BODY, log);
    int status = reply.status();
    JsonNode parsed = Json.tryParse(bytes);
    byte[] out;
    if (ex.translated()) {
      var mapped = Translation.error(ex, status, parsed, log.provider, log.id);
      out = mapped.body();
      log.error = log.provider + ": HTTP " + status;
      status = mapped.status();
    } else if (dialect == Dialect.OPENAI && OpenAiErrors.isErrorBody(parsed)
        || dialect == Dialect.ANTHROPIC && AnthropicErrors.isErrorBody(parsed)) {
      out = bytes;
    } else {
      byte[] normalised = dialect == Dialect.OPENAI ? OpenAiErrors.normalise(status, parsed) : null;
      String message = log.provider + ": HTTP " + status + (parsed == null ? " with a body that is not JSON" : "");
      out = normalised != null ? normalised : dialect == Dialect.ANTHROPIC
          ? AnthropicErrors.body(status, message, log.id)
          : OpenAiErrors.body(status, message, null, null);
    }
    log.status = status;
    if (log.error == null) {
      log.error = log.provider + ": HTTP " + status;
    }
    log.responseBody = bytes;
    log.usage = Usage.NONE;
    log.costPicoUsd = 0L;
    log.baselinePicoUsd = 0L;
    res.status(status);
    Answer.upstreamHeaders(res, reply);
    res.header("content-type", "application/json");
    Answer.identity(res, log);
    Answer.cost(res, 0L, 0L);
    res.send(out);
  }

  /** Reads a provider's whole answer (at most {@code max} bytes); a connection that breaks off is a 502. */
  private static byte[] readUpstream(UpstreamReply reply, int max, CallLog log) {
    try {
      return reply.readAll(max);
    } catch (IOException | RuntimeException e) {
      throw GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE, log.provider + ": the answer broke off before its end");
    }
  }

  private static String finishReason(Dialect dialect, JsonNode answer) {
    if (dialect == Dialect.ANTHROPIC) {
      return Json.textAt(answer, "stop_reason");
    }
    JsonNode choices = answer.path("choices");
    return choices.isArray() && !choices.isEmpty() ? Json.textAt(choices.get(0), "finish_reason") : null;
  }

  private static boolean isEventStream(UpstreamReply reply) {
    String type = reply.header("content-type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
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

package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.analytics.UsageEstimator;
import dev.tokenwise.api.anthropic.AnthropicUsage;
import dev.tokenwise.api.openai.OpenAiUsage;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Fallback;
import io.helidon.webserver.http.ServerResponse;
import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;

/**
 * The ways one attempt's answer reaches the client: whole, streamed event by event, or gathered from a
 * stream into a whole answer ({@code early_exit: json}). Each says whether anything reached the client:
 * until something has, a failed attempt is a {@link Miss} and the call may go to another model; after,
 * the client has its answer, or the part of it that came, and the stream's proper end.
 */
final class Relay {
  /** What came of relaying one attempt. */
  sealed interface Result permits Delivered, Miss {}

  /**
   * The answer reached the client.
   *
   * @param outcome {@code ok}, {@code broken} (a stream that failed after its first event) or
   *     {@code cancelled} (the client left)
   * @param error what broke, or null
   */
  record Delivered(String outcome, String error) implements Result {}

  /**
   * Nothing reached the client: the attempt gave no usable answer.
   *
   * @param status the provider's status (a 2xx whose body was no answer)
   * @param body the provider's body parsed as JSON, or null
   * @param cause the failure on the gateway's side, or null
   * @param error a short description for the log and the trace
   * @param costPicoUsd what the provider billed for it (0 unless it reported usage or generated text), or null
   */
  record Miss(int status, JsonNode body, Throwable cause, String error, Long costPicoUsd) implements Result {}

  private final Pricing pricing;
  private final Ledger ledger;

  Relay(Pricing pricing, Ledger ledger) {
    this.pricing = pricing;
    this.ledger = ledger;
  }

  /** Relays an answer that is not a stream (or a stream the client did not ask for and the gateway did not either). */
  Result whole(ProxyHandler.Endpoint endpoint, Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log,
      Runnable retrace) {
    byte[] bytes;
    try {
      bytes = reply.readAll(Integer.MAX_VALUE);
    } catch (IOException | RuntimeException e) {
      return new Miss(reply.status(), null, e, "the answer broke off before its end" + cut(reply), 0L);
    }
    JsonNode answer = Json.tryParse(bytes);
    Dialect upstream = ex.upstreamDialect();
    if (!Fallback.isAnswer(answer)) {
      Usage reported = answer != null && answer.path("usage").isObject() ? usage(endpoint, ex, answer.get("usage")) : null;
      // a 200 that carried usage was billed all the same
      Long cost = reported == null ? Long.valueOf(0L)
          : ledger.cost(log.provider, Json.textAt(answer, "model"), ex.upstreamModel(), reported, Tier.STANDARD);
      return new Miss(reply.status(), answer, null, "answered HTTP " + reply.status() + " with a body that is not a"
          + " valid " + (upstream == Dialect.ANTHROPIC ? "Messages" : "OpenAI") + " answer (" + bytes.length + " bytes"
          + (answer == null ? ", not JSON" : "") + ")", cost);
    }
    byte[] toClient = ex.translated() ? Translation.response(ex, answer) : bytes;
    log.responseBody = toClient;
    log.status = reply.status();
    log.modelUsed = Json.textAt(answer, "model");
    JsonNode reported = answer.get("usage");
    if (endpoint == ProxyHandler.Endpoint.COUNT_TOKENS) {
      log.usage = Usage.NONE;
    } else if (reported == null || !reported.isObject()) {
      log.usage = null;
      log.error = log.provider + ": the answer reported no usage, so its cost is unknown";
    } else {
      log.usage = usage(endpoint, ex, reported);
    }
    log.finishReason = finishReason(upstream, answer);
    String tier = upstream == Dialect.ANTHROPIC
        ? Json.textAt(answer.path("usage"), "service_tier") : Json.textAt(answer, "service_tier");
    pricing.price(ex, log, Tier.fromServiceTier(tier));
    retrace.run();
    res.status(reply.status());
    Answer.upstreamHeaders(res, reply.headers());
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, log.baselinePicoUsd);
    res.send(toClient);
    return new Delivered("ok", null);
  }

  private static Usage usage(ProxyHandler.Endpoint endpoint, Exchange ex, JsonNode reported) {
    return endpoint == ProxyHandler.Endpoint.EMBEDDINGS ? OpenAiUsage.parseEmbeddings(reported)
        : ex.upstreamDialect() == Dialect.OPENAI ? OpenAiUsage.parse(reported)
        : AnthropicUsage.parse(reported, AnthropicUsage.requestUsesOneHourTtl(ex.body()));
  }

  /** Relays a stream event by event; the status and headers go out with the first event. */
  Result stream(Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log, Runnable retrace) {
    boolean strip = ex.usageInjected();
    boolean oneHour = ex.upstreamDialect() == Dialect.ANTHROPIC && AnthropicUsage.requestUsesOneHourTtl(ex.upstreamTree());
    StreamRelay relay = new StreamRelay(ex.upstreamDialect(), strip, oneHour,
        ex.translated() ? Translation.stream(ex) : null);
    if (ex.earlyExitJson()) {
      relay.exitAfterJson(!strip && ex.dialect() == Dialect.OPENAI
          && ex.body().path("stream_options").path("include_usage").asBoolean(false));
    }
    ClientStream client = new ClientStream(res, () -> {
      retrace.run();
      if (log.modelUsed == null) {
        log.modelUsed = ex.upstreamModel(); // the stream names its model later; the header names the one asked
      }
      res.status(200);
      Answer.upstreamHeaders(res, reply.headers());
      res.header("content-type", "text/event-stream");
      res.header("cache-control", "no-cache");
      Answer.identity(res, log);
    });
    StreamRelay.Outcome o = relay.relay(reply.body(), client, seen -> {
      finishStream(ex, log, seen);
      return StreamRelay.costComment(Answer.usd(log.costPicoUsd), Answer.usd(log.baselinePicoUsd), log.id);
    });
    if (!o.reachedClient() && !o.clientGone) {
      reply.cancel();
      return new Miss(200, o.errorBeforeFirstByte, new EOFException(o.upstreamError + cut(reply)),
          o.upstreamError + cut(reply), missCost(ex, log, o));
    }
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
    if (o.earlyExit && !o.clientGone) {
      ex.exitedEarly(log.usage == null ? 0 : log.usage.outputTokens());
      retrace.run();
    }
    if (o.clientGone) {
      log.status = 499;
      log.error = "the client went away mid-stream; the provider call was cancelled";
      return new Delivered("cancelled", null);
    }
    if (o.upstreamError != null) {
      // the client got the part that came, then an error event in its dialect; the tokens are logged
      log.status = 502;
      log.error = log.provider + ": " + o.upstreamError + cut(reply);
      return new Delivered("broken", o.upstreamError + cut(reply));
    }
    log.status = 200;
    return new Delivered("ok", null);
  }

  /**
   * A whole answer read from the stream the gateway asked for ({@code early_exit: json}): the stream is
   * stopped once the answer's JSON value is complete (or read to its end when it never is, or when the
   * attempt's provider speaks the other dialect), and the client gets one ordinary response in its
   * dialect built from what was read. Nothing reaches the client before the whole answer is known, so
   * any failure is a {@link Miss}.
   */
  Result gathered(Exchange ex, UpstreamReply reply, ServerResponse res, CallLog log, Runnable retrace) {
    boolean oneHour = ex.upstreamDialect() == Dialect.ANTHROPIC && AnthropicUsage.requestUsesOneHourTtl(ex.upstreamTree());
    StreamRelay relay = new StreamRelay(ex.upstreamDialect(), false, oneHour, null);
    if (ex.earlyExitJson()) {
      relay.exitAfterJson(false);
    }
    StreamRelay.Outcome o = relay.relay(reply.body(), java.io.OutputStream.nullOutputStream(), seen -> {
      finishStream(ex, log, seen);
      return null;
    });
    if (!o.completed || o.earlyExit) {
      // after an early exit the rest is not wanted; closing the provider's stream stops its billing
      reply.cancel();
    }
    if (!o.completed || o.upstreamError != null) {
      String error = o.upstreamError + cut(reply) + " (read as a stream for early_exit: json)";
      return new Miss(200, o.errorBeforeFirstByte, new EOFException(error), error, missCost(ex, log, o));
    }
    if (o.earlyExit) {
      ex.exitedEarly(log.usage == null ? 0 : log.usage.outputTokens());
    }
    retrace.run();
    byte[] toClient = Json.bytes(WholeAnswer.of(ex.dialect(), ex.translated() ? null : o.first, log.modelUsed, o.text,
        log.finishReason, log.usage));
    log.responseBody = toClient;
    log.status = 200;
    res.status(200);
    Answer.upstreamHeaders(res, reply.headers());
    res.header("content-type", "application/json");
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, log.baselinePicoUsd);
    res.send(toClient);
    return new Delivered("ok", null);
  }

  /** Settles the usage and cost of a stream: the provider's figures, or an estimate when they never came. */
  private void finishStream(Exchange ex, CallLog log, StreamRelay.Outcome o) {
    if (o.earlyExit) {
      ex.markStoppedEarly();
    }
    log.modelUsed = o.model;
    log.finishReason = o.finishReason;
    log.usage = usage(ex, o);
    pricing.price(ex, log, Tier.fromServiceTier(o.serviceTier));
    o.settledUsage = log.usage;
  }

  private static Usage usage(Exchange ex, StreamRelay.Outcome o) {
    if (o.finalUsage) {
      return o.usage;
    }
    if (ex.upstreamDialect() == Dialect.ANTHROPIC && o.usage != null) {
      return UsageEstimator.withKnownInput(o.usage, o.text);
    }
    return UsageEstimator.openAi(ex.upstreamTree(), o.text);
  }

  /**
   * What a stream that gave no answer was billed: nothing unless the provider reported usage or
   * generated text before it failed (then its usage, estimated where it never came).
   */
  private Long missCost(Exchange ex, CallLog log, StreamRelay.Outcome o) {
    if (o.usage == null && o.text.isEmpty()) {
      return 0L;
    }
    return ledger.cost(log.provider, o.model, ex.upstreamModel(), usage(ex, o), Tier.fromServiceTier(o.serviceTier));
  }

  /** Why the gateway cut the answer, when it did (a timeout), for the log: {@code " (no response …)"}. */
  private static String cut(UpstreamReply reply) {
    String why = reply.failure();
    return why == null ? "" : " (" + why + ")";
  }

  private static String finishReason(Dialect dialect, JsonNode answer) {
    if (dialect == Dialect.ANTHROPIC) {
      return Json.textAt(answer, "stop_reason");
    }
    JsonNode choices = answer.path("choices");
    return choices.isArray() && !choices.isEmpty() ? Json.textAt(choices.get(0), "finish_reason") : null;
  }

  static boolean isEventStream(UpstreamReply reply) {
    String type = reply.header("content-type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }
}

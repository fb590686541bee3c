package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.api.anthropic.AnthropicErrors;
import dev.tokenwise.api.openai.OpenAiErrors;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Fallback;
import dev.tokenwise.policy.Pipeline;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends a prepared call through its fallback chain and relays the first usable answer. Each attempt
 * goes to the model {@link Fallback#next()} chose (translated when its provider speaks the other
 * dialect); what came of it goes back to the chain, which says whether anyone may be asked again. A
 * provider's error that is the request's fault goes back at once, in the caller's dialect; when no model
 * answered, the client gets one error in its dialect that lists every attempt, with the last provider's
 * status.
 */
final class Dispatcher {
  /** A provider error body larger than this is not read to the end. */
  private static final int MAX_ERROR_BODY = 1 << 20;
  /** A provider's error message is cut here in the attempt lines. */
  private static final int MAX_MESSAGE = 200;

  private final Pipeline pipeline;
  private final Relay relay;

  Dispatcher(Pipeline pipeline, Relay relay) {
    this.pipeline = pipeline;
    this.relay = relay;
  }

  /** A failed attempt, kept to answer the client with when no later one does. */
  private record Failure(int status, byte[] body, JsonNode parsed, Map<String, List<String>> headers,
      GatewayException exception) {}

  void run(ProxyHandler.Endpoint endpoint, Exchange ex, ServerResponse res, CallLog log) {
    Fallback chain = pipeline.fallback(ex);
    log.chain = chain;
    Failure last = null;
    while (chain.next()) {
      if (!prepare(ex, chain, log)) {
        continue;
      }
      UpstreamReply reply;
      try {
        reply = pipeline.send(ex, endpoint.upstreamPath(ex.upstreamDialect()), chain);
      } catch (GatewayException e) {
        if (!chain.failed(0, null, e, null, null, e.getMessage(), 0L)) {
          throw e;
        }
        last = new Failure(e.status(), null, null, Map.of(), e);
        continue;
      }
      try (reply) {
        log.ttfbMillis = (System.nanoTime() - ex.startNanos()) / 1_000_000;
        if (reply.status() >= 400) {
          Failure f = readError(reply, log);
          String message = providerMessage(f.parsed());
          if (chain.failed(f.status(), f.parsed(), null, reply.header("retry-after-ms"), reply.header("retry-after"),
              message, 0L)) {
            last = f;
            continue;
          }
          sendProviderError(ex, f, res, log);
          return;
        }
        int status = reply.status();
        Runnable retrace = () -> log.trace = trace(ex, chain, status);
        Relay.Result result = log.stream && Relay.isEventStream(reply) ? relay.stream(ex, reply, res, log, retrace)
            : ex.earlyExitWhole() && Relay.isEventStream(reply) ? relay.gathered(ex, reply, res, log, retrace)
            : relay.whole(endpoint, ex, reply, res, log, retrace);
        if (result instanceof Relay.Delivered d) {
          settle(chain, d, log);
          return;
        }
        Relay.Miss miss = (Relay.Miss) result;
        boolean goOn = chain.failed(miss.status(), miss.body(), miss.cause(), null, null, miss.error(),
            miss.costPicoUsd());
        last = new Failure(502, null, null, reply.headers(), GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE,
            log.provider + ": " + miss.error()));
        if (!goOn) {
          break; // an answer no model of the chain would improve on (a redirect, say)
        }
      }
    }
    answerFailure(ex, chain, last, res, log);
  }

  /**
   * Readies the call for the attempt {@link Fallback#next()} chose: the log's fields of the previous
   * attempt are cleared, the request is translated when its provider speaks the other dialect, and the
   * trace is brought up to date before any header can go out. False when the chosen model cannot take
   * the request after all (a fallback that cannot express it).
   */
  private boolean prepare(Exchange ex, Fallback chain, CallLog log) {
    log.provider = ex.route().providerName();
    log.usage = null;
    log.modelUsed = null;
    log.finishReason = null;
    log.error = null;
    log.responseBody = null;
    log.servedCostPicoUsd = null;
    log.earlierCostPicoUsd = chain.recordedCost();
    log.fallbackServed = ex.onFallback();
    if (ex.needsTranslation()) {
      try {
        Translation.request(ex, pipeline);
      } catch (GatewayException e) {
        chain.cannotSend(e.getMessage());
        if (!ex.onFallback()) {
          throw e; // the call as the client sent it cannot go where it was routed: the client's to fix
        }
        return false;
      }
    }
    log.attempts = chain.attempts().size() + 1;
    log.trace = trace(ex, chain);
    return true;
  }

  private static void settle(Fallback chain, Relay.Delivered d, CallLog log) {
    switch (d.outcome()) {
      case "broken" -> chain.broke(d.error());
      case "cancelled" -> chain.cancelled(log.status);
      default -> chain.answered(log.status);
    }
    chain.priced(log.servedCostPicoUsd);
  }

  private static Failure readError(UpstreamReply reply, CallLog log) {
    byte[] bytes;
    try {
      bytes = reply.readAll(MAX_ERROR_BODY);
    } catch (IOException | RuntimeException e) {
      bytes = new byte[0]; // the status says enough; a body cut short is no reason to hide it
    }
    return new Failure(reply.status(), bytes, Json.tryParse(bytes), reply.headers(), null);
  }

  /** The message of a provider's error body (either dialect's shape), shortened, or null. */
  private static String providerMessage(JsonNode body) {
    if (body == null) {
      return null;
    }
    String m = Json.textAt(body.path("error"), "message");
    if (m == null) {
      return null;
    }
    m = m.strip();
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
  }

  /**
   * No attempt answered, or none could be made. One attempt and nothing else (no model skipped, no
   * wait): its own error, as a call without a chain would have had it. Otherwise one error in the
   * caller's dialect listing every attempt and skipped model, with the last provider's status. No attempt
   * at all: the circuits were open, or the deadline had passed.
   */
  private void answerFailure(Exchange ex, Fallback chain, Failure last, ServerResponse res, CallLog log) {
    log.costPicoUsd = chain.recordedCost();
    log.baselinePicoUsd = 0L;
    log.usage = Usage.NONE;
    log.trace = trace(ex, chain);
    int attempts = chain.attempts().size();
    log.attempts = attempts;
    if (last == null) {
      String message = "tokenwise: no attempt was made: " + chain.stopReason() + " (" + chain.summary() + ")";
      if (chain.soonestProbe() != null) {
        long seconds = Math.max(1, (chain.soonestProbe().toMillis() + 999) / 1000);
        throw GatewayException.upstream(ErrorKind.OVERLOADED, 503, message + "; retry in " + seconds
            + " s, or add models to the policy's fallback list", null, Long.toString(seconds));
      }
      throw GatewayException.of(ErrorKind.UPSTREAM_TIMEOUT, message);
    }
    if (attempts == 1 && chain.quiet()) {
      if (last.exception() != null) {
        throw last.exception();
      }
      sendProviderError(ex, last, res, log);
      return;
    }
    String lastMessage;
    int status;
    String code = null;
    if (last.exception() != null) {
      status = last.exception().status();
      lastMessage = last.exception().getMessage();
    } else {
      ErrorTranslation mapped = map(ex, last, log);
      status = mapped.status;
      JsonNode error = Json.tryParse(mapped.body).path("error");
      lastMessage = Json.textAt(error, "message");
      code = Json.textAt(error, "code");
    }
    String summary = chain.summary();
    // the last provider's own words, unless its attempt line already quotes them ("anthropic: " aside)
    String bare = lastMessage == null || !lastMessage.contains(": ") ? lastMessage
        : lastMessage.substring(lastMessage.indexOf(": ") + 2);
    String message = "tokenwise: no model answered after " + attempts + (attempts == 1 ? " attempt (" : " attempts (")
        + chain.stopReason() + "): " + summary
        + (lastMessage == null || summary.contains(bare) ? "" : "; the last said: " + lastMessage);
    log.status = status;
    log.error = message;
    res.status(status);
    Answer.upstreamHeaders(res, last.headers());
    res.header("content-type", "application/json");
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, log.baselinePicoUsd);
    res.send(ex.dialect() == Dialect.ANTHROPIC ? AnthropicErrors.body(status, message, log.id)
        : OpenAiErrors.body(status, message, null, code != null ? code : "upstream_failed"));
  }

  /** A provider error that goes back to the client: passed through in its dialect, else rewritten into it. */
  private static void sendProviderError(Exchange ex, Failure f, ServerResponse res, CallLog log) {
    ErrorTranslation mapped = map(ex, f, log);
    log.status = mapped.status;
    if (log.error == null) {
      log.error = log.provider + ": HTTP " + f.status();
    }
    log.responseBody = f.body();
    log.usage = Usage.NONE;
    log.costPicoUsd = log.earlierCostPicoUsd == null ? null : log.earlierCostPicoUsd;
    log.baselinePicoUsd = 0L;
    res.status(mapped.status);
    Answer.upstreamHeaders(res, f.headers());
    res.header("content-type", "application/json");
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, 0L);
    res.send(mapped.body);
  }

  /** The status and body the client gets for a provider's error. */
  private record ErrorTranslation(int status, byte[] body) {}

  private static ErrorTranslation map(Exchange ex, Failure f, CallLog log) {
    Dialect dialect = ex.dialect();
    int status = f.status();
    JsonNode parsed = f.parsed();
    if (ex.translated()) {
      var mapped = Translation.error(ex, status, parsed, log.provider, log.id);
      log.error = log.provider + ": HTTP " + status;
      return new ErrorTranslation(mapped.status(), mapped.body());
    }
    if (dialect == Dialect.OPENAI && OpenAiErrors.isErrorBody(parsed)
        || dialect == Dialect.ANTHROPIC && AnthropicErrors.isErrorBody(parsed)) {
      return new ErrorTranslation(status, f.body());
    }
    byte[] normalised = dialect == Dialect.OPENAI ? OpenAiErrors.normalise(status, parsed) : null;
    String message = log.provider + ": HTTP " + status + (parsed == null ? " with a body that is not JSON" : "");
    return new ErrorTranslation(status, normalised != null ? normalised : dialect == Dialect.ANTHROPIC
        ? AnthropicErrors.body(status, message, log.id)
        : OpenAiErrors.body(status, message, null, null));
  }

  /** The call's trace: what the stages changed, then the fallback chain's attempts when there was more than one. */
  static String trace(Exchange ex, Fallback chain) {
    return trace(ex, chain, 0);
  }

  /** The call's trace as its answer's headers go out, the attempt in flight answering with {@code status}. */
  static String trace(Exchange ex, Fallback chain, int status) {
    List<String> lines = new ArrayList<>();
    ex.decisions().stream().filter(d -> !d.change().startsWith("provider "))
        .forEach(d -> lines.add(d.stage() + ": " + d.change()));
    if (chain != null) {
      lines.addAll(chain.trace(status));
    }
    return Answer.trace(lines);
  }
}

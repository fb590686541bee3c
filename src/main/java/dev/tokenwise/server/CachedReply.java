package dev.tokenwise.server;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.api.anthropic.AnthropicStreamToWhole;
import dev.tokenwise.api.anthropic.AnthropicWholeToStream;
import dev.tokenwise.api.openai.OpenAiStreamToWhole;
import dev.tokenwise.api.openai.OpenAiWholeToStream;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.Exchange;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Answers a call from the response cache, in the form it asked for: the stored whole answer as it is,
 * or, for a call that asked for a stream, the events the provider would have sent for it. A streamed
 * answer is stored whole, built from the events the client received.
 */
final class CachedReply {
  private CachedReply() {}

  /**
   * Sends a stored answer and fills the call's log row: no call to answer it, so the cost is only what
   * embedding the question cost (0 in process), and the baseline is the stored call's.
   */
  static void send(Exchange ex, CachedAnswer hit, ServerResponse res, CallLog log, Long embeddingCost) {
    log.status = 200;
    log.attempts = 0;
    log.modelUsed = hit.model();
    log.finishReason = hit.finishReason();
    log.usage = Usage.NONE;
    log.costPicoUsd = embeddingCost;
    log.baselinePicoUsd = hit.baselinePicoUsd() < 0 ? null : hit.baselinePicoUsd();
    log.savings = List.of(log.baselinePicoUsd == null || embeddingCost == null
        ? "savings: cache unknown (the stored call or the embedding had no price)"
        : "savings: cache " + Cost.usd(log.baselinePicoUsd - embeddingCost) + " USD");
    log.trace = Answer.trace(ex.decisions().stream().filter(d -> !d.change().startsWith("provider "))
        .map(d -> d.stage() + ": " + d.change()).toList());
    byte[] out;
    if (log.stream) {
      boolean includeUsage = ex.body().path("stream_options").path("include_usage").asBoolean(false);
      byte[] events = streamFromWhole(ex.dialect(), hit.body(), includeUsage);
      out = withCostComment(events, StreamRelay.costComment(Answer.usd(log.costPicoUsd), Answer.usd(log.baselinePicoUsd), log.id));
      res.header("content-type", "text/event-stream");
      res.header("cache-control", "no-cache");
    } else {
      out = hit.body();
      res.header("content-type", "application/json");
    }
    log.responseBody = out;
    res.status(200);
    Answer.identity(res, log);
    Answer.cost(res, log.costPicoUsd, log.baselinePicoUsd);
    res.send(out);
  }

  /**
   * The whole answer a streamed call would have had, from the events the client received, or null
   * when the stream did not end properly. An OpenAI stream carries usage only when the client asked
   * for it; the gateway's own figures fill the gap so that a whole answer served later has them.
   */
  static byte[] wholeFromStream(Dialect dialect, byte[] events, Usage usage) {
    java.util.Optional<byte[]> whole = dialect == Dialect.OPENAI
        ? OpenAiStreamToWhole.wholeFromStream(events, usage == null ? null : WholeAnswer.openAiUsage(usage))
        : AnthropicStreamToWhole.wholeFromStream(events);
    return whole.orElse(null);
  }

  /**
   * Whether a whole answer can be served to both kinds of client: a body that cannot be turned into a
   * stream (audio, a custom tool call) is not worth keeping.
   */
  static boolean servable(Dialect dialect, byte[] whole) {
    try {
      streamFromWhole(dialect, whole, true);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The events of a stream equivalent to a whole answer. */
  static byte[] streamFromWhole(Dialect dialect, byte[] whole, boolean includeUsage) {
    return dialect == Dialect.OPENAI ? OpenAiWholeToStream.streamFromWhole(whole, includeUsage)
        : AnthropicWholeToStream.streamFromWhole(whole);
  }

  /** The events with the cost comment put before the last one, as a relayed stream has it. */
  static byte[] withCostComment(byte[] events, byte[] comment) {
    int end = events.length;
    while (end > 0 && (events[end - 1] == '\n' || events[end - 1] == '\r')) {
      end--;
    }
    int lastStart = 0;
    for (int i = end - 1; i > 0; i--) {
      if (events[i] == '\n' && events[i - 1] == '\n') {
        lastStart = i + 1;
        break;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(events.length + comment.length);
    out.write(events, 0, lastStart);
    out.writeBytes(comment);
    out.write(events, lastStart, events.length - lastStart);
    return out.toByteArray();
  }
}

package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.UsageEstimator;
import dev.tokenwise.api.anthropic.AnthropicErrors;
import dev.tokenwise.api.anthropic.AnthropicStreamUsage;
import dev.tokenwise.api.openai.OpenAiErrors;
import dev.tokenwise.api.openai.OpenAiStreamUsage;
import dev.tokenwise.api.translate.StreamTranslator;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import dev.tokenwise.core.SseReader;
import dev.tokenwise.core.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Passes a provider's event stream to the client event by event, unchanged except for what the gateway
 * owns: the OpenAI usage chunk the gateway asked for is removed when the client did not ask for it,
 * and a comment line with the call's cost goes before the final event. Usage is read on the way; a
 * client that goes away stops the relay at once so the caller can cancel the upstream call. With
 * {@code early_exit: json} the relay stops once the answer's JSON value is complete and ends the client's
 * stream itself (see {@link JsonExit}); the caller then cancels the upstream call.
 */
final class StreamRelay {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  /** What the relay saw. */
  static final class Outcome {
    Usage usage;
    boolean finalUsage;
    String finishReason;
    String model;
    boolean completed;
    boolean clientGone;
    String upstreamError;
    /** The provider itself reported the failure in the stream, so the client already has an error event. */
    boolean providerSentError;
    long firstByteNanos;
    String text = "";
    String serviceTier;
    /** The stream stopped after the answer's JSON value; the provider was not read to its end. */
    boolean earlyExit;
    /** The first event's data (OpenAI's first chunk, Anthropic's {@code message_start}): the answer's identity. */
    ObjectNode first;
    /** The provider's error event, when it sent one before anything reached the client, else null. */
    JsonNode errorBeforeFirstByte;
    /** The usage the footer settled on (an estimate after an early exit), or null. */
    Usage settledUsage;
    final ByteArrayOutputStream relayed = new ByteArrayOutputStream();

    /**
     * Whether anything reached the client. Until it has, a stream that fails is no answer at all and
     * the call may go to another model; once it has, the client's stream ends with an error event.
     */
    boolean reachedClient() {
      return firstByteNanos != 0;
    }
  }

  private final Dialect dialect;
  private final boolean stripUsage;
  private final boolean requestUsedOneHourTtl;
  private final StreamTranslator translator;
  private boolean exitAfterJson;
  private boolean clientUsage;

  /**
   * @param dialect the provider's wire format, which the usage is read in
   * @param stripUsage remove the OpenAI usage chunk (the client did not ask for it)
   * @param requestUsedOneHourTtl Anthropic: the request asked for 1-hour cache writes
   * @param translator writes each event in the client's dialect when it is not the provider's, or null
   */
  StreamRelay(Dialect dialect, boolean stripUsage, boolean requestUsedOneHourTtl, StreamTranslator translator) {
    this.dialect = dialect;
    this.stripUsage = stripUsage;
    this.requestUsedOneHourTtl = requestUsedOneHourTtl;
    this.translator = translator;
  }

  /**
   * Stops the relay once the answer's JSON value is complete, for a stream in the client's own dialect.
   *
   * @param clientAskedForUsage OpenAI: the client asked for the usage chunk, so the end carries one
   */
  StreamRelay exitAfterJson(boolean clientAskedForUsage) {
    this.exitAfterJson = translator == null;
    this.clientUsage = clientAskedForUsage;
    return this;
  }

  /**
   * Relays until the final event, the provider's end of stream, or the client's departure.
   *
   * @param footer given what the relay saw, the comment line to write before the final event
   */
  Outcome relay(InputStream upstream, OutputStream client, Function<Outcome, byte[]> footer) {
    Outcome o = new Outcome();
    OpenAiStreamUsage openai = dialect == Dialect.OPENAI ? new OpenAiStreamUsage() : null;
    AnthropicStreamUsage anthropic = dialect == Dialect.ANTHROPIC ? new AnthropicStreamUsage(requestUsedOneHourTtl) : null;
    pump(upstream, client, footer, o, openai, anthropic);
    if (!o.completed) {
      readUsage(o, openai, anthropic);
    }
    return o;
  }

  private void pump(InputStream upstream, OutputStream client, Function<Outcome, byte[]> footer, Outcome o,
      OpenAiStreamUsage openai, AnthropicStreamUsage anthropic) {
    SseReader reader = new SseReader(upstream);
    JsonExit exit = exitAfterJson ? new JsonExit(dialect, clientUsage) : null;
    if (translator != null) {
      translator.beforeFinal(() -> {
        readUsage(o, openai, anthropic);
        o.completed = true;
        return footer.apply(o);
      });
    }
    while (true) {
      SseEvent event;
      try {
        event = reader.next();
      } catch (IOException | RuntimeException e) {
        // the client library reports a dropped connection unchecked as well as checked
        o.upstreamError = "the provider's stream broke off";
        break;
      }
      if (event == null) {
        break;
      }
      if (event.isComment() && !o.reachedClient()) {
        // a keep-alive before the first event would commit the client's stream, and with it the provider
        continue;
      }
      byte[] out = event.raw();
      boolean last = false;
      boolean valueEnded = false;
      JsonNode parsed = null; // each event is parsed once, here, and handed to the translator
      if (event.data() != null) {
        if (openai != null) {
          if (event.data().equals("[DONE]")) {
            last = true;
          } else {
            JsonNode chunk = Json.tryParse(event.data().getBytes(StandardCharsets.UTF_8));
            parsed = chunk;
            if (!o.reachedClient() && unusableFirst(o, chunk, chunk != null && chunk.path("error").isObject())) {
              break;
            }
            if (chunk != null && chunk.isObject()) {
              if (o.first == null) {
                o.first = (ObjectNode) chunk.deepCopy();
              }
              if (exit != null && exit.onOpenAiChunk((ObjectNode) chunk)) {
                valueEnded = true;
                out = frame(chunk);
              }
              openai.onChunk(chunk);
              if (chunk.path("error").isObject()) {
                o.upstreamError = "the provider sent an error in the stream";
                o.providerSentError = true;
              }
              if (stripUsage && chunk.has("usage")) {
                if (chunk.get("usage").isObject() && chunk.path("choices").isEmpty()) {
                  out = null;
                } else {
                  ((ObjectNode) chunk).remove("usage");
                  out = frame(chunk);
                }
              }
            }
          }
        } else {
          JsonNode data = Json.tryParse(event.data().getBytes(StandardCharsets.UTF_8));
          parsed = data;
          String type = event.event() != null ? event.event() : data == null ? "" : data.path("type").asText();
          if (!o.reachedClient() && unusableFirst(o, data, type.equals("error"))) {
            break;
          }
          if (o.first == null && data instanceof ObjectNode node) {
            o.first = node.deepCopy();
          }
          if (exit != null && data instanceof ObjectNode node && exit.onAnthropicEvent(type, node)) {
            valueEnded = true;
            out = JsonExit.event(type, node).getBytes(StandardCharsets.UTF_8);
          }
          if (data != null) {
            anthropic.onEvent(type, data);
          }
          if (type.equals("error")) {
            o.upstreamError = "the provider sent an error event";
            o.providerSentError = true;
          }
          last = type.equals("message_stop");
        }
      }
      if (translator != null) {
        // the translator emits the client's final event, with the cost comment before it
        if (!write(o, client, translator.onEvent(event, parsed != null && parsed.isObject() ? parsed : null)) || !flush(o, client) || last) {
          return;
        }
        continue;
      }
      if (last) {
        readUsage(o, openai, anthropic);
        o.completed = true;
        if (!write(o, client, footer.apply(o)) || !write(o, client, out)) {
          return;
        }
        flush(o, client);
        return;
      }
      if (out != null && !write(o, client, out)) {
        return;
      }
      if (out != null && !flush(o, client)) {
        return;
      }
      if (valueEnded) {
        endAfterJson(o, client, footer, exit, openai, anthropic);
        return;
      }
    }
    if (!o.completed && o.upstreamError == null) {
      o.upstreamError = "the provider's stream ended before its final event";
    }
    if (o.upstreamError != null && !o.providerSentError && o.reachedClient()) {
      // before anything reached the client the caller answers it, from another model or with an error
      byte[] error = translator != null ? translator.abort("tokenwise: " + o.upstreamError)
          : dialect == Dialect.OPENAI
          ? OpenAiErrors.streamEvent(502, "tokenwise: " + o.upstreamError, "upstream_stream_truncated")
          : AnthropicErrors.streamEvent(502, "tokenwise: " + o.upstreamError);
      if (write(o, client, error)) {
        flush(o, client);
      }
    }
  }

  /**
   * Checks an event that came before anything reached the client: one that is not JSON (an HTML page
   * where a stream was due) or the provider's error event ends the relay without a byte written, so the
   * caller can ask another model; returns whether it did.
   */
  private static boolean unusableFirst(Outcome o, JsonNode data, boolean error) {
    if (data == null || !data.isObject()) {
      o.upstreamError = "the provider's stream began with an event that is not JSON";
      return true;
    }
    if (error) {
      o.upstreamError = "the provider's stream began with an error: "
          + data.path("error").path("message").asText(data.path("error").path("type").asText("no message"));
      o.errorBeforeFirstByte = data;
      return true;
    }
    return false;
  }

  /** Ends the client's stream as the provider would have had it stopped after the JSON value. */
  private void endAfterJson(Outcome o, OutputStream client, Function<Outcome, byte[]> footer, JsonExit exit,
      OpenAiStreamUsage openai, AnthropicStreamUsage anthropic) {
    readUsage(o, openai, anthropic);
    o.finishReason = exit.finishReason();
    o.completed = true;
    o.earlyExit = true;
    byte[] comment = footer.apply(o);
    Usage usage = o.settledUsage != null ? o.settledUsage
        : new Usage(0, 0, 0, 0, UsageEstimator.countTokens(o.text), 0, true);
    if (write(o, client, exit.beforeComment(usage)) && write(o, client, comment) && write(o, client, exit.last())) {
      flush(o, client);
    }
  }

  private void readUsage(Outcome o, OpenAiStreamUsage openai, AnthropicStreamUsage anthropic) {
    if (openai != null) {
      o.usage = openai.usage().orElse(null);
      o.finalUsage = o.usage != null;
      o.finishReason = openai.finishReason();
      o.model = openai.model();
      o.text = openai.relayedText();
      o.serviceTier = openai.serviceTier();
    } else {
      o.usage = anthropic.sawStart() ? anthropic.usage() : null;
      o.finalUsage = anthropic.sawFinalUsage();
      o.finishReason = anthropic.stopReason();
      o.model = anthropic.model();
      o.text = anthropic.relayedText();
      o.serviceTier = anthropic.serviceTier();
    }
  }

  private static byte[] frame(JsonNode chunk) {
    return ("data: " + Json.string(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static boolean write(Outcome o, OutputStream client, byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return true;
    }
    try {
      client.write(bytes);
      if (o.firstByteNanos == 0) {
        o.firstByteNanos = System.nanoTime();
      }
      if (o.relayed.size() < CallLog.MAX_STORED_BODY) {
        o.relayed.write(bytes, 0, bytes.length);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      o.clientGone = true;
      return false;
    }
  }

  private static boolean flush(Outcome o, OutputStream client) {
    try {
      client.flush();
      return true;
    } catch (IOException | RuntimeException e) {
      o.clientGone = true;
      return false;
    }
  }

  /** The final SSE comment that carries the call's cost (clients ignore comment lines). */
  static byte[] costComment(String costUsd, String baselineUsd, String requestId) {
    return (": x-tokenwise-cost-usd=" + costUsd + " x-tokenwise-baseline-usd=" + baselineUsd
        + " x-tokenwise-request-id=" + requestId + "\n\n").getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] done() {
    return DONE.clone();
  }
}

package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.SseEvent;
import java.util.function.Supplier;

/** Turns a provider's stream in one wire format into the client's, one upstream event at a time. */
public interface StreamTranslator {

  /** The bytes to send the client for one upstream event (possibly none). */
  default byte[] onEvent(SseEvent upstream) {
    return onEvent(upstream, Frames.object(upstream.data()));
  }

  /**
   * The same, for a caller that has already parsed the event's data: {@code data} is that JSON object,
   * or null when the data is absent or not an object.
   */
  byte[] onEvent(SseEvent upstream, JsonNode data);

  /** Whether the upstream's final event (message_stop / [DONE]) has been seen. */
  boolean finished();

  /**
   * The bytes that close the client's stream when the upstream ended without its final event: an
   * in-band error event in the client's dialect with this message.
   */
  byte[] abort(String message);

  /**
   * Sets what to write just before the client's final event; the supplier is asked at that moment, so
   * it can see everything the stream carried, and may return null for nothing.
   */
  void beforeFinal(Supplier<byte[]> extra);
}

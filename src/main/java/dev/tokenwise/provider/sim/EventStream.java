package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import io.helidon.webserver.CloseConnectionException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes server-sent events one at a time, flushing each, pausing between them and cutting the
 * connection where a rule says. A write that fails means the client went away: the call is marked
 * cancelled and generation stops there.
 */
final class EventStream {
  private final OutputStream out;
  private final CallLog.Entry call;
  private final Duration delay;
  private final int dropAfter;
  private int sent;

  EventStream(OutputStream out, CallLog.Entry call, Duration delay, int dropAfter) {
    this.out = out;
    this.call = call;
    this.delay = delay;
    this.dropAfter = dropAfter;
  }

  /** An OpenAI-style event: a data line only. */
  void data(JsonNode json) {
    raw("data: " + Json.string(json) + "\n\n");
  }

  /** An Anthropic-style event: a named event with a data line. */
  void event(String name, JsonNode json) {
    raw("event: " + name + "\ndata: " + Json.string(json) + "\n\n");
  }

  /** One event exactly as given. */
  void raw(String event) {
    if (sent == dropAfter) {
      call.finish(Call.State.DROPPED);
      // Closing without the last chunk of the chunked body: the client sees the connection end early.
      throw new CloseConnectionException("stream cut by a dropAfter rule after " + sent + " events");
    }
    if (sent > 0) {
      Exchange.pause(delay);
    }
    byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
    try {
      Exchange.write(out, bytes, 0, bytes.length);
    } catch (Exchange.ClientGone e) {
      call.finish(Call.State.CANCELLED);
      throw new CloseConnectionException("client went away mid-stream", e);
    }
    sent++;
  }

  /** Ends the stream normally. */
  void finish() {
    try {
      out.close();
    } catch (java.io.IOException | RuntimeException e) {
      call.finish(Call.State.CANCELLED);
      throw new CloseConnectionException("client went away at the end of the stream", e);
    }
    call.finish(Call.State.COMPLETED);
  }
}

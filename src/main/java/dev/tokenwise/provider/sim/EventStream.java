package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import io.helidon.webserver.CloseConnectionException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes server-sent events one at a time, flushing each, pausing between them and ending early
 * where a rule says: cut ({@code dropAfter}: the connection closes mid-body), clean but short
 * ({@code truncate}: the body ends properly without the rest), or with an in-band error event. A
 * write that fails means the client went away: the call is marked cancelled and generation stops.
 * An early end throws {@link Ended} (clean) or {@link CloseConnectionException} (cut), so that the
 * writer of the events stops where it is.
 */
final class EventStream {
  private final OutputStream out;
  private final CallLog.Entry call;
  private final Duration delay;
  private final int dropAfter;
  private final int truncateAfter;
  private final int errorAfter;
  private final String errorEvent;
  private int sent;

  EventStream(OutputStream out, CallLog.Entry call, Plan plan, String errorEvent) {
    this.out = out;
    this.call = call;
    this.delay = plan.streamDelay();
    this.dropAfter = plan.dropAfter();
    this.truncateAfter = plan.truncateAfter();
    this.errorAfter = errorEvent == null ? -1 : plan.failAfterEvents();
    this.errorEvent = errorEvent;
  }

  /** An OpenAI-style event: a data line only. */
  void data(JsonNode json) {
    raw("data: " + Json.string(json) + "\n\n");
  }

  /** An Anthropic-style event: a named event with a data line. */
  void event(String name, JsonNode json) {
    raw(named(name, json));
  }

  /** The text of a named event. */
  static String named(String name, JsonNode json) {
    return "event: " + name + "\ndata: " + Json.string(json) + "\n\n";
  }

  /** One event exactly as given. */
  void raw(String event) {
    if (sent == dropAfter) {
      call.finish(Call.State.DROPPED);
      // Closing without the last chunk of the chunked body: the client sees the connection end early.
      throw new CloseConnectionException("stream cut by a dropAfter rule after " + sent + " events");
    }
    if (sent == errorAfter) {
      write(errorEvent);
      close(Call.State.COMPLETED);
      throw new Ended();
    }
    if (sent == truncateAfter) {
      close(Call.State.TRUNCATED);
      throw new Ended();
    }
    write(event);
  }

  /** Sends the stream's terminal event ({@code data: [DONE]}, {@code message_stop}) and ends it. */
  void end(String terminalEvent) {
    if (truncateAfter == Plan.BEFORE_END) {
      close(Call.State.TRUNCATED);
      return;
    }
    raw(terminalEvent);
    close(Call.State.COMPLETED);
  }

  private void write(String event) {
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

  /** Ends the chunked body properly, whatever was or was not sent. */
  private void close(Call.State end) {
    try {
      out.close();
    } catch (java.io.IOException | RuntimeException e) {
      call.finish(Call.State.CANCELLED);
      throw new CloseConnectionException("client went away at the end of the stream", e);
    }
    call.finish(end);
  }

  /** The stream ended early but cleanly, as a rule asked; nothing more is to be written. */
  static final class Ended extends RuntimeException {
    Ended() {
      super("stream ended early by a rule", null, false, false);
    }
  }
}

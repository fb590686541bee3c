package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request the simulator received, as a snapshot taken when it was read from the log.
 *
 * @param method the HTTP method
 * @param path the request path, without the query
 * @param headers request headers by lower-case name (repeated values joined with ", "); the values
 *     of {@code authorization} and {@code x-api-key} are replaced by {@link #REDACTED}
 * @param body the request body as text (empty when there was none)
 * @param status the HTTP status answered, or 0 while nothing has been sent yet
 * @param state how far the answer got
 */
public record Call(
    String method, String path, Map<String, String> headers, String body, int status, State state) {

  /** What stands in the headers for a secret that was present. */
  public static final String REDACTED = "[redacted]";

  /** How far the answer to a call got. */
  public enum State {
    /** The answer is still being written. */
    IN_FLIGHT,
    /** The answer was written in full. */
    COMPLETED,
    /** The client went away before the answer was written in full. */
    CANCELLED,
    /** A rule cut the connection on purpose ({@code dropAfter}, {@code reset}). */
    DROPPED,
    /** A rule ended the answer early but cleanly ({@code truncate}). */
    TRUNCATED
  }

  public Call {
    headers = Map.copyOf(headers);
  }

  /** Whether the answer was written in full. */
  public boolean completed() {
    return state == State.COMPLETED;
  }

  /** Whether the client went away mid-answer, so the simulator stopped generating. */
  public boolean cancelled() {
    return state == State.CANCELLED;
  }

  /** Whether the answer is over, whichever way it ended. */
  public boolean finished() {
    return state != State.IN_FLIGHT;
  }

  /** The header value by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The body parsed as JSON, or null when it is not JSON. */
  public JsonNode json() {
    return Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
  }
}

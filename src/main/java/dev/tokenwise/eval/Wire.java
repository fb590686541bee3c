package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.api.translate.ChatTexts;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What an eval needs of the two chat dialects: the input of a call as text a person (or a judge) can
 * read, the text of an answer, and the call made ready for another model.
 */
final class Wire {
  private Wire() {}

  /** The call as it goes to a candidate: the model swapped, whole rather than streamed. */
  static ObjectNode forModel(ObjectNode request, String model) {
    ObjectNode copy = request.deepCopy();
    copy.put("model", model);
    copy.remove("stream");
    copy.remove("stream_options");
    return copy;
  }

  /** The conversation as readable text: {@code system:\n…\n\nuser:\n…}, long ones cut to their head and latest turns. */
  static String input(Dialect dialect, JsonNode request) {
    return ChatTexts.input(dialect, request);
  }

  /** The answer's text from a response body in a dialect, whole or streamed; empty when it has none. */
  static Optional<String> answer(Dialect dialect, byte[] body, boolean stream) {
    return Optional.ofNullable(ChatTexts.answer(dialect, body, stream));
  }

  /** The answer's text from a stored body. */
  static Optional<String> answer(Dialect dialect, String body, boolean stream) {
    return body == null ? Optional.empty() : answer(dialect, body.getBytes(StandardCharsets.UTF_8), stream);
  }

  /** The input and output tokens an answer reports ({@code [0, 0]} when it reports none). */
  static long[] tokens(Dialect dialect, JsonNode answer) {
    if (answer == null) {
      return new long[] {0, 0};
    }
    JsonNode u = answer.path("usage");
    if (dialect == Dialect.ANTHROPIC) {
      return new long[] {u.path("input_tokens").asLong() + u.path("cache_read_input_tokens").asLong()
          + u.path("cache_creation_input_tokens").asLong(), u.path("output_tokens").asLong()};
    }
    return new long[] {u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong()};
  }
}

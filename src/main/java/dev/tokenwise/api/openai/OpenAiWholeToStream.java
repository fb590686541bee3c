package dev.tokenwise.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.TextPieces;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the chat-completion stream equivalent to a whole response, for a cached answer served to a
 * client that asked for {@code stream: true}: the chunks OpenAI sends, framed as OpenAI frames them.
 *
 * <p>Design note: every choice first gets a chunk with the role, then its text, refusal and tool-call
 * fragments; the chunks with a {@code finish_reason} all come after the other chunks of every choice,
 * as OpenAI sends them, because the official Java SDK's accumulator treats the stream as finished once
 * every choice it has seen so far has finished. Text goes out in pieces of at most {@value #PIECE}
 * chars; each tool call opens with its id, type, name and empty arguments, then its arguments follow in
 * pieces under the same {@code index}. Log probabilities ride on the choice's first chunk with text.
 */
public final class OpenAiWholeToStream {
  static final int PIECE = 64;

  private final ObjectNode head;
  private final boolean includeUsage;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

  private OpenAiWholeToStream(ObjectNode head, boolean includeUsage) {
    this.head = head;
    this.includeUsage = includeUsage;
  }

  /**
   * The SSE bytes of the stream, {@code data: [DONE]} included.
   *
   * @param wholeJson a {@code chat.completion} response body
   * @param includeUsage whether the client asked for {@code stream_options.include_usage}: then every
   *     chunk has {@code "usage": null} and a last chunk with no choices carries the response's usage
   * @throws IllegalArgumentException when the body is not a chat completion, or holds what a stream
   *     here cannot carry (audio, custom tool calls, the deprecated {@code function_call})
   */
  public static byte[] streamFromWhole(byte[] wholeJson, boolean includeUsage) {
    JsonNode whole = Json.tryParse(wholeJson);
    if (whole == null || !whole.isObject() || !whole.path("choices").isArray() || whole.get("choices").isEmpty()) {
      throw new IllegalArgumentException("the cached body is not a chat completion with choices");
    }
    ObjectNode head = Json.object();
    head.set("id", whole.get("id"));
    head.put("object", "chat.completion.chunk");
    head.set("created", whole.get("created"));
    head.set("model", whole.get("model"));
    for (String field : new String[] {"service_tier", "system_fingerprint"}) {
      if (whole.has(field)) {
        head.set(field, whole.get(field));
      }
    }
    OpenAiWholeToStream stream = new OpenAiWholeToStream(head, includeUsage);
    List<ObjectNode> finishing = new ArrayList<>();
    int position = 0;
    for (JsonNode choice : whole.get("choices")) {
      finishing.add(stream.choice(choice, choice.path("index").asInt(position)));
      position++;
    }
    finishing.forEach(stream::chunk);
    if (includeUsage && whole.path("usage").isObject()) {
      ObjectNode last = head.deepCopy();
      last.putArray("choices");
      last.set("usage", whole.get("usage"));
      stream.write(last);
    }
    stream.out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    return stream.out.toByteArray();
  }

  /** Writes one choice's chunks but the last, and returns that last one, which carries the finish reason. */
  private ObjectNode choice(JsonNode choice, int index) {
    JsonNode message = choice.path("message");
    for (String unsupported : new String[] {"audio", "function_call"}) {
      if (message.hasNonNull(unsupported)) {
        throw new IllegalArgumentException("a cached answer with " + unsupported + " cannot be streamed");
      }
    }
    String content = Json.textAt(message, "content");
    String refusal = Json.textAt(message, "refusal");
    JsonNode calls = message.path("tool_calls");
    JsonNode logprobs = choice.get("logprobs");
    if (logprobs != null && logprobs.isNull()) {
      logprobs = null;
    }

    ObjectNode role = Json.object();
    role.put("role", "assistant");
    role.put("content", content == null ? null : "");
    int call = 0;
    if (content == null && calls.size() > 0) {
      role.putArray("tool_calls").add(callStart(calls.get(0), 0)); // as OpenAI opens a call-only answer
      call = 1;
    }
    role.put("refusal", refusal == null ? null : "");
    chunk(part(index, role, null, null));

    List<ObjectNode> texts = new ArrayList<>();
    for (String piece : TextPieces.of(content == null ? "" : content, PIECE)) {
      texts.add(Json.object().put("content", piece));
    }
    for (String piece : TextPieces.of(refusal == null ? "" : refusal, PIECE)) {
      texts.add(Json.object().put("refusal", piece));
    }
    for (ObjectNode delta : texts) {
      chunk(part(index, delta, logprobs, null));
      logprobs = null;
    }
    if (call == 1) {
      arguments(index, calls.get(0), 0);
    }
    for (; call < calls.size(); call++) {
      ObjectNode delta = Json.object();
      delta.putArray("tool_calls").add(callStart(calls.get(call), call));
      chunk(part(index, delta, null, null));
      arguments(index, calls.get(call), call);
    }
    JsonNode annotations = message.path("annotations");
    if (annotations.isArray() && !annotations.isEmpty()) {
      ObjectNode delta = Json.object();
      delta.set("annotations", annotations);
      chunk(part(index, delta, null, null));
    }
    String reason = Json.textAt(choice, "finish_reason");
    return part(index, Json.object(), logprobs, reason == null ? "stop" : reason);
  }

  private static ObjectNode callStart(JsonNode call, int index) {
    if (!"function".equals(Json.textAt(call, "type"))) {
      throw new IllegalArgumentException("a cached answer with a " + Json.textAt(call, "type")
          + " tool call cannot be streamed");
    }
    ObjectNode fragment = Json.object();
    fragment.put("index", index);
    fragment.set("id", call.get("id"));
    fragment.put("type", "function");
    ObjectNode function = fragment.putObject("function");
    function.set("name", call.path("function").get("name"));
    function.put("arguments", "");
    return fragment;
  }

  private void arguments(int choice, JsonNode call, int index) {
    String arguments = Json.textAt(call.path("function"), "arguments");
    for (String piece : TextPieces.of(arguments == null ? "" : arguments, PIECE)) {
      ObjectNode fragment = Json.object();
      fragment.put("index", index);
      fragment.putObject("function").put("arguments", piece);
      ObjectNode delta = Json.object();
      delta.putArray("tool_calls").add(fragment);
      chunk(part(choice, delta, null, null));
    }
  }

  /** One chunk's single choice. */
  private static ObjectNode part(int index, ObjectNode delta, JsonNode logprobs, String finishReason) {
    ObjectNode choice = Json.object();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.set("logprobs", logprobs);
    choice.put("finish_reason", finishReason);
    return choice;
  }

  private void chunk(ObjectNode choice) {
    ObjectNode chunk = head.deepCopy();
    ArrayNode choices = chunk.putArray("choices");
    choices.add(choice);
    if (includeUsage) {
      chunk.putNull("usage");
    }
    write(chunk);
  }

  private void write(ObjectNode chunk) {
    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(Json.bytes(chunk));
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }
}

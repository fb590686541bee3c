package dev.tokenwise.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import dev.tokenwise.core.SseReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds, from the chat-completion stream a client received, the whole response the same call would
 * have returned without {@code stream: true}, so that the response cache keeps one form of every
 * answer.
 *
 * <p>Design note: an answer is only worth keeping when it is known to be complete and exact, so
 * anything this class cannot rebuild faithfully makes it return empty rather than guess: a stream
 * cut before its finishing chunk or before {@code [DONE]}, an in-band error, a chunk that is not JSON,
 * several choices ({@code n > 1}), and the delta kinds it does not assemble (audio, custom tool calls,
 * the deprecated {@code function_call}). Tool-call fragments are keyed by their {@code index}, never by
 * their {@code id}, which only the first fragment carries. The message always gets
 * {@code annotations} (empty unless the stream carried some), as OpenAI's whole responses do.
 */
public final class OpenAiStreamToWhole {
  private JsonNode first;
  private JsonNode usage;
  private StringBuilder content;
  private StringBuilder refusal;
  private final ArrayNode annotations = Json.MAPPER.createArrayNode();
  private final Map<Integer, Call> calls = new TreeMap<>();
  private ArrayNode contentLogprobs;
  private ArrayNode refusalLogprobs;
  private boolean sawLogprobs;
  private String finishReason;
  private boolean done;

  private static final class Call {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  private OpenAiStreamToWhole() {}

  /**
   * The whole {@code chat.completion} for a stream's bytes, or empty when the stream is incomplete,
   * failed or holds what cannot be rebuilt (see the class note). The response carries usage only when
   * the stream did ({@code stream_options.include_usage}).
   */
  public static Optional<byte[]> wholeFromStream(byte[] sse) {
    return wholeFromStream(sse, null);
  }

  /**
   * As {@link #wholeFromStream(byte[])}, with the usage object to put in when the stream carried
   * none: the gateway may have asked the provider for usage and kept the usage chunk from a client that
   * did not ask for it.
   *
   * @param usageWhenAbsent an OpenAI {@code usage} object, or null to leave usage out
   */
  public static Optional<byte[]> wholeFromStream(byte[] sse, JsonNode usageWhenAbsent) {
    OpenAiStreamToWhole whole = new OpenAiStreamToWhole();
    for (SseEvent event : SseReader.readAll(sse)) {
      if (event.data() == null) {
        continue; // keep-alive comments
      }
      if (event.data().equals("[DONE]")) {
        whole.done = true;
        break; // the SDKs stop reading here
      }
      if (!whole.onChunk(Json.tryParse(event.data().getBytes(StandardCharsets.UTF_8)))) {
        return Optional.empty();
      }
    }
    if (!whole.done || whole.finishReason == null || whole.first == null) {
      return Optional.empty();
    }
    JsonNode u = whole.usage != null ? whole.usage
        : usageWhenAbsent != null && usageWhenAbsent.isObject() ? usageWhenAbsent : null;
    return Optional.of(Json.bytes(whole.build(u)));
  }

  /** Takes in one chunk; false when the stream cannot be rebuilt. */
  private boolean onChunk(JsonNode chunk) {
    if (chunk == null || !chunk.isObject()) {
      return false;
    }
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull()) {
      return false;
    }
    if (first == null) {
      first = chunk;
    }
    if (chunk.path("usage").isObject()) {
      usage = chunk.get("usage");
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0 || !onDelta(choice.path("delta"))) {
        return false;
      }
      onLogprobs(choice.get("logprobs"));
      String reason = Json.textAt(choice, "finish_reason");
      if (reason != null) {
        finishReason = reason;
      }
    }
    return true;
  }

  private boolean onDelta(JsonNode delta) {
    if (present(delta, "audio") || present(delta, "function_call")) {
      return false;
    }
    String text = Json.textAt(delta, "content");
    if (text != null) {
      content = content == null ? new StringBuilder(text) : content.append(text);
    }
    String refused = Json.textAt(delta, "refusal");
    if (refused != null) {
      refusal = refusal == null ? new StringBuilder(refused) : refusal.append(refused);
    }
    delta.path("annotations").forEach(a -> annotations.add(a.deepCopy()));
    int position = 0;
    for (JsonNode fragment : delta.path("tool_calls")) {
      String type = Json.textAt(fragment, "type");
      if ((type != null && !type.equals("function")) || present(fragment, "custom")) {
        return false;
      }
      Call call = calls.computeIfAbsent(fragment.path("index").asInt(position), i -> new Call());
      position++;
      String id = Json.textAt(fragment, "id");
      if (id != null && call.id == null) {
        call.id = id;
      }
      JsonNode function = fragment.path("function");
      String name = Json.textAt(function, "name");
      if (name != null && call.name == null) {
        call.name = name;
      }
      String arguments = Json.textAt(function, "arguments");
      if (arguments != null) {
        call.arguments.append(arguments);
      }
    }
    return true;
  }

  /** Log probabilities come with each piece of text; the whole answer lists them all, in order. */
  private void onLogprobs(JsonNode logprobs) {
    if (logprobs == null || !logprobs.isObject()) {
      return;
    }
    sawLogprobs = true;
    if (logprobs.path("content").isArray()) {
      contentLogprobs = contentLogprobs == null ? Json.MAPPER.createArrayNode() : contentLogprobs;
      contentLogprobs.addAll((ArrayNode) logprobs.get("content").deepCopy());
    }
    if (logprobs.path("refusal").isArray()) {
      refusalLogprobs = refusalLogprobs == null ? Json.MAPPER.createArrayNode() : refusalLogprobs;
      refusalLogprobs.addAll((ArrayNode) logprobs.get("refusal").deepCopy());
    }
  }

  private ObjectNode build(JsonNode u) {
    ObjectNode out = Json.object();
    out.set("id", first.get("id"));
    out.put("object", "chat.completion");
    out.set("created", first.get("created"));
    out.set("model", first.get("model"));
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content == null ? null : content.toString());
    message.put("refusal", refusal == null ? null : refusal.toString());
    if (!calls.isEmpty()) {
      ArrayNode toolCalls = message.putArray("tool_calls");
      for (Call call : calls.values()) {
        ObjectNode c = toolCalls.addObject();
        c.put("id", call.id);
        c.put("type", "function");
        ObjectNode function = c.putObject("function");
        function.put("name", call.name);
        function.put("arguments", call.arguments.toString());
      }
    }
    message.set("annotations", annotations);
    if (sawLogprobs) {
      ObjectNode logprobs = choice.putObject("logprobs");
      logprobs.set("content", contentLogprobs);
      logprobs.set("refusal", refusalLogprobs);
    } else {
      choice.putNull("logprobs");
    }
    choice.put("finish_reason", finishReason);
    if (u != null) {
      out.set("usage", u);
    }
    for (String field : new String[] {"service_tier", "system_fingerprint"}) {
      if (first.has(field)) {
        out.set(field, first.get(field));
      }
    }
    return out;
  }

  private static boolean present(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n != null && !n.isNull();
  }
}

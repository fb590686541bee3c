package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns an OpenAI chat-completion chunk stream into Anthropic Messages events for an Anthropic client.
 *
 * <p>Anthropic content blocks are strictly sequential while OpenAI interleaves text and tool-call
 * fragments freely, so a block stays open until something of another kind arrives. Tool-call fragments
 * are keyed by their OpenAI {@code index}, never by {@code id}: only the first fragment carries an id,
 * and some compatible providers repeat it or send a whole call at once. The stop reason waits for
 * {@code [DONE]} because the usage chunk comes after the chunk that finishes the choice, and the
 * Anthropic SDK takes the real input and cache counts from {@code message_delta}, correcting the
 * estimate sent in {@code message_start}. Only choice 0 is translated: Anthropic has no {@code n}.
 */
public final class OpenAiToAnthropicStream implements StreamTranslator {
  private enum Open { NONE, TEXT, TOOL }

  private final String messageId;
  private final String model;
  private final long estimatedInputTokens;
  private final Map<Integer, Integer> toolBlockByIndex = new HashMap<>();
  private int blockIndex = -1;
  private Open open = Open.NONE;
  private String stopReason;
  private JsonNode usage;
  private boolean started;
  private boolean finished;
  private boolean closed;
  private Supplier<byte[]> beforeFinal;

  /**
   * Starts a translation.
   *
   * @param messageId the {@code id} of the message the client sees
   * @param model the {@code model} the client sees
   * @param estimatedInputTokens the prompt size counted locally, reported until the provider's count arrives
   */
  public OpenAiToAnthropicStream(String messageId, String model, long estimatedInputTokens) {
    this.messageId = messageId;
    this.model = model;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  @Override
  public byte[] onEvent(SseEvent upstream, JsonNode parsed) {
    if (closed || upstream.data() == null) {
      return Frames.NONE; // keep-alive comments carry nothing
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    if (upstream.data().equals("[DONE]")) {
      onDone(out);
      return out.toByteArray();
    }
    JsonNode chunk = parsed;
    if (chunk == null) {
      return Frames.NONE;
    }
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull()) {
      String message = error.isTextual() ? error.asText()
          : Frames.text(error, "message", "the provider reported an error");
      closed = true;
      finished = true;
      Frames.event(out, "error", error(message));
      return out.toByteArray();
    }
    start(out);
    if (chunk.path("usage").isObject()) {
      usage = chunk.get("usage"); // usually its own chunk with no choices; some providers add it to the last one
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) == 0) {
        onChoice(choice, out);
      }
    }
    return out.toByteArray();
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public byte[] abort(String message) {
    if (closed) {
      return Frames.NONE;
    }
    closed = true;
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    Frames.event(out, "error", error(message));
    return out.toByteArray();
  }

  @Override
  public void beforeFinal(Supplier<byte[]> extra) {
    this.beforeFinal = extra;
  }

  private void start(ByteArrayOutputStream out) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode event = type("message_start");
    ObjectNode message = event.putObject("message");
    message.put("id", messageId);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ObjectNode u = message.putObject("usage");
    u.put("input_tokens", estimatedInputTokens);
    u.put("output_tokens", 1);
    Frames.event(out, "message_start", event);
    Frames.event(out, "ping", type("ping"));
  }

  private void onChoice(JsonNode choice, ByteArrayOutputStream out) {
    JsonNode delta = choice.path("delta");
    String content = Json.textAt(delta, "content");
    if (content != null && !content.isEmpty()) {
      if (open != Open.TEXT) {
        closeBlock(out);
        ObjectNode block = Json.object();
        block.put("type", "text");
        block.put("text", "");
        openBlock(Open.TEXT, block, out);
      }
      ObjectNode d = Json.object();
      d.put("type", "text_delta");
      d.put("text", content);
      Frames.event(out, "content_block_delta", blockDelta(blockIndex, d));
    }
    int position = 0;
    for (JsonNode call : delta.path("tool_calls")) {
      onToolCall(call, call.path("index").asInt(position), out);
      position++;
    }
    String finish = Json.textAt(choice, "finish_reason");
    if (finish != null) {
      closeBlock(out);
      stopReason = stopReason(finish);
    }
  }

  private void onToolCall(JsonNode call, int index, ByteArrayOutputStream out) {
    JsonNode function = call.path("function");
    if (!toolBlockByIndex.containsKey(index)) {
      closeBlock(out);
      String id = Json.textAt(call, "id");
      ObjectNode block = Json.object();
      block.put("type", "tool_use");
      block.put("id", id != null ? id : messageId + "_tool_" + index); // a client needs an id to answer with
      block.put("name", Frames.text(function, "name", ""));
      block.putObject("input");
      openBlock(Open.TOOL, block, out);
      toolBlockByIndex.put(index, blockIndex);
    }
    String arguments = Json.textAt(function, "arguments");
    if (arguments != null && !arguments.isEmpty()) {
      ObjectNode d = Json.object();
      d.put("type", "input_json_delta");
      d.put("partial_json", arguments);
      Frames.event(out, "content_block_delta", blockDelta(toolBlockByIndex.get(index), d));
    }
  }

  private void openBlock(Open kind, ObjectNode block, ByteArrayOutputStream out) {
    blockIndex++;
    open = kind;
    ObjectNode event = type("content_block_start");
    event.put("index", blockIndex);
    event.set("content_block", block);
    Frames.event(out, "content_block_start", event);
  }

  private void closeBlock(ByteArrayOutputStream out) {
    if (open == Open.NONE) {
      return;
    }
    open = Open.NONE;
    ObjectNode event = type("content_block_stop");
    event.put("index", blockIndex);
    Frames.event(out, "content_block_stop", event);
  }

  private void onDone(ByteArrayOutputStream out) {
    start(out);
    closeBlock(out);
    finished = true;
    closed = true;
    ObjectNode event = type("message_delta");
    ObjectNode delta = event.putObject("delta");
    delta.put("stop_reason", stopReason != null ? stopReason : "end_turn");
    delta.putNull("stop_sequence");
    event.set("usage", usage());
    Frames.event(out, "message_delta", event);
    Frames.extra(out, beforeFinal);
    Frames.event(out, "message_stop", type("message_stop"));
  }

  /**
   * OpenAI's usage as Anthropic counts it: {@code input_tokens} excludes cache reads and writes,
   * which OpenAI includes in {@code prompt_tokens}; DeepSeek reports hits and misses directly.
   */
  private ObjectNode usage() {
    ObjectNode u = Json.object();
    if (usage == null) {
      u.put("output_tokens", 0); // no count arrived; the estimate in message_start stands
      return u;
    }
    JsonNode details = usage.path("prompt_tokens_details");
    long cacheRead = Json.longAt(details, "cached_tokens");
    long cacheWrite = Json.longAt(details, "cache_write_tokens");
    long input = Math.max(0, Json.longAt(usage, "prompt_tokens") - cacheRead - cacheWrite);
    if (usage.has("prompt_cache_hit_tokens") || usage.has("prompt_cache_miss_tokens")) {
      cacheRead = Json.longAt(usage, "prompt_cache_hit_tokens");
      cacheWrite = 0;
      input = Json.longAt(usage, "prompt_cache_miss_tokens");
    }
    u.put("input_tokens", input);
    u.put("cache_read_input_tokens", cacheRead);
    u.put("cache_creation_input_tokens", cacheWrite);
    u.put("output_tokens", Json.longAt(usage, "completion_tokens"));
    return u;
  }

  /** OpenAI's finish reason as Anthropic names it; anything unknown ends the turn normally. */
  static String stopReason(String finishReason) {
    return OpenAiToAnthropicResponse.stopReason(finishReason);
  }

  private static ObjectNode blockDelta(int index, ObjectNode delta) {
    ObjectNode event = type("content_block_delta");
    event.put("index", index);
    event.set("delta", delta);
    return event;
  }

  private static ObjectNode type(String type) {
    ObjectNode node = Json.object();
    node.put("type", type);
    return node;
  }

  private static ObjectNode error(String message) {
    ObjectNode body = type("error");
    ObjectNode e = body.putObject("error");
    e.put("type", "api_error");
    e.put("message", message);
    return body;
  }
}

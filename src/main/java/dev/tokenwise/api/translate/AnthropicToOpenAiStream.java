package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns an Anthropic Messages event stream into OpenAI chat-completion chunks for an OpenAI client.
 *
 * <p>An OpenAI tool call is numbered by its place among the tool calls, not by the Anthropic content
 * block that carries it, so a text block at 0 and a tool at 1 give tool call 0. Usage is accumulated
 * the way the Anthropic SDK does it: {@code message_start} gives the input and cache counts, and any
 * non-null value in {@code message_delta} replaces them.
 */
public final class AnthropicToOpenAiStream implements StreamTranslator {
  private final String chunkId;
  private final long created;
  private final String model;
  private final boolean includeUsage;
  private final Map<Integer, Integer> toolOrdinalByBlock = new HashMap<>();
  private int nextToolOrdinal;
  private long inputTokens;
  private long cacheCreationTokens;
  private long cacheReadTokens;
  private long outputTokens;
  private long thinkingTokens;
  private boolean finished;
  private boolean closed;
  private Supplier<byte[]> beforeFinal;

  /**
   * Starts a translation.
   *
   * @param chunkId the {@code id} of every chunk
   * @param created the {@code created} of every chunk, in Unix seconds
   * @param model the {@code model} of every chunk
   * @param includeUsage the client asked for {@code stream_options.include_usage}
   */
  public AnthropicToOpenAiStream(String chunkId, long created, String model, boolean includeUsage) {
    this.chunkId = chunkId;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
  }

  @Override
  public byte[] onEvent(SseEvent upstream, JsonNode data) {
    if (closed) {
      return Frames.NONE;
    }
    if (data == null) {
      return Frames.NONE; // keep-alive comments and anything unreadable
    }
    String type = upstream.event() != null ? upstream.event() : Frames.text(data, "type", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    switch (type) {
      case "message_start" -> onMessageStart(data, out);
      case "content_block_start" -> onBlockStart(data, out);
      case "content_block_delta" -> onBlockDelta(data, out);
      case "message_delta" -> onMessageDelta(data, out);
      case "message_stop" -> onMessageStop(out);
      case "error" -> onError(data.path("error"), out);
      default -> { } // ping, content_block_stop and event types added later carry nothing for OpenAI
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
    Frames.data(out, error(message, "server_error"));
    return out.toByteArray();
  }

  @Override
  public void beforeFinal(Supplier<byte[]> extra) {
    this.beforeFinal = extra;
  }

  private void onMessageStart(JsonNode data, ByteArrayOutputStream out) {
    mergeUsage(data.path("message").path("usage"));
    ObjectNode delta = Json.object();
    delta.put("role", "assistant");
    delta.put("content", "");
    Frames.data(out, chunk(delta, null));
  }

  private void onBlockStart(JsonNode data, ByteArrayOutputStream out) {
    JsonNode block = data.path("content_block");
    if (!"tool_use".equals(Json.textAt(block, "type"))) {
      return; // text opens with its first delta; thinking never reaches an OpenAI client
    }
    int ordinal = nextToolOrdinal++;
    toolOrdinalByBlock.put(data.path("index").asInt(), ordinal);
    ObjectNode call = Json.object();
    call.put("index", ordinal);
    call.put("id", Json.textAt(block, "id"));
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.put("name", Json.textAt(block, "name"));
    function.put("arguments", "");
    Frames.data(out, chunk(toolCalls(call), null));
  }

  private void onBlockDelta(JsonNode data, ByteArrayOutputStream out) {
    JsonNode delta = data.path("delta");
    switch (Frames.text(delta, "type", "")) {
      case "text_delta" -> {
        String text = Frames.text(delta, "text", "");
        if (!text.isEmpty()) {
          ObjectNode d = Json.object();
          d.put("content", text);
          Frames.data(out, chunk(d, null));
        }
      }
      case "input_json_delta" -> {
        String partial = Frames.text(delta, "partial_json", "");
        Integer ordinal = toolOrdinalByBlock.get(data.path("index").asInt());
        if (!partial.isEmpty() && ordinal != null) {
          ObjectNode call = Json.object();
          call.put("index", ordinal);
          call.putObject("function").put("arguments", partial);
          Frames.data(out, chunk(toolCalls(call), null));
        }
      }
      default -> { } // thinking, signature and citations have no place in a chat-completion delta
    }
  }

  private void onMessageDelta(JsonNode data, ByteArrayOutputStream out) {
    mergeUsage(data.path("usage"));
    String reason = finishReason(Json.textAt(data.path("delta"), "stop_reason"));
    Frames.data(out, chunk(Json.object(), reason));
  }

  private void onMessageStop(ByteArrayOutputStream out) {
    finished = true;
    closed = true;
    if (includeUsage) {
      ObjectNode usageChunk = header();
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage());
      Frames.data(out, usageChunk);
    }
    Frames.extra(out, beforeFinal);
    Frames.done(out);
  }

  private void onError(JsonNode error, ByteArrayOutputStream out) {
    finished = true;
    closed = true;
    ObjectNode body = error(Frames.text(error, "message", "the provider reported an error"),
        Frames.text(error, "type", "api_error"));
    Frames.data(out, body);
  }

  /** Anthropic's stop reason as OpenAI names it; a reason OpenAI has no word for ends normally. */
  static String finishReason(String stopReason) {
    return AnthropicToOpenAiResponse.finishReason(stopReason);
  }

  private void mergeUsage(JsonNode usage) {
    inputTokens = replace(inputTokens, usage, "input_tokens");
    cacheCreationTokens = replace(cacheCreationTokens, usage, "cache_creation_input_tokens");
    cacheReadTokens = replace(cacheReadTokens, usage, "cache_read_input_tokens");
    outputTokens = replace(outputTokens, usage, "output_tokens");
    thinkingTokens = replace(thinkingTokens, usage.path("output_tokens_details"), "thinking_tokens");
  }

  private static long replace(long current, JsonNode usage, String field) {
    Long value = Frames.number(usage, field);
    return value == null ? current : value;
  }

  /** OpenAI counts every prompt token, cached or not, in {@code prompt_tokens}. */
  private ObjectNode usage() {
    return AnthropicToOpenAiResponse.usage(inputTokens, cacheCreationTokens, cacheReadTokens, outputTokens,
        thinkingTokens);
  }

  private ObjectNode header() {
    ObjectNode c = Json.object();
    c.put("id", chunkId);
    c.put("object", "chat.completion.chunk");
    c.put("created", created);
    c.put("model", model);
    return c;
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode c = header();
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (includeUsage) {
      c.putNull("usage"); // OpenAI marks every chunk this way when the usage chunk is coming
    }
    return c;
  }

  private static ObjectNode toolCalls(ObjectNode call) {
    ObjectNode delta = Json.object();
    ArrayNode calls = delta.putArray("tool_calls");
    calls.add(call);
    return delta;
  }

  private static ObjectNode error(String message, String type) {
    ObjectNode body = Json.object();
    ObjectNode e = body.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.putNull("param");
    e.putNull("code");
    return body;
  }
}

package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiStreamTest {
  private static final long CREATED = 1763650000L;

  private static AnthropicToOpenAiStream toolUseTranslator(boolean includeUsage) {
    return new AnthropicToOpenAiStream("chatcmpl-msg_019Q1hrJbZG26Fb9BQhrkHEr", CREATED,
        "claude-sonnet-4-20250514", includeUsage);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void the_reference_text_stream_becomes_the_golden_openai_chunks() {
    var t = new AnthropicToOpenAiStream("chatcmpl-msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK", CREATED,
        "claude-3-opus-latest", false);
    String out = Wire.translate(t, Wire.golden("anthropic-text.upstream.sse"));
    assertEquals(Wire.golden("anthropic-text.openai.sse"), out);
    assertTrue(t.finished());
  }

  @Test
  void the_reference_tool_use_stream_becomes_the_golden_chunks_with_usage() {
    var t = toolUseTranslator(true);
    String out = Wire.translate(t, Wire.golden("anthropic-tool-use.upstream.sse"));
    assertEquals(Wire.golden("anthropic-tool-use.openai.sse"), out);
    assertTrue(t.finished());
  }

  @Test
  void every_emitted_payload_is_a_chat_completion_chunk() {
    String out = Wire.translate(toolUseTranslator(true), Wire.golden("anthropic-tool-use.upstream.sse"));
    List<JsonNode> chunks = Wire.payloads(out);
    assertEquals(10, chunks.size());
    for (JsonNode c : chunks) {
      assertEquals("chat.completion.chunk", c.path("object").asText());
      assertTrue(c.has("usage"), c.toString());
    }
    assertTrue(out.endsWith("data: [DONE]\n\n"));
  }

  @Test
  void without_include_usage_no_chunk_has_a_usage_key() {
    String out = Wire.translate(toolUseTranslator(false), Wire.golden("anthropic-tool-use.upstream.sse"));
    List<JsonNode> chunks = Wire.payloads(out);
    assertEquals(9, chunks.size());
    for (JsonNode c : chunks) {
      assertFalse(c.has("usage"), c.toString());
      assertEquals(1, c.path("choices").size());
    }
  }

  @Test
  void a_tool_at_block_one_after_text_is_tool_call_zero_and_the_next_tool_is_one() {
    String second = """
        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}}

        """;
    String upstream = Wire.golden("anthropic-tool-use.upstream.sse");
    int cut = upstream.indexOf("event: message_delta");
    String out = Wire.translate(toolUseTranslator(false), upstream.substring(0, cut) + second + upstream.substring(cut));
    List<JsonNode> calls = Wire.payloads(out).stream()
        .map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0))
        .filter(JsonNode::isObject)
        .toList();
    assertEquals(7, calls.size());
    assertEquals("toolu_01NRLabsLyVHZPKxbKvkfSMn", calls.get(0).path("id").asText());
    assertEquals(0, calls.get(0).path("index").asInt());
    assertEquals("", calls.get(0).path("function").path("arguments").asText());
    for (int i = 1; i < 5; i++) {
      assertEquals(0, calls.get(i).path("index").asInt());
    }
    assertEquals("toolu_2", calls.get(5).path("id").asText());
    assertEquals(1, calls.get(5).path("index").asInt());
    assertEquals("{}", calls.get(6).path("function").path("arguments").asText());
  }

  @Test
  void each_upstream_event_yields_its_chunk_at_once() {
    var t = toolUseTranslator(false);
    List<SseEvent> upstream = Wire.events(Wire.golden("anthropic-tool-use.upstream.sse"));
    assertTrue(text(t.onEvent(upstream.get(0))).contains("\"role\":\"assistant\""));
    assertEquals("", text(t.onEvent(upstream.get(1))), "text block start");
    assertEquals("", text(t.onEvent(upstream.get(2))), "ping");
    assertTrue(text(t.onEvent(upstream.get(3))).contains("\"content\":\"I\""));
    assertFalse(t.finished());
  }

  @Test
  void an_upstream_that_ends_early_is_closed_with_an_openai_error_chunk() {
    var t = toolUseTranslator(true);
    Wire.translate(t, Wire.events(Wire.golden("anthropic-tool-use.upstream.sse")).subList(0, 6));
    assertFalse(t.finished());
    assertEquals("data: {\"error\":{\"message\":\"the provider's stream broke off\",\"type\":\"server_error\","
        + "\"param\":null,\"code\":null}}\n\n", text(t.abort("the provider's stream broke off")));
    assertEquals("", text(t.abort("again")));
  }

  @Test
  void an_upstream_error_event_becomes_an_openai_error_and_ends_the_translation() {
    var t = toolUseTranslator(true);
    List<SseEvent> upstream = Wire.events(Wire.golden("anthropic-tool-use.upstream.sse"));
    Wire.translate(t, upstream.subList(0, 4));
    String error = text(t.onEvent(Wire.event("""
        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

        """)));
    assertEquals("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,"
        + "\"code\":null}}\n\n", error);
    assertTrue(t.finished());
    assertEquals("", Wire.translate(t, upstream.subList(4, upstream.size())), "nothing after the error");
    assertEquals("", text(t.abort("late")));
  }

  @Test
  void before_final_bytes_land_right_before_done() {
    var t = toolUseTranslator(true);
    byte[] comment = ": cost 0.0042 USD\n\n".getBytes(StandardCharsets.UTF_8);
    t.beforeFinal(() -> comment);
    String out = Wire.translate(t, Wire.golden("anthropic-tool-use.upstream.sse"));
    String golden = Wire.golden("anthropic-tool-use.openai.sse");
    int done = golden.indexOf("data: [DONE]");
    assertEquals(golden.substring(0, done) + ": cost 0.0042 USD\n\n" + golden.substring(done), out);
  }

  @Test
  void usage_counts_cache_reads_and_writes_in_the_prompt_and_takes_later_non_null_values() {
    var t = toolUseTranslator(true);
    String out = Wire.translate(t, """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":1}}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":12,"cache_read_input_tokens":null,"output_tokens":50,"output_tokens_details":{"thinking_tokens":20}}}

        event: message_stop
        data: {"type":"message_stop"}

        """);
    List<JsonNode> chunks = Wire.payloads(out);
    JsonNode usage = chunks.get(chunks.size() - 1).path("usage");
    assertEquals(3212, usage.path("prompt_tokens").asLong());
    assertEquals(50, usage.path("completion_tokens").asLong());
    assertEquals(3262, usage.path("total_tokens").asLong());
    assertEquals(3000, usage.path("prompt_tokens_details").path("cached_tokens").asLong());
    assertEquals(200, usage.path("prompt_tokens_details").path("cache_write_tokens").asLong());
    assertEquals(20, usage.path("completion_tokens_details").path("reasoning_tokens").asLong());
    assertEquals(0, chunks.get(chunks.size() - 1).path("choices").size());
  }

  @Test
  void thinking_and_unknown_events_yield_nothing() {
    var t = toolUseTranslator(false);
    String out = Wire.translate(t, """
        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: something_new
        data: {"type":"something_new"}

        : keep-alive

        """);
    assertEquals("", out);
  }

  @Test
  void stop_reasons_map_to_openai_finish_reasons() {
    assertEquals("stop", AnthropicToOpenAiStream.finishReason("end_turn"));
    assertEquals("stop", AnthropicToOpenAiStream.finishReason("stop_sequence"));
    assertEquals("stop", AnthropicToOpenAiStream.finishReason("pause_turn"));
    assertEquals("length", AnthropicToOpenAiStream.finishReason("max_tokens"));
    assertEquals("length", AnthropicToOpenAiStream.finishReason("model_context_window_exceeded"));
    assertEquals("tool_calls", AnthropicToOpenAiStream.finishReason("tool_use"));
    assertEquals("content_filter", AnthropicToOpenAiStream.finishReason("refusal"));
    assertEquals("stop", AnthropicToOpenAiStream.finishReason(null));
    assertEquals("stop", AnthropicToOpenAiStream.finishReason("something_new"));
  }
}

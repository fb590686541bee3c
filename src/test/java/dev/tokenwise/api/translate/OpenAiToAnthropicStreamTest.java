package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicStreamTest {
  private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":%s,\"logprobs\":null,\"finish_reason\":%s}]}\n\n";

  private static OpenAiToAnthropicStream toolCallTranslator() {
    return new OpenAiToAnthropicStream("msg_chatcmpl-77", "gpt-4.1-2025-04-14", 80);
  }

  private static String chunk(String delta, String finishReason) {
    return CHUNK.formatted(delta, finishReason == null ? "null" : "\"" + finishReason + "\"");
  }

  private static String usageChunk(String usage) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":" + usage + "}\n\n";
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The names of the client's events, in order. */
  private static List<String> names(String clientSse) {
    return Wire.events(clientSse).stream().map(SseEvent::event).toList();
  }

  @Test
  void the_reference_text_stream_becomes_the_golden_anthropic_events() {
    var t = new OpenAiToAnthropicStream("msg_chatcmpl-123", "gpt-4o-mini-2024-07-18", 8);
    String out = Wire.translate(t, Wire.golden("openai-text.upstream.sse"));
    assertEquals(Wire.golden("openai-text.anthropic.sse"), out);
    assertTrue(t.finished());
  }

  @Test
  void the_reference_tool_call_stream_becomes_the_golden_anthropic_events() {
    var t = toolCallTranslator();
    String out = Wire.translate(t, Wire.golden("openai-tool-calls.upstream.sse"));
    assertEquals(Wire.golden("openai-tool-calls.anthropic.sse"), out);
    assertTrue(t.finished());
  }

  @Test
  void every_emitted_payload_is_json_whose_type_names_its_event() {
    String out = Wire.translate(toolCallTranslator(), Wire.golden("openai-tool-calls.upstream.sse"));
    List<SseEvent> events = Wire.events(out);
    List<JsonNode> payloads = Wire.payloads(out);
    assertEquals(events.size(), payloads.size());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(events.get(i).event(), payloads.get(i).path("type").asText());
    }
  }

  @Test
  void each_upstream_chunk_yields_its_events_at_once() {
    var t = toolCallTranslator();
    List<SseEvent> upstream = Wire.events(Wire.golden("openai-tool-calls.upstream.sse"));
    assertEquals(List.of("message_start", "ping", "content_block_start"), names(text(t.onEvent(upstream.get(0)))));
    assertEquals(List.of("content_block_delta"), names(text(t.onEvent(upstream.get(1)))));
    assertFalse(t.finished());
  }

  @Test
  void keep_alive_comments_yield_nothing() {
    var t = toolCallTranslator();
    assertEquals("", Wire.translate(t, ": OPENROUTER PROCESSING\n\n"));
    assertFalse(t.finished());
  }

  @Test
  void a_whole_call_in_one_chunk_and_a_repeated_id_stay_on_one_block() {
    String upstream = chunk("{\"role\":\"assistant\",\"content\":\"Let me look.\"}", null)
        + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]}", null)
        + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null)
        + chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}", "tool_calls")
        + "data: [DONE]\n\n";
    String out = Wire.translate(toolCallTranslator(), upstream);
    assertEquals(List.of("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop"), names(out));
    List<JsonNode> p = Wire.payloads(out);
    assertEquals("text", p.get(2).path("content_block").path("type").asText());
    assertEquals(1, p.get(5).path("index").asInt());
    assertEquals("call_a", p.get(5).path("content_block").path("id").asText());
    assertEquals("{\"city\":", p.get(6).path("delta").path("partial_json").asText());
    assertEquals(1, p.get(7).path("index").asInt());
    assertEquals("\"Paris\"}", p.get(7).path("delta").path("partial_json").asText());
    assertEquals(2, p.get(9).path("index").asInt());
    assertEquals("get_time", p.get(9).path("content_block").path("name").asText());
    assertEquals(2, p.get(10).path("index").asInt());
    assertEquals("tool_use", p.get(12).path("delta").path("stop_reason").asText());
  }

  @Test
  void text_after_a_tool_call_closes_the_tool_block_and_opens_a_new_text_block() {
    String upstream = chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}", null)
        + chunk("{\"content\":\"done\"}", "stop") + "data: [DONE]\n\n";
    String out = Wire.translate(toolCallTranslator(), upstream);
    List<JsonNode> p = Wire.payloads(out);
    assertEquals("content_block_stop", p.get(4).path("type").asText());
    assertEquals(0, p.get(4).path("index").asInt());
    assertEquals("text", p.get(5).path("content_block").path("type").asText());
    assertEquals(1, p.get(5).path("index").asInt());
    assertEquals("done", p.get(6).path("delta").path("text").asText());
  }

  @Test
  void an_upstream_that_ends_early_is_closed_with_an_anthropic_error_event() {
    var t = toolCallTranslator();
    Wire.translate(t, Wire.events(Wire.golden("openai-tool-calls.upstream.sse")).subList(0, 3));
    assertFalse(t.finished());
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"the provider's stream broke off\"}}\n\n", text(t.abort("the provider's stream broke off")));
    assertEquals("", text(t.abort("again")));
  }

  @Test
  void an_upstream_error_chunk_becomes_an_anthropic_error_and_ends_the_translation() {
    var t = toolCallTranslator();
    List<SseEvent> upstream = Wire.events(Wire.golden("openai-tool-calls.upstream.sse"));
    Wire.translate(t, upstream.subList(0, 2));
    String error = text(t.onEvent(Wire.event(
        "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n")));
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"The server had an error\"}}\n\n", error);
    assertTrue(t.finished());
    assertEquals("", Wire.translate(t, upstream.subList(2, upstream.size())), "nothing after the error");
    assertEquals("", text(t.abort("late")));
  }

  @Test
  void before_final_bytes_land_right_before_message_stop() {
    var t = toolCallTranslator();
    t.beforeFinal(() -> ": cost 0.0001 USD\n\n".getBytes(StandardCharsets.UTF_8));
    String out = Wire.translate(t, Wire.golden("openai-tool-calls.upstream.sse"));
    String golden = Wire.golden("openai-tool-calls.anthropic.sse");
    int stop = golden.indexOf("event: message_stop");
    assertEquals(golden.substring(0, stop) + ": cost 0.0001 USD\n\n" + golden.substring(stop), out);
  }

  @Test
  void cached_and_written_prompt_tokens_leave_input_tokens() {
    String out = Wire.translate(toolCallTranslator(), chunk("{\"content\":\"x\"}", "length")
        + usageChunk("{\"prompt_tokens\":5000,\"completion_tokens\":7,\"total_tokens\":5007,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":3000,\"cache_write_tokens\":1500}}")
        + "data: [DONE]\n\n");
    JsonNode delta = Wire.payloads(out).get(5);
    assertEquals("max_tokens", delta.path("delta").path("stop_reason").asText());
    assertEquals("{\"input_tokens\":500,\"cache_read_input_tokens\":3000,\"cache_creation_input_tokens\":1500,"
        + "\"output_tokens\":7}", delta.path("usage").toString());
  }

  @Test
  void deepseek_cache_hits_and_misses_are_taken_as_reported() {
    String out = Wire.translate(toolCallTranslator(), chunk("{\"content\":\"x\"}", "stop")
        + usageChunk("{\"prompt_tokens\":100,\"completion_tokens\":9,\"total_tokens\":109,"
            + "\"prompt_cache_hit_tokens\":64,\"prompt_cache_miss_tokens\":36}")
        + "data: [DONE]\n\n");
    JsonNode delta = Wire.payloads(out).get(5);
    assertEquals("{\"input_tokens\":36,\"cache_read_input_tokens\":64,\"cache_creation_input_tokens\":0,"
        + "\"output_tokens\":9}", delta.path("usage").toString());
  }

  @Test
  void a_stream_without_finish_reason_or_usage_still_ends_cleanly() {
    String out = Wire.translate(toolCallTranslator(), chunk("{\"content\":\"x\"}", null) + "data: [DONE]\n\n");
    assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop"), names(out));
    JsonNode delta = Wire.payloads(out).get(5);
    assertEquals("end_turn", delta.path("delta").path("stop_reason").asText());
    assertEquals("{\"output_tokens\":0}", delta.path("usage").toString());
  }

  @Test
  void finish_reasons_map_to_anthropic_stop_reasons() {
    assertEquals("end_turn", OpenAiToAnthropicStream.stopReason("stop"));
    assertEquals("max_tokens", OpenAiToAnthropicStream.stopReason("length"));
    assertEquals("tool_use", OpenAiToAnthropicStream.stopReason("tool_calls"));
    assertEquals("tool_use", OpenAiToAnthropicStream.stopReason("function_call"));
    assertEquals("refusal", OpenAiToAnthropicStream.stopReason("content_filter"));
    assertEquals("end_turn", OpenAiToAnthropicStream.stopReason("something_new"));
  }
}

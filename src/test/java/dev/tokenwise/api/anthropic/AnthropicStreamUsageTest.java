package dev.tokenwise.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicStreamUsageTest {
  private static void feed(AnthropicStreamUsage stream, String type, String data) {
    stream.onEvent(type, Json.tryParse(data.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String START = "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-6\","
      + "\"usage\":{\"input_tokens\":11,\"cache_read_input_tokens\":4096,\"output_tokens\":1}}}";

  @Test
  void before_message_delta_output_is_only_the_placeholder() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(false);
    feed(stream, "message_start", START);
    assertTrue(stream.sawStart());
    assertFalse(stream.sawFinalUsage());
    assertEquals(new Usage(11, 4096, 0, 0, 1, 0, false), stream.usage());
    assertEquals("claude-sonnet-4-6", stream.model());
  }

  @Test
  void output_in_successive_deltas_is_cumulative() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(false);
    feed(stream, "message_start", START);
    feed(stream, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":20}}");
    feed(stream, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
        + "\"usage\":{\"output_tokens\":50}}");
    assertEquals(new Usage(11, 4096, 0, 0, 50, 0, false), stream.usage());
    assertEquals("max_tokens", stream.stopReason());
    assertTrue(stream.sawFinalUsage());
  }

  @Test
  void the_event_type_falls_back_to_the_payload_type() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(false);
    feed(stream, null, START);
    assertEquals(11, stream.usage().inputTokens());
  }

  @Test
  void cache_writes_without_a_split_follow_the_request_lifetime() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(true);
    feed(stream, "message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":"
        + "{\"input_tokens\":5,\"cache_creation_input_tokens\":2048,\"output_tokens\":1}}}");
    assertEquals(2048, stream.usage().cacheWrite1hTokens());
  }

  @Test
  void text_tool_input_and_thinking_are_collected_as_relayed_text() {
    AnthropicStreamUsage stream = new AnthropicStreamUsage(false);
    feed(stream, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Look it up.\"}}");
    feed(stream, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}");
    feed(stream, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
        + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}");
    feed(stream, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}");
    assertEquals("Look it up.get_weather{\"city\":\"Paris\"}", stream.relayedText());
  }
}

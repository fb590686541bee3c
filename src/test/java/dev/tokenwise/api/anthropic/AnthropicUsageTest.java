package dev.tokenwise.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicUsageTest {
  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void the_split_decides_the_lifetime_whatever_the_request_asked() {
    Usage usage = AnthropicUsage.parse(json("{\"input_tokens\":10,\"cache_creation_input_tokens\":300,"
        + "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,"
        + "\"ephemeral_1h_input_tokens\":200},\"output_tokens\":5}"), true);
    assertEquals(new Usage(10, 0, 100, 200, 5, 0, false), usage);
  }

  @Test
  void thinking_tokens_are_read_as_part_of_output() {
    Usage usage = AnthropicUsage.parse(json(
        "{\"input_tokens\":10,\"output_tokens\":900,\"output_tokens_details\":{\"thinking_tokens\":700}}"), false);
    assertEquals(900, usage.outputTokens());
    assertEquals(700, usage.reasoningTokens());
  }

  @Test
  void top_level_one_hour_cache_control_is_seen() {
    assertTrue(AnthropicUsage.requestUsesOneHourTtl(json(
        "{\"model\":\"m\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"},\"messages\":[]}")));
  }

  @Test
  void one_hour_cache_control_on_a_message_block_is_seen() {
    assertTrue(AnthropicUsage.requestUsesOneHourTtl(json("{\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]}]}")));
  }

  @Test
  void five_minute_and_default_cache_control_are_not_one_hour() {
    assertFalse(AnthropicUsage.requestUsesOneHourTtl(json("{\"cache_control\":{\"type\":\"ephemeral\"},"
        + "\"system\":[{\"type\":\"text\",\"text\":\"s\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"5m\"}}]}")));
  }

  @Test
  void a_tool_schema_property_named_cache_control_is_not_a_breakpoint() {
    assertFalse(AnthropicUsage.requestUsesOneHourTtl(json("{\"tools\":[{\"name\":\"t\",\"input_schema\":"
        + "{\"type\":\"object\",\"properties\":{\"cache_control\":{\"ttl\":\"1h\"}}}}]}")));
  }

  @Test
  void an_absent_usage_object_is_refused_rather_than_read_as_zero() {
    assertThrows(IllegalArgumentException.class, () -> AnthropicUsage.parse(null, false));
  }
}

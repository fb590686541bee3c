package dev.tokenwise.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.testing.WireFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnthropicStreamToWholeTest {
  private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_01X\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":[],"
      + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":0,"
      + "\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n";
  private static final String END = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
      + "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}\n\n"
      + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  private static Optional<JsonNode> whole(String sse) {
    return AnthropicStreamToWhole.wholeFromStream(sse.getBytes(StandardCharsets.UTF_8)).map(Json::tryParse);
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private static String text(int index, String... pieces) {
    StringBuilder sse = new StringBuilder(event("content_block_start",
        "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    for (String piece : pieces) {
      sse.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
          + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + piece + "\"}}"));
    }
    return sse + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  @Test
  void the_reference_text_stream_gives_the_whole_message() {
    assertEquals(WireFiles.json("anthropic/text.resp.json"), whole(WireFiles.text("anthropic/text.sse")).orElseThrow());
  }

  @Test
  void the_reference_tool_use_stream_gives_the_input_parsed_from_its_partial_json() {
    assertEquals(WireFiles.json("anthropic/tool-use.resp.json"),
        whole(WireFiles.text("anthropic/tool-use.sse")).orElseThrow());
  }

  @Test
  void thinking_text_and_two_tool_calls_keep_signature_cache_usage_and_an_empty_input() {
    assertEquals(WireFiles.json("anthropic/thinking-tool.resp.json"),
        whole(WireFiles.text("anthropic/thinking-tool.sse")).orElseThrow());
  }

  @Test
  void later_usage_fields_replace_the_message_start_ones_and_stop_details_are_kept() {
    String sse = START + text(0)
        + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_sequence\":null,"
            + "\"stop_details\":{\"type\":\"refusal\",\"category\":\"cyber\",\"explanation\":\"Refused.\"}},"
            + "\"usage\":{\"input_tokens\":25,\"cache_read_input_tokens\":null,\"output_tokens\":0}}")
        + event("message_stop", "{\"type\":\"message_stop\"}");
    JsonNode message = whole(sse).orElseThrow();
    assertEquals("", message.at("/content/0/text").asText());
    assertEquals("refusal", message.get("stop_reason").asText());
    assertEquals("cyber", message.at("/stop_details/category").asText());
    assertEquals(25, message.at("/usage/input_tokens").asInt());
    assertEquals(0, message.at("/usage/cache_read_input_tokens").asInt());
    assertEquals(0, message.at("/usage/output_tokens").asInt());
  }

  @Test
  void no_content_at_all_is_an_empty_content_array() {
    JsonNode message = whole(START + END).orElseThrow();
    assertEquals(0, message.get("content").size());
    assertEquals(9, message.at("/usage/output_tokens").asInt());
  }

  @Test
  void citations_and_blocks_without_deltas_are_kept_as_sent() {
    String sse = START
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"}}")
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
            + "{\"type\":\"text\",\"text\":\"\",\"citations\":[]}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"citations_delta\","
            + "\"citation\":{\"type\":\"char_location\",\"cited_text\":\"grass is green\",\"document_index\":0,"
            + "\"document_title\":null,\"start_char_index\":0,\"end_char_index\":14}}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
            + "{\"type\":\"text_delta\",\"text\":\"The grass is green.\"}}")
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
        + END;
    JsonNode content = whole(sse).orElseThrow().get("content");
    assertEquals("EmwKAhgBEgy3va3pzix", content.at("/0/data").asText());
    assertEquals("The grass is green.", content.at("/1/text").asText());
    assertEquals("grass is green", content.at("/1/citations/0/cited_text").asText());
  }

  @Test
  void an_incomplete_stream_gives_nothing() {
    String full = WireFiles.text("anthropic/tool-use.sse");
    assertTrue(whole(full.substring(0, full.indexOf("event: message_stop"))).isEmpty(), "no message_stop");
    assertTrue(whole(full.substring(0, full.indexOf("event: content_block_stop\ndata: {\"type\":\"content_block_stop\","
        + "\"index\":1}"))).isEmpty(), "cut inside a tool call");
    assertTrue(whole(START + text(0, "Hi") + event("message_stop", "{\"type\":\"message_stop\"}")).isEmpty(),
        "no message_delta, so no stop reason");
    String open = START + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") + END;
    assertTrue(whole(open).isEmpty(), "a block never stopped");
    assertTrue(whole(text(0, "Hi") + END).isEmpty(), "no message_start");
    assertTrue(whole("").isEmpty(), "nothing at all");
  }

  @Test
  void an_error_event_gives_nothing() {
    String sse = START + text(0, "Hel")
        + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    assertTrue(whole(sse).isEmpty());
    assertTrue(whole(START + text(0, "Hel") + event("error",
        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}") + END).isEmpty());
  }

  @Test
  void what_cannot_be_rebuilt_exactly_gives_nothing() {
    String tool = event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}")
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    assertTrue(whole(START + tool + END).isEmpty(), "tool input that is not JSON");
    String unknown = event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"sparkle_delta\",\"sparkle\":\"*\"}}")
        + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    assertTrue(whole(START + unknown + END).isEmpty(), "a delta of an unknown kind");
    assertTrue(whole(START + "event: content_block_start\ndata: {not json\n\n" + END).isEmpty(), "data that is not JSON");
  }

  @Test
  void unknown_event_types_and_pings_are_skipped() {
    String sse = event("ping", "{\"type\": \"ping\"}") + START + event("ping", "{\"type\": \"ping\"}")
        + event("telemetry", "{\"type\":\"telemetry\",\"ms\":12}") + text(0, "Hi") + END;
    assertEquals("Hi", whole(sse).orElseThrow().at("/content/0/text").asText());
  }
}

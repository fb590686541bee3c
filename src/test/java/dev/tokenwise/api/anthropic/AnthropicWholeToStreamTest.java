package dev.tokenwise.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import dev.tokenwise.core.SseReader;
import dev.tokenwise.testing.WireFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicWholeToStreamTest {
  static final String LONG_TEXT = "Voilà : le temps à Paris est nuageux ☁️, 18 °C. À Lyon, soleil 🌞 et 24 °C; "
      + "日本語でも大丈夫です。👩‍👩‍👧‍👦 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP: 🇫🇷🇯🇵 and "
      + "a-very-long-word-without-any-space-in-it-that-must-still-be-cut-somewhere-sensible.";

  /** A whole message around some content blocks, with a 1-hour cache write and a cache read. */
  static ObjectNode message(String content, String stopReason) {
    return (ObjectNode) Json.tryParse(("{\"id\":\"msg_01Rt\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-opus-4-8\",\"content\":" + content + ",\"stop_reason\":\"" + stopReason + "\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":412,\"cache_creation_input_tokens\":4102,"
        + "\"cache_read_input_tokens\":8192,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,"
        + "\"ephemeral_1h_input_tokens\":4102},\"output_tokens\":71,\"service_tier\":\"standard\"}}")
        .getBytes(StandardCharsets.UTF_8));
  }

  static String quoted(String text) {
    return Json.string(Json.MAPPER.getNodeFactory().textNode(text));
  }

  static final String THINKING = "{\"type\":\"thinking\",\"thinking\":" + quoted("Let me think about this. ".repeat(8))
      + ",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}";
  static final String TOOLS = "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\","
      + "\"input\":{\"city\":\"Paris\",\"unit\":\"celsius\",\"days\":[1,2,3],\"note\":" + quoted(LONG_TEXT) + "}},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01B\",\"name\":\"get_time\",\"input\":{}},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01C\",\"name\":\"get_news\",\"input\":{\"topic\":\"tides\"}}";

  /** Whole messages that must survive whole → stream → whole unchanged. */
  static List<JsonNode> wholes() {
    List<JsonNode> wholes = new ArrayList<>();
    wholes.add(WireFiles.json("anthropic/text.resp.json"));
    wholes.add(WireFiles.json("anthropic/tool-use.resp.json"));
    wholes.add(WireFiles.json("anthropic/thinking-tool.resp.json"));
    wholes.add(message("[{\"type\":\"text\",\"text\":" + quoted(LONG_TEXT) + "}]", "end_turn"));
    wholes.add(message("[{\"type\":\"text\",\"text\":\"\"}]", "max_tokens"));
    wholes.add(message("[]", "end_turn"));
    wholes.add(message("[" + THINKING + ",{\"type\":\"text\",\"text\":\"Three calls.\"}," + TOOLS + "]", "tool_use"));
    wholes.add(message("[{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix\"},"
        + "{\"type\":\"text\",\"text\":\"Done.\"}]", "end_turn"));
    ObjectNode stopped = message("[{\"type\":\"text\",\"text\":\"Here is the list:\\n1. One\\n\"}]", "stop_sequence");
    stopped.put("stop_sequence", "2.");
    wholes.add(stopped);
    ObjectNode refused = message("[]", "refusal");
    refused.set("stop_details", Json.tryParse(("{\"type\":\"refusal\",\"category\":\"cyber\","
        + "\"explanation\":\"This request was refused due to policy.\"}").getBytes(StandardCharsets.UTF_8)));
    wholes.add(refused);
    return wholes;
  }

  static List<SseEvent> events(byte[] sse) {
    return SseReader.readAll(sse);
  }

  private static byte[] stream(JsonNode whole) {
    return AnthropicWholeToStream.streamFromWhole(Json.bytes(whole));
  }

  private static JsonNode data(SseEvent e) {
    return Json.tryParse(e.data().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void whole_to_stream_to_whole_gives_the_same_message_back() {
    for (JsonNode whole : wholes()) {
      byte[] sse = stream(whole);
      assertEquals(whole, Json.tryParse(AnthropicStreamToWhole.wholeFromStream(sse).orElseThrow()),
          new String(sse, StandardCharsets.UTF_8));
    }
  }

  @Test
  void events_are_named_framed_and_ordered_as_the_api_sends_them() {
    byte[] sse = stream(wholes().get(6));
    String text = new String(sse, StandardCharsets.UTF_8);
    for (String block : text.split("\n\n")) {
      String[] lines = block.split("\n");
      assertEquals(2, lines.length, block);
      assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
      assertEquals(lines[0].substring(7), data(events((block + "\n\n").getBytes(StandardCharsets.UTF_8)).get(0))
          .get("type").asText());
    }
    assertTrue(text.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    List<String> names = events(sse).stream().map(SseEvent::event).toList();
    assertEquals(List.of("message_start", "content_block_start", "ping"), names.subList(0, 3));
    assertEquals(List.of("message_delta", "message_stop"), names.subList(names.size() - 2, names.size()));
    int index = -1;
    boolean open = false;
    for (SseEvent e : events(sse)) {
      JsonNode d = data(e);
      switch (e.event()) {
        case "content_block_start" -> {
          assertFalse(open);
          open = true;
          assertEquals(++index, d.get("index").asInt());
        }
        case "content_block_delta" -> {
          assertTrue(open);
          assertEquals(index, d.get("index").asInt());
        }
        case "content_block_stop" -> {
          assertTrue(open);
          open = false;
          assertEquals(index, d.get("index").asInt());
        }
        case "ping" -> assertEquals(0, index, "the ping comes inside the first block, as the API sends it");
        default -> assertFalse(open, e.event());
      }
    }
    assertEquals(4, index);
  }

  @Test
  void message_start_has_no_content_nor_stop_reason_and_output_comes_in_message_delta() {
    JsonNode whole = wholes().get(3);
    List<SseEvent> events = events(stream(whole));
    JsonNode start = data(events.get(0)).get("message");
    assertEquals(0, start.get("content").size());
    assertTrue(start.get("stop_reason").isNull());
    assertTrue(start.get("stop_sequence").isNull());
    assertEquals(1, start.at("/usage/output_tokens").asInt());
    assertEquals(412, start.at("/usage/input_tokens").asInt());
    assertEquals(4102, start.at("/usage/cache_creation_input_tokens").asInt());
    assertEquals(8192, start.at("/usage/cache_read_input_tokens").asInt());
    assertEquals(4102, start.at("/usage/cache_creation/ephemeral_1h_input_tokens").asInt());
    JsonNode delta = data(events.get(events.size() - 2));
    assertEquals("end_turn", delta.at("/delta/stop_reason").asText());
    assertTrue(delta.at("/delta/stop_sequence").isNull());
    assertEquals(71, delta.at("/usage/output_tokens").asInt());
  }

  @Test
  void text_goes_out_in_small_pieces_that_never_split_a_character() {
    StringBuilder text = new StringBuilder();
    int pieces = 0;
    for (SseEvent e : events(stream(wholes().get(3)))) {
      if (e.event().equals("content_block_delta")) {
        JsonNode delta = data(e).get("delta");
        assertEquals("text_delta", delta.get("type").asText());
        String piece = delta.get("text").asText();
        assertTrue(piece.length() <= AnthropicWholeToStream.PIECE);
        assertFalse(Character.isLowSurrogate(piece.charAt(0)) || Character.isHighSurrogate(piece.charAt(piece.length() - 1)));
        text.append(piece);
        pieces++;
      }
    }
    assertEquals(LONG_TEXT, text.toString());
    assertTrue(pieces >= 3);
  }

  @Test
  void thinking_sends_its_text_then_one_signature_and_tools_send_their_input_as_json_pieces() {
    List<SseEvent> events = events(stream(wholes().get(6)));
    JsonNode thinkingStart = data(events.get(1)).get("content_block");
    assertEquals("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}", Json.string(thinkingStart));
    List<String> kinds = new ArrayList<>();
    StringBuilder input = new StringBuilder();
    for (SseEvent e : events) {
      JsonNode d = data(e);
      if (e.event().equals("content_block_delta")) {
        kinds.add(d.get("index").asInt() + ":" + d.at("/delta/type").asText());
        if (d.get("index").asInt() == 2) {
          input.append(d.at("/delta/partial_json").asText());
        }
      }
      if (e.event().equals("content_block_start") && d.get("index").asInt() == 2) {
        assertEquals(0, d.at("/content_block/input").size());
        assertEquals("toolu_01A", d.at("/content_block/id").asText());
      }
    }
    assertEquals(List.of("0:thinking_delta", "0:thinking_delta", "0:thinking_delta", "0:thinking_delta",
        "0:signature_delta"), kinds.subList(0, 5));
    assertTrue(kinds.stream().filter(k -> k.equals("2:input_json_delta")).count() >= 3);
    assertEquals(wholes().get(6).at("/content/2/input"), Json.tryParse(input.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_body_that_is_not_a_message_is_refused() {
    assertThrows(IllegalArgumentException.class,
        () -> AnthropicWholeToStream.streamFromWhole("[]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> AnthropicWholeToStream.streamFromWhole(
        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}".getBytes(StandardCharsets.UTF_8)));
  }
}

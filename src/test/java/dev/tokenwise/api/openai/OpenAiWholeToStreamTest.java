package dev.tokenwise.api.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class OpenAiWholeToStreamTest {
  static final String LONG_TEXT = "Voilà : le temps à Paris est nuageux ☁️, 18 °C. À Lyon, soleil 🌞 et 24 °C; "
      + "à Marseille, mistral 🌬️🌬️ et 21 °C. 日本語でも大丈夫です。👩‍👩‍👧‍👦 "
      + "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP: 🇫🇷🇯🇵 and a very-long-word-without-any-space-"
      + "in-it-that-must-still-be-cut-somewhere-sensible-even-so.";

  /** A whole completion around one message, with cached-token usage and the optional identity fields. */
  static ObjectNode completion(String message, String finishReason) {
    return (ObjectNode) Json.tryParse(("{\"id\":\"chatcmpl-Rt1\",\"object\":\"chat.completion\",\"created\":1761000400,"
        + "\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"message\":" + message
        + ",\"logprobs\":null,\"finish_reason\":\"" + finishReason + "\"}],"
        + "\"usage\":{\"prompt_tokens\":2046,\"completion_tokens\":55,\"total_tokens\":2101,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":12,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"priority\",\"system_fingerprint\":null}").getBytes(StandardCharsets.UTF_8));
  }

  static String message(String content, String refusal, String toolCalls) {
    return "{\"role\":\"assistant\",\"content\":" + content + ",\"refusal\":" + refusal
        + (toolCalls == null ? "" : ",\"tool_calls\":" + toolCalls) + ",\"annotations\":[]}";
  }

  static String quoted(String text) {
    return Json.string(Json.MAPPER.getNodeFactory().textNode(text));
  }

  static final String THREE_CALLS = "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"unit\\\":\\\"celsius\\\",\\\"note\\\":\\\"a long argument string "
      + "that needs more than one piece to go out 🌧️\\\"}\"}},"
      + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}},"
      + "{\"id\":\"call_3\",\"type\":\"function\",\"function\":{\"name\":\"ping\",\"arguments\":\"\"}}]";

  /** Whole responses that must survive whole → stream → whole unchanged. */
  static List<JsonNode> wholes() {
    List<JsonNode> wholes = new ArrayList<>();
    wholes.add(WireFiles.json("openai/reference-text.resp.json"));
    wholes.add(WireFiles.json("openai/reference-tool-calls.resp.json"));
    wholes.add(completion(message(quoted(LONG_TEXT), "null", null), "stop"));
    wholes.add(completion(message("\"\"", "null", null), "length"));
    wholes.add(completion(message("null", quoted("I can't help with that request, sorry. ".repeat(3)), null), "stop"));
    wholes.add(completion(message(quoted("Let me check three things."), "null", THREE_CALLS), "tool_calls"));
    wholes.add(completion(message("null", "null", THREE_CALLS), "tool_calls"));
    ObjectNode withLogprobs = completion(message("\"Hi!\"", "null", null), "stop");
    ((ObjectNode) withLogprobs.at("/choices/0")).set("logprobs", Json.tryParse(("{\"content\":["
        + "{\"token\":\"Hi\",\"logprob\":-0.0001,\"bytes\":[72,105],\"top_logprobs\":[]},"
        + "{\"token\":\"!\",\"logprob\":-1.25E-5,\"bytes\":[33],\"top_logprobs\":[]}],\"refusal\":null}")
        .getBytes(StandardCharsets.UTF_8)));
    wholes.add(withLogprobs);
    wholes.add(completion(message("\"\"", "\"\"", null), "content_filter"));
    return wholes;
  }

  static List<JsonNode> chunks(byte[] sse) {
    List<JsonNode> chunks = new ArrayList<>();
    for (SseEvent e : SseReader.readAll(sse)) {
      if (!"[DONE]".equals(e.data())) {
        chunks.add(Json.tryParse(e.data().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return chunks;
  }

  private static byte[] stream(JsonNode whole, boolean includeUsage) {
    return OpenAiWholeToStream.streamFromWhole(Json.bytes(whole), includeUsage);
  }

  @Test
  void whole_to_stream_to_whole_gives_the_same_response_back() {
    for (JsonNode whole : wholes()) {
      byte[] sse = stream(whole, true);
      assertEquals(whole, Json.tryParse(OpenAiStreamToWhole.wholeFromStream(sse).orElseThrow()),
          new String(sse, StandardCharsets.UTF_8));
    }
  }

  @Test
  void without_include_usage_the_caller_supplies_the_usage_to_get_the_same_response_back() {
    for (JsonNode whole : wholes()) {
      byte[] sse = stream(whole, false);
      assertEquals(whole, Json.tryParse(OpenAiStreamToWhole.wholeFromStream(sse, whole.get("usage")).orElseThrow()));
    }
  }

  @Test
  void events_are_framed_as_openai_frames_them() {
    String sse = new String(stream(wholes().get(0), true), StandardCharsets.UTF_8);
    assertTrue(sse.endsWith("\n\ndata: [DONE]\n\n"));
    for (String block : sse.split("\n\n")) {
      assertTrue(block.startsWith("data: ") && !block.contains("\n"), block);
    }
    assertFalse(sse.contains("event:"));
  }

  @Test
  void with_include_usage_every_chunk_has_null_usage_and_a_last_chunk_without_choices_has_it() {
    JsonNode whole = wholes().get(2);
    List<JsonNode> chunks = chunks(stream(whole, true));
    JsonNode last = chunks.get(chunks.size() - 1);
    assertEquals(0, last.get("choices").size());
    assertEquals(whole.get("usage"), last.get("usage"));
    for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
      assertTrue(chunk.get("usage").isNull(), chunk.toString());
      assertEquals(1, chunk.get("choices").size());
    }
    assertEquals("stop", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
  }

  @Test
  void without_include_usage_no_chunk_has_a_usage_key_or_lacks_a_choice() {
    for (JsonNode chunk : chunks(stream(wholes().get(2), false))) {
      assertFalse(chunk.has("usage"));
      assertEquals(1, chunk.get("choices").size());
    }
  }

  @Test
  void every_chunk_carries_the_responses_identity() {
    JsonNode whole = WireFiles.json("openai/reference-text.resp.json");
    for (JsonNode chunk : chunks(stream(whole, true))) {
      assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", chunk.get("id").asText());
      assertEquals("chat.completion.chunk", chunk.get("object").asText());
      assertEquals(1761000000, chunk.get("created").asLong());
      assertEquals("gpt-4o-2024-08-06", chunk.get("model").asText());
      assertEquals("fp_4f0b692a78", chunk.get("system_fingerprint").asText());
      assertEquals("default", chunk.get("service_tier").asText());
    }
  }

  @Test
  void text_opens_with_the_role_and_goes_out_in_small_pieces_that_never_split_a_character() {
    List<JsonNode> chunks = chunks(stream(wholes().get(2), false));
    JsonNode first = chunks.get(0).at("/choices/0");
    assertEquals("assistant", first.at("/delta/role").asText());
    assertEquals("", first.at("/delta/content").asText());
    assertTrue(first.at("/delta/refusal").isNull());
    assertTrue(first.get("finish_reason").isNull());
    StringBuilder text = new StringBuilder();
    int pieces = 0;
    for (JsonNode chunk : chunks.subList(1, chunks.size() - 1)) {
      String piece = chunk.at("/choices/0/delta/content").asText();
      assertTrue(piece.length() <= OpenAiWholeToStream.PIECE);
      assertFalse(Character.isLowSurrogate(piece.charAt(0)) || Character.isHighSurrogate(piece.charAt(piece.length() - 1)));
      text.append(piece);
      pieces++;
    }
    assertEquals(LONG_TEXT, text.toString());
    assertTrue(pieces >= 3, "pieces: " + pieces);
  }

  @Test
  void tool_calls_open_with_id_type_name_and_empty_arguments_then_send_arguments_under_their_index() {
    List<JsonNode> chunks = chunks(stream(wholes().get(6), false));
    JsonNode opening = chunks.get(0).at("/choices/0/delta");
    assertTrue(opening.get("content").isNull());
    assertEquals("call_1", opening.at("/tool_calls/0/id").asText());
    assertEquals(0, opening.at("/tool_calls/0/index").asInt());
    assertEquals("function", opening.at("/tool_calls/0/type").asText());
    assertEquals("get_weather", opening.at("/tool_calls/0/function/name").asText());
    assertEquals("", opening.at("/tool_calls/0/function/arguments").asText());
    List<String> seen = new ArrayList<>();
    for (JsonNode chunk : chunks.subList(1, chunks.size() - 1)) {
      JsonNode fragment = chunk.at("/choices/0/delta/tool_calls/0");
      if (fragment.has("id")) {
        seen.add(fragment.get("index").asInt() + ":" + fragment.get("id").asText());
        assertEquals("", fragment.at("/function/arguments").asText());
      } else {
        assertEquals(List.of("index", "function"), List.copyOf(iterable(fragment)));
        assertNull(fragment.get("function").get("name"));
      }
    }
    assertEquals(List.of("1:call_2", "2:call_3"), seen);
    assertEquals("tool_calls", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
  }

  private static List<String> iterable(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void with_several_choices_every_finishing_chunk_comes_after_all_the_text() {
    ObjectNode whole = completion(message("\"first\"", "null", null), "stop");
    ObjectNode second = whole.at("/choices/0").deepCopy();
    second.put("index", 1);
    ((ObjectNode) second.get("message")).put("content", "second");
    second.put("finish_reason", "length");
    whole.withArray("choices").add(second);
    List<JsonNode> chunks = chunks(stream(whole, true));
    int firstFinish = -1;
    int lastText = -1;
    for (int i = 0; i < chunks.size(); i++) {
      JsonNode choice = chunks.get(i).at("/choices/0");
      if (choice.hasNonNull("finish_reason") && firstFinish < 0) {
        firstFinish = i;
      }
      if (choice.at("/delta/content").isTextual()) {
        lastText = i;
      }
    }
    assertTrue(lastText < firstFinish, "text at " + lastText + ", first finish at " + firstFinish);
    assertEquals(2, chunks.stream().filter(c -> c.at("/choices/0").hasNonNull("finish_reason")).count());
  }

  @Test
  void a_body_that_a_stream_cannot_carry_is_refused() {
    assertThrows(IllegalArgumentException.class,
        () -> OpenAiWholeToStream.streamFromWhole("not json".getBytes(StandardCharsets.UTF_8), true));
    assertThrows(IllegalArgumentException.class,
        () -> OpenAiWholeToStream.streamFromWhole("{\"choices\":[]}".getBytes(StandardCharsets.UTF_8), true));
    ObjectNode audio = completion(message("null", "null", null), "stop");
    ((ObjectNode) audio.at("/choices/0/message")).putObject("audio").put("id", "audio_1");
    assertThrows(IllegalArgumentException.class, () -> stream(audio, true));
    ObjectNode custom = completion(message("null", "null",
        "[{\"id\":\"call_c\",\"type\":\"custom\",\"custom\":{\"name\":\"sh\",\"input\":\"ls\"}}]"), "tool_calls");
    assertThrows(IllegalArgumentException.class, () -> stream(custom, true));
  }
}

package dev.tokenwise.api.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.testing.WireFiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiStreamToWholeTest {
  private static final String HEAD = "\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1761000300,"
      + "\"model\":\"gpt-4.1-mini-2025-04-14\"";

  private static Optional<JsonNode> whole(String sse) {
    return OpenAiStreamToWhole.wholeFromStream(sse.getBytes(StandardCharsets.UTF_8)).map(Json::tryParse);
  }

  private static String chunk(String choices) {
    return "data: {" + HEAD + ",\"choices\":[" + choices + "]}\n\n";
  }

  private static String delta(String delta, String finish) {
    return chunk("{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}");
  }

  @Test
  void the_reference_text_stream_with_usage_gives_the_documented_whole_response() {
    assertEquals(WireFiles.json("openai/text-usage.resp.json"), whole(WireFiles.text("openai/text-usage.sse")).orElseThrow());
  }

  @Test
  void the_reference_tool_call_stream_gives_both_calls_in_index_order() {
    assertEquals(WireFiles.json("openai/tool-calls.resp.json"), whole(WireFiles.text("openai/tool-calls.sse")).orElseThrow());
  }

  @Test
  void comments_are_ignored_and_without_include_usage_the_usage_is_left_out_or_supplied() {
    String sse = ": OPENROUTER PROCESSING\n\n"
        + delta("{\"role\":\"assistant\",\"content\":\"\"}", "null")
        + ": keep-alive\n\n"
        + delta("{\"content\":\"Bonjour \"}", "null")
        + delta("{\"content\":\"à tous 👋\"}", "null")
        + delta("{}", "\"stop\"")
        + "data: [DONE]\n\n";
    JsonNode plain = whole(sse).orElseThrow();
    assertEquals("Bonjour à tous 👋", plain.at("/choices/0/message/content").asText());
    assertFalse(plain.has("usage"));
    assertFalse(plain.has("system_fingerprint"));

    JsonNode usage = Json.tryParse(("{\"prompt_tokens\":2100,\"completion_tokens\":7,\"total_tokens\":2107,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1920}}").getBytes(StandardCharsets.UTF_8));
    JsonNode supplied = OpenAiStreamToWhole.wholeFromStream(sse.getBytes(StandardCharsets.UTF_8), usage)
        .map(Json::tryParse).orElseThrow();
    assertEquals(usage, supplied.get("usage"));
  }

  @Test
  void the_streams_own_usage_wins_over_a_supplied_one() {
    JsonNode supplied = Json.tryParse("{\"prompt_tokens\":1}".getBytes(StandardCharsets.UTF_8));
    JsonNode whole = OpenAiStreamToWhole.wholeFromStream(WireFiles.bytes("openai/text-usage.sse"), supplied)
        .map(Json::tryParse).orElseThrow();
    assertEquals(9, whole.at("/usage/prompt_tokens").asInt());
  }

  @Test
  void text_then_calls_from_a_provider_that_sends_a_call_whole_or_repeats_its_id() {
    String sse = delta("{\"role\":\"assistant\",\"content\":\"Let me look.\"}", "null")
        + delta("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\\\"tides\\\"}\"}}]}", "null")
        + delta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"convert\",\"arguments\":\"\"}}]}", "null")
        + delta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"arguments\":\"{\\\"from\\\":\"}}]}", "null")
        + delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"km\\\"}\"}}]}", "null")
        + delta("{}", "\"tool_calls\"")
        + "data: [DONE]\n\n";
    JsonNode message = whole(sse).orElseThrow().at("/choices/0/message");
    assertEquals("Let me look.", message.get("content").asText());
    assertEquals(2, message.get("tool_calls").size());
    assertEquals("call_a", message.at("/tool_calls/0/id").asText());
    assertEquals("{\"q\":\"tides\"}", message.at("/tool_calls/0/function/arguments").asText());
    assertEquals("call_b", message.at("/tool_calls/1/id").asText());
    assertEquals("convert", message.at("/tool_calls/1/function/name").asText());
    assertEquals("{\"from\":\"km\"}", message.at("/tool_calls/1/function/arguments").asText());
    assertEquals("function", message.at("/tool_calls/1/type").asText());
  }

  @Test
  void a_refusal_is_kept_apart_from_the_content() {
    String sse = delta("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}", "null")
        + delta("{\"refusal\":\"I can't help \"}", "null")
        + delta("{\"refusal\":\"with that.\"}", "null")
        + delta("{}", "\"stop\"")
        + "data: [DONE]\n\n";
    JsonNode message = whole(sse).orElseThrow().at("/choices/0/message");
    assertTrue(message.get("content").isNull());
    assertEquals("I can't help with that.", message.get("refusal").asText());
  }

  @Test
  void log_probabilities_of_every_chunk_are_listed_in_order() {
    String sse = chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}")
        + chunk("{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.01,"
            + "\"bytes\":[72,105],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}")
        + chunk("{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":{\"content\":[{\"token\":\"!\",\"logprob\":-0.25,"
            + "\"bytes\":[33],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}")
        + delta("{}", "\"stop\"")
        + "data: [DONE]\n\n";
    JsonNode choice = whole(sse).orElseThrow().at("/choices/0");
    assertEquals("Hi", choice.at("/logprobs/content/0/token").asText());
    assertEquals("-0.25", choice.at("/logprobs/content/1/logprob").decimalValue().toPlainString());
    assertTrue(choice.at("/logprobs/refusal").isNull());
  }

  @Test
  void empty_content_is_an_empty_string() {
    String sse = delta("{\"role\":\"assistant\",\"content\":\"\"}", "null") + delta("{}", "\"length\"")
        + "data: [DONE]\n\n";
    JsonNode choice = whole(sse).orElseThrow().at("/choices/0");
    assertEquals("", choice.at("/message/content").asText());
    assertEquals("length", choice.get("finish_reason").asText());
  }

  @Test
  void an_incomplete_stream_gives_nothing() {
    String full = WireFiles.text("openai/text-usage.sse");
    String noDone = full.substring(0, full.indexOf("data: [DONE]"));
    assertTrue(whole(noDone).isEmpty(), "no [DONE]");
    String noFinish = Arrays.stream(full.split("\n\n"))
        .filter(e -> !e.contains("\"finish_reason\":\"stop\""))
        .reduce("", (a, e) -> a + e + "\n\n");
    assertTrue(whole(noFinish).isEmpty(), "no finishing chunk");
    assertTrue(whole(full.substring(0, full.indexOf("\"content\":\"Hi\"") + 12)).isEmpty(), "cut inside a chunk");
    assertTrue(whole("").isEmpty(), "nothing at all");
  }

  @Test
  void an_in_band_error_gives_nothing() {
    String sse = delta("{\"role\":\"assistant\",\"content\":\"Par\"}", "null")
        + "data: {\"error\":{\"message\":\"upstream reset\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"
        + delta("{}", "\"stop\"")
        + "data: [DONE]\n\n";
    assertTrue(whole(sse).isEmpty());
  }

  @Test
  void several_choices_are_not_supported() {
    String sse = chunk("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"A\"},\"logprobs\":null,\"finish_reason\":null},"
            + "{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"B\"},\"logprobs\":null,\"finish_reason\":null}")
        + chunk("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"},"
            + "{\"index\":1,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}")
        + "data: [DONE]\n\n";
    assertTrue(whole(sse).isEmpty());
  }

  @Test
  void what_cannot_be_rebuilt_exactly_gives_nothing() {
    String end = delta("{}", "\"stop\"") + "data: [DONE]\n\n";
    assertTrue(whole("data: not json\n\n" + end).isEmpty(), "a chunk that is not JSON");
    assertTrue(whole(delta("{\"role\":\"assistant\",\"audio\":{\"id\":\"audio_1\",\"data\":\"UklG\"}}", "null") + end)
        .isEmpty(), "audio");
    assertTrue(whole(delta("{\"role\":\"assistant\",\"function_call\":{\"name\":\"f\",\"arguments\":\"\"}}", "null") + end)
        .isEmpty(), "the deprecated function_call");
    assertTrue(whole(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"call_c\",\"type\":\"custom\","
        + "\"custom\":{\"name\":\"sh\",\"input\":\"ls\"}}]}", "null") + end).isEmpty(), "a custom tool call");
  }
}

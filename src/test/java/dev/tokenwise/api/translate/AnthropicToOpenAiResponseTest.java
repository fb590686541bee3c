package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicToOpenAiResponseTest {
  private static final long CREATED = 1763650000L;

  /** The tree as a client reads it off the wire, so long and int counts compare equal. */
  private static JsonNode wire(JsonNode node) {
    return Json.tryParse(Json.bytes(node));
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode message(String content, String stopReason, String usage) {
    return json("{'id':'msg_1','type':'message','role':'assistant','model':'claude-sonnet-4-6','content':" + content
        + ",'stop_reason':" + stopReason + ",'stop_sequence':null,'usage':" + usage + "}");
  }

  @Test
  void the_worked_example_of_the_guide_translates_exactly() {
    // anthropic.md §3 is the upstream answer whose translation translation.md §2.3 shows.
    JsonNode upstream = json("""
        {'id':'msg_01XFDUDYJgAACzvnptvVoYEL','type':'message','role':'assistant','model':'claude-sonnet-4-6',
         'content':[{'type':'text','text':'I\\u0027ll look up the weather.'},
                    {'type':'tool_use','id':'toolu_01A09q90qw90lq917835lq9','name':'get_weather','input':{'city':'Paris'}}],
         'stop_reason':'tool_use','stop_sequence':null,
         'usage':{'input_tokens':412,'cache_creation_input_tokens':4102,'cache_read_input_tokens':0,
                  'cache_creation':{'ephemeral_5m_input_tokens':0,'ephemeral_1h_input_tokens':4102},
                  'output_tokens':71,'service_tier':'standard'}}""");
    JsonNode expected = json("""
        {'id':'chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL','object':'chat.completion','created':1763650000,
         'model':'claude-sonnet-4-6',
         'choices':[{'index':0,
                     'message':{'role':'assistant','content':'I\\u0027ll look up the weather.','refusal':null,
                                'tool_calls':[{'id':'toolu_01A09q90qw90lq917835lq9','type':'function',
                                               'function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}}]},
                     'logprobs':null,'finish_reason':'tool_calls'}],
         'usage':{'prompt_tokens':4514,'completion_tokens':71,'total_tokens':4585,
                  'prompt_tokens_details':{'cached_tokens':0,'cache_write_tokens':4102},
                  'completion_tokens_details':{'reasoning_tokens':0}}}""");
    assertEquals(expected, wire(AnthropicToOpenAiResponse.translate(upstream, null, CREATED)));
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, stop",
      "stop_sequence, stop",
      "max_tokens, length",
      "model_context_window_exceeded, length",
      "tool_use, tool_calls",
      "refusal, content_filter",
      "pause_turn, stop",
      "something_new, stop",
  })
  void every_stop_reason_maps_to_its_finish_reason(String stopReason, String finishReason) {
    assertEquals(finishReason, AnthropicToOpenAiResponse.finishReason(stopReason));
    JsonNode out = AnthropicToOpenAiResponse.translate(message("[]", "'" + stopReason + "'", "{}"), null, CREATED);
    assertEquals(finishReason, out.at("/choices/0/finish_reason").asText());
  }

  @Test
  void a_null_stop_reason_finishes_with_stop() {
    assertEquals("stop", AnthropicToOpenAiResponse.finishReason(null));
    JsonNode out = AnthropicToOpenAiResponse.translate(message("[]", "null", "{}"), null, CREATED);
    assertEquals("stop", out.at("/choices/0/finish_reason").asText());
  }

  @Test
  void the_client_model_replaces_the_upstream_model() {
    JsonNode out = AnthropicToOpenAiResponse.translate(message("[]", "'end_turn'", "{}"), "my-alias", CREATED);
    assertEquals("my-alias", out.get("model").asText());
  }

  @Test
  void text_blocks_are_joined_and_thinking_blocks_dropped() {
    JsonNode out = AnthropicToOpenAiResponse.translate(message(
        "[{'type':'thinking','thinking':'hmm','signature':'sig'},{'type':'text','text':'Hello, '},"
            + "{'type':'redacted_thinking','data':'x'},{'type':'text','text':'world.'}]",
        "'end_turn'", "{}"), null, CREATED);
    JsonNode message = out.at("/choices/0/message");
    assertEquals("Hello, world.", message.get("content").asText());
    assertFalse(message.has("tool_calls"));
    assertTrue(message.get("refusal").isNull());
  }

  @Test
  void content_is_null_when_there_are_only_tool_calls() {
    JsonNode out = AnthropicToOpenAiResponse.translate(message(
        "[{'type':'tool_use','id':'toolu_1','name':'a','input':{'x':[1,{'y':null}]}},"
            + "{'type':'tool_use','id':'toolu_2','name':'b','input':{}}]",
        "'tool_use'", "{}"), null, CREATED);
    JsonNode message = out.at("/choices/0/message");
    assertTrue(message.get("content").isNull());
    assertEquals("{\"x\":[1,{\"y\":null}]}", message.at("/tool_calls/0/function/arguments").asText());
    assertEquals("toolu_2", message.at("/tool_calls/1/id").asText());
    assertEquals("{}", message.at("/tool_calls/1/function/arguments").asText());
  }

  @Test
  void a_refusal_keeps_its_partial_text_in_content() {
    JsonNode out = AnthropicToOpenAiResponse.translate(
        message("[{'type':'text','text':'I can start, but'}]", "'refusal'", "{}"), null, CREATED);
    assertEquals("I can start, but", out.at("/choices/0/message/content").asText());
    assertEquals("content_filter", out.at("/choices/0/finish_reason").asText());
  }

  @Test
  void cache_reads_and_writes_count_into_the_prompt_and_thinking_into_reasoning() {
    JsonNode out = AnthropicToOpenAiResponse.translate(message("[]", "'end_turn'",
        "{'input_tokens':10,'cache_creation_input_tokens':200,'cache_read_input_tokens':3000,'output_tokens':50,"
            + "'output_tokens_details':{'thinking_tokens':30}}"), null, CREATED);
    assertEquals(json("{'prompt_tokens':3210,'completion_tokens':50,'total_tokens':3260,"
        + "'prompt_tokens_details':{'cached_tokens':3000,'cache_write_tokens':200},"
        + "'completion_tokens_details':{'reasoning_tokens':30}}"), wire(out.get("usage")));
  }

  @Test
  void missing_usage_counts_as_zero() {
    JsonNode out = AnthropicToOpenAiResponse.translate(json("{'id':'msg_2','content':[]}"), "m", CREATED);
    assertEquals(0, out.at("/usage/total_tokens").asLong());
    assertEquals(0, out.at("/usage/completion_tokens_details/reasoning_tokens").asLong());
    assertEquals("chatcmpl-msg_2", out.get("id").asText());
  }
}

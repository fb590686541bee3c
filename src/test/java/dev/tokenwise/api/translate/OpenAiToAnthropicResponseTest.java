package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiToAnthropicResponseTest {
  /** The tree as a client reads it off the wire, so long and int counts compare equal. */
  private static JsonNode wire(JsonNode node) {
    return Json.tryParse(Json.bytes(node));
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode completion(String message, String finishReason, String usage) {
    return json("{'id':'chatcmpl-1','object':'chat.completion','created':1761000001,'model':'gpt-4.1-mini',"
        + "'choices':[{'index':0,'message':" + message + ",'logprobs':null,'finish_reason':" + finishReason + "}],"
        + "'usage':" + usage + "}");
  }

  private static JsonNode toolCallMessage(String arguments) {
    return completion("{'role':'assistant','content':null,'refusal':null,'tool_calls':[{'id':'call_1','type':'function',"
        + "'function':{'name':'f','arguments':" + arguments + "}}]}", "'tool_calls'", "{}");
  }

  @Test
  void the_worked_example_of_the_guide_translates_exactly() {
    // openai.md §3.2 with the single call that translation.md §3.3 shows.
    JsonNode upstream = json("""
        {'id':'chatcmpl-abc123','object':'chat.completion','created':1761000001,'model':'gpt-4.1-mini-2025-04-14',
         'choices':[{'index':0,
                     'message':{'role':'assistant','content':null,'refusal':null,
                                'tool_calls':[{'id':'call_9XkQ2v7Lw8','type':'function',
                                               'function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}}],
                                'annotations':[]},
                     'logprobs':null,'finish_reason':'tool_calls'}],
         'usage':{'prompt_tokens':82,'completion_tokens':40,'total_tokens':122,
                  'prompt_tokens_details':{'cached_tokens':0,'audio_tokens':0},
                  'completion_tokens_details':{'reasoning_tokens':0,'audio_tokens':0,
                                               'accepted_prediction_tokens':0,'rejected_prediction_tokens':0}},
         'service_tier':'default'}""");
    JsonNode expected = json("""
        {'id':'msg_chatcmpl-abc123','type':'message','role':'assistant','model':'gpt-4.1-mini',
         'content':[{'type':'tool_use','id':'call_9XkQ2v7Lw8','name':'get_weather','input':{'city':'Paris'}}],
         'stop_reason':'tool_use','stop_sequence':null,
         'usage':{'input_tokens':82,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':40}}""");
    assertEquals(expected, wire(OpenAiToAnthropicResponse.translate(upstream, "gpt-4.1-mini")));
  }

  @ParameterizedTest
  @CsvSource({
      "stop, end_turn",
      "length, max_tokens",
      "tool_calls, tool_use",
      "function_call, tool_use",
      "content_filter, refusal",
      "something_new, end_turn",
  })
  void every_finish_reason_maps_to_its_stop_reason(String finishReason, String stopReason) {
    assertEquals(stopReason, OpenAiToAnthropicResponse.stopReason(finishReason));
    JsonNode out = OpenAiToAnthropicResponse.translate(
        completion("{'role':'assistant','content':'x'}", "'" + finishReason + "'", "{}"), null);
    assertEquals(stopReason, out.get("stop_reason").asText());
  }

  @Test
  void a_null_finish_reason_ends_the_turn() {
    assertEquals("end_turn", OpenAiToAnthropicResponse.stopReason(null));
    JsonNode out = OpenAiToAnthropicResponse.translate(completion("{'role':'assistant','content':'x'}", "null", "{}"), null);
    assertEquals("end_turn", out.get("stop_reason").asText());
  }

  @Test
  void a_text_answer_becomes_one_text_block_under_the_upstream_model_when_no_client_model_is_given() {
    JsonNode out = OpenAiToAnthropicResponse.translate(
        completion("{'role':'assistant','content':'Hello!','refusal':null}", "'stop'", "{}"), null);
    assertEquals(json("[{'type':'text','text':'Hello!'}]"), out.get("content"));
    assertEquals("gpt-4.1-mini", out.get("model").asText());
    assertEquals("msg_chatcmpl-1", out.get("id").asText());
    assertEquals(true, out.get("stop_sequence").isNull());
  }

  @Test
  void text_comes_before_the_tool_calls() {
    JsonNode out = OpenAiToAnthropicResponse.translate(completion(
        "{'role':'assistant','content':'Looking.','tool_calls':[{'id':'call_a','type':'function',"
            + "'function':{'name':'f','arguments':'{\\'q\\':1}'}},{'id':'call_b','type':'function',"
            + "'function':{'name':'g','arguments':'{}'}}]}", "'tool_calls'", "{}"), null);
    assertEquals(json("[{'type':'text','text':'Looking.'},"
        + "{'type':'tool_use','id':'call_a','name':'f','input':{'q':1}},"
        + "{'type':'tool_use','id':'call_b','name':'g','input':{}}]"), out.get("content"));
  }

  @Test
  void invalid_tool_arguments_become_an_empty_input() {
    JsonNode out = OpenAiToAnthropicResponse.translate(toolCallMessage("'{\\'city\\': \\'Par'"), null);
    assertEquals(json("{}"), out.at("/content/0/input"));
  }

  @Test
  void empty_or_missing_tool_arguments_become_an_empty_input() {
    assertEquals(json("{}"), OpenAiToAnthropicResponse.translate(toolCallMessage("''"), null).at("/content/0/input"));
    assertEquals(json("{}"), OpenAiToAnthropicResponse.translate(toolCallMessage("null"), null).at("/content/0/input"));
  }

  @Test
  void tool_arguments_that_are_not_an_object_are_wrapped() {
    JsonNode out = OpenAiToAnthropicResponse.translate(toolCallMessage("'[1,2]'"), null);
    assertEquals(json("{'value':[1,2]}"), out.at("/content/0/input"));
  }

  @Test
  void a_refusal_becomes_a_text_block_and_the_refusal_stop_reason() {
    JsonNode out = OpenAiToAnthropicResponse.translate(
        completion("{'role':'assistant','content':null,'refusal':'I can not help with that.'}", "'stop'", "{}"), null);
    assertEquals(json("[{'type':'text','text':'I can not help with that.'}]"), out.get("content"));
    assertEquals("refusal", out.get("stop_reason").asText());
  }

  @Test
  void an_empty_answer_still_has_one_empty_text_block() {
    JsonNode out = OpenAiToAnthropicResponse.translate(
        completion("{'role':'assistant','content':'','refusal':null}", "'length'", "{}"), null);
    assertEquals(json("[{'type':'text','text':''}]"), out.get("content"));
    assertEquals("max_tokens", out.get("stop_reason").asText());
  }

  @Test
  void content_given_as_parts_is_joined() {
    JsonNode out = OpenAiToAnthropicResponse.translate(completion(
        "{'role':'assistant','content':[{'type':'text','text':'a'},{'type':'text','text':'b'}]}", "'stop'", "{}"), null);
    assertEquals(json("[{'type':'text','text':'ab'}]"), out.get("content"));
  }

  @Test
  void cached_and_cache_write_tokens_are_taken_out_of_the_input() {
    JsonNode out = OpenAiToAnthropicResponse.translate(completion("{'role':'assistant','content':'x'}", "'stop'",
        "{'prompt_tokens':4514,'completion_tokens':71,'total_tokens':4585,"
            + "'prompt_tokens_details':{'cached_tokens':300,'cache_write_tokens':4102},"
            + "'completion_tokens_details':{'reasoning_tokens':20}}"), null);
    assertEquals(json("{'input_tokens':112,'cache_creation_input_tokens':4102,'cache_read_input_tokens':300,"
        + "'output_tokens':71}"), wire(out.get("usage")));
  }

  @Test
  void deepseek_cache_hits_and_misses_are_honoured() {
    JsonNode out = OpenAiToAnthropicResponse.translate(completion("{'role':'assistant','content':'x'}", "'stop'",
        "{'prompt_tokens':1000,'completion_tokens':9,'total_tokens':1009,"
            + "'prompt_cache_hit_tokens':768,'prompt_cache_miss_tokens':232}"), null);
    assertEquals(json("{'input_tokens':232,'cache_creation_input_tokens':0,'cache_read_input_tokens':768,"
        + "'output_tokens':9}"), wire(out.get("usage")));
  }

  @Test
  void missing_usage_and_choices_count_as_zero_and_still_give_a_message() {
    JsonNode out = OpenAiToAnthropicResponse.translate(json("{'id':'x','model':'m'}"), null);
    assertEquals(json("{'id':'msg_x','type':'message','role':'assistant','model':'m',"
        + "'content':[{'type':'text','text':''}],'stop_reason':'end_turn','stop_sequence':null,"
        + "'usage':{'input_tokens':0,'cache_creation_input_tokens':0,'cache_read_input_tokens':0,'output_tokens':0}}"),
        wire(out));
  }
}

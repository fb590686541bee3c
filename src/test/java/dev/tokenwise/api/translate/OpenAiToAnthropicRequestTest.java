package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicRequestTest {
  private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Compares as the wire would: a long written by the translator equals the int a parser reads back. */
  static void assertJson(JsonNode expected, JsonNode actual) {
    assertEquals(expected, json(Json.string(actual)));
  }

  private static Translated translate(String body) {
    return OpenAiToAnthropicRequest.translate((ObjectNode) json(body), "claude-sonnet-4-6", 4096);
  }

  private static Translated withHi(String fields) {
    return translate("{" + HI + (fields.isEmpty() ? "" : "," + fields) + "}");
  }

  private static JsonNode messages(String messages) {
    return translate("{\"messages\":" + messages + "}").body().get("messages");
  }

  private static void assertInvalid(String param, String body) {
    GatewayException e = assertThrows(GatewayException.class, () -> translate(body));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertEquals(param, e.param());
  }

  private static boolean noted(Translated t, String fragment) {
    return t.notes().stream().anyMatch(n -> n.contains(fragment));
  }

  @Test
  void the_worked_example_of_the_translation_guide_translates_exactly() {
    Translated t = translate("""
        {
          "model": "claude-sonnet-4-6",
          "messages": [
            {"role": "system", "content": "You are a travel bot."},
            {"role": "user", "content": "Weather in Paris and Lyon?"},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
              {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Lyon\\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "18C cloudy"},
            {"role": "tool", "tool_call_id": "call_2", "content": "21C sunny"},
            {"role": "user", "content": "Which is warmer?"}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
          "tool_choice": "auto",
          "max_tokens": 300,
          "temperature": 0.7
        }""");
    assertJson(json("""
        {
          "model": "claude-sonnet-4-6",
          "max_tokens": 300,
          "temperature": 0.7,
          "system": [{"type": "text", "text": "You are a travel bot."}],
          "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Weather in Paris and Lyon?"}]},
            {"role": "assistant", "content": [
              {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}},
              {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {"city": "Lyon"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "call_1", "content": "18C cloudy"},
              {"type": "tool_result", "tool_use_id": "call_2", "content": "21C sunny"},
              {"type": "text", "text": "Which is warmer?"}
            ]}
          ],
          "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}],
          "tool_choice": {"type": "auto"}
        }"""), t.body());
    assertEquals(java.util.List.of(), t.notes());
  }

  @Test
  void the_upstream_model_replaces_the_client_model() {
    assertEquals("claude-sonnet-4-6", translate("{\"model\":\"gpt-4o\"," + HI + "}").body().get("model").asText());
  }

  @Test
  void max_completion_tokens_wins_over_max_tokens() {
    assertEquals(100, withHi("\"max_completion_tokens\":100,\"max_tokens\":200").body().get("max_tokens").asLong());
    assertEquals(200, withHi("\"max_tokens\":200").body().get("max_tokens").asLong());
  }

  @Test
  void the_default_max_tokens_applies_when_the_client_sets_none() {
    assertEquals(4096, withHi("\"max_tokens\":null").body().get("max_tokens").asLong());
  }

  @Test
  void zero_or_negative_max_tokens_is_a_bad_request() {
    assertInvalid("max_tokens", "{" + HI + ",\"max_tokens\":0}");
    assertInvalid("max_completion_tokens", "{" + HI + ",\"max_completion_tokens\":-5}");
    GatewayException e = assertThrows(GatewayException.class, () ->
        OpenAiToAnthropicRequest.translate((ObjectNode) json("{" + HI + "}"), "m", 0));
    assertEquals("max_tokens", e.param());
  }

  @Test
  void system_and_developer_messages_are_hoisted_in_order() {
    Translated t = translate("""
        {"messages":[{"role":"system","content":"one"},{"role":"user","content":"hi"},
          {"role":"developer","content":[{"type":"text","text":"two"},{"type":"text","text":"three"}]}]}""");
    assertJson(json("[{\"type\":\"text\",\"text\":\"one\"},{\"type\":\"text\",\"text\":\"two\"},"
        + "{\"type\":\"text\",\"text\":\"three\"}]"), t.body().get("system"));
    assertEquals(1, t.body().get("messages").size());
  }

  @Test
  void user_text_parts_become_text_blocks_and_empty_text_is_dropped() {
    assertJson(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]"),
        messages("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"\"},"
            + "{\"type\":\"text\",\"text\":\"b\"}]}]"));
  }

  @Test
  void a_data_url_image_becomes_a_base64_image_block() {
    JsonNode block = messages("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
        + "{\"url\":\"data:image/png;base64,iVBORw0KGgo=\",\"detail\":\"high\"}}]}]").get(0).get("content").get(0);
    assertJson(json("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
        + "\"data\":\"iVBORw0KGgo=\"}}"), block);
  }

  @Test
  void an_http_image_url_becomes_a_url_image_block() {
    JsonNode block = messages("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
        + "{\"url\":\"https://example.com/cat.png\"}}]}]").get(0).get("content").get(0);
    assertJson(json("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.png\"}}"), block);
  }

  @Test
  void an_image_type_anthropic_does_not_take_is_a_bad_request_naming_the_part() {
    assertInvalid("messages[1].content[1]", """
        {"messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"x"},
          {"type":"image_url","image_url":{"url":"data:image/bmp;base64,Qk0="}}]}]}""");
  }

  @Test
  void a_pdf_file_becomes_a_document_block() {
    JsonNode block = messages("[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"filename\":\"a.pdf\","
        + "\"file_data\":\"data:application/pdf;base64,JVBERi0=\"}}]}]").get(0).get("content").get(0);
    assertJson(json("{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
        + "\"data\":\"JVBERi0=\"}}"), block);
  }

  @Test
  void a_file_id_cannot_be_forwarded() {
    assertInvalid("messages[0].content[0]",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-1\"}}]}]}");
  }

  @Test
  void audio_input_is_a_bad_request() {
    assertInvalid("messages[0].content[0]", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
        + "\"input_audio\":{\"data\":\"AA==\",\"format\":\"wav\"}}]}]}");
  }

  @Test
  void assistant_text_comes_before_its_tool_calls() {
    JsonNode assistant = messages("""
        [{"role":"user","content":"hi"},{"role":"assistant","content":"Let me look.","tool_calls":[
          {"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]}]""").get(1);
    assertJson(json("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Let me look.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"f\",\"input\":{\"a\":1}}]}"), assistant);
  }

  @Test
  void invalid_or_empty_arguments_become_an_empty_input_with_a_note() {
    Translated t = translate("""
        {"messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[
          {"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}},
          {"id":"c2","type":"function","function":{"name":"f","arguments":""}}]},
          {"role":"tool","tool_call_id":"c1","content":"x"},{"role":"tool","tool_call_id":"c2","content":"y"}]}""");
    JsonNode calls = t.body().get("messages").get(1).get("content");
    assertJson(Json.object(), calls.get(0).get("input"));
    assertJson(Json.object(), calls.get(1).get("input"));
    assertTrue(noted(t, "messages[1].tool_calls[0]"));
    assertTrue(noted(t, "messages[1].tool_calls[1]"));
  }

  @Test
  void non_object_arguments_are_wrapped_as_value() {
    Translated t = translate("""
        {"messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[
          {"id":"c1","type":"function","function":{"name":"f","arguments":"[1,2]"}}]},
          {"role":"tool","tool_call_id":"c1","content":"x"}]}""");
    assertJson(json("{\"value\":[1,2]}"), t.body().get("messages").get(1).get("content").get(0).get("input"));
    assertTrue(noted(t, "wrapped"));
  }

  @Test
  void an_assistant_message_with_nothing_in_it_is_dropped() {
    Translated t = translate("""
        {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":"b"}]}""");
    assertJson(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]"),
        t.body().get("messages"));
    assertTrue(noted(t, "dropped messages[1]"));
  }

  @Test
  void tool_results_go_before_user_text_sent_ahead_of_them() {
    JsonNode user = messages("""
        [{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[
          {"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
          {"role":"user","content":"hurry"},{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"done"}]}]""")
        .get(2);
    assertJson(json("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"done\"}]},{\"type\":\"text\",\"text\":\"hurry\"}]}"), user);
  }

  @Test
  void consecutive_same_role_messages_are_merged() {
    assertJson(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"c\"},{\"type\":\"text\",\"text\":\"d\"}]}]"),
        messages("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"},"
            + "{\"role\":\"assistant\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":\"d\"}]"));
  }

  @Test
  void a_conversation_starting_with_the_assistant_gets_a_user_turn_first() {
    Translated t = translate("{\"messages\":[{\"role\":\"assistant\",\"content\":\"Hello!\"},{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertJson(json("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"(conversation start)\"}]}"),
        t.body().get("messages").get(0));
    assertTrue(noted(t, "prepended"));
  }

  @Test
  void a_trailing_assistant_message_is_kept_as_prefill_with_a_note() {
    Translated t = translate("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"{\"}]}");
    assertEquals("{", t.body().get("messages").get(1).get("content").get(0).get("text").asText());
    assertTrue(noted(t, "prefill"));
  }

  @Test
  void temperature_above_one_is_clamped_with_a_note() {
    Translated t = withHi("\"temperature\":1.5");
    assertEquals(0, t.body().get("temperature").decimalValue().compareTo(java.math.BigDecimal.ONE));
    assertTrue(noted(t, "clamped 'temperature' 1.5 to 1"));
    assertTrue(withHi("\"temperature\":0.2").notes().isEmpty());
  }

  @Test
  void top_p_and_stream_are_kept_and_stream_options_is_not_sent() {
    Translated t = withHi("\"top_p\":0.9,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    assertEquals("0.9", t.body().get("top_p").asText());
    assertTrue(t.body().get("stream").asBoolean());
    assertFalse(t.body().has("stream_options"));
    assertTrue(noted(t, "stream_options"));
  }

  @Test
  void stop_as_a_string_or_an_array_becomes_stop_sequences() {
    assertJson(json("[\"END\"]"), withHi("\"stop\":\"END\"").body().get("stop_sequences"));
    assertJson(json("[\"a\",\"b\"]"), withHi("\"stop\":[\"a\",\"b\"]").body().get("stop_sequences"));
  }

  @Test
  void function_tools_keep_description_and_strict_and_get_a_default_schema() {
    Translated t = withHi("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"now\",\"description\":\"time\",\"strict\":true}}]");
    assertJson(json("[{\"name\":\"now\",\"description\":\"time\",\"input_schema\":{\"type\":\"object\",\"properties\":{}},"
        + "\"strict\":true}]"), t.body().get("tools"));
  }

  @Test
  void custom_tools_are_a_bad_request() {
    assertInvalid("tools[0]", "{" + HI + ",\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"grammar\"}}]}");
  }

  @Test
  void tool_choice_strings_and_named_functions_map_to_anthropic_objects() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],";
    assertJson(json("{\"type\":\"none\"}"), withHi(tools + "\"tool_choice\":\"none\"").body().get("tool_choice"));
    assertJson(json("{\"type\":\"any\"}"), withHi(tools + "\"tool_choice\":\"required\"").body().get("tool_choice"));
    assertJson(json("{\"type\":\"tool\",\"name\":\"f\"}"), withHi(tools
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}").body().get("tool_choice"));
  }

  @Test
  void allowed_tools_filters_the_tools_sent() {
    Translated t = withHi("""
        "tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"g"}}],
        "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"g"}}]}}""");
    assertEquals(1, t.body().get("tools").size());
    assertEquals("g", t.body().get("tools").get(0).get("name").asText());
    assertJson(json("{\"type\":\"any\"}"), t.body().get("tool_choice"));
  }

  @Test
  void parallel_tool_calls_false_disables_parallel_use_on_the_tool_choice() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"parallel_tool_calls\":false";
    assertJson(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"), withHi(tools).body().get("tool_choice"));
    assertJson(json("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"),
        withHi(tools + ",\"tool_choice\":\"required\"").body().get("tool_choice"));
  }

  @Test
  void a_json_schema_response_format_becomes_the_output_format() {
    Translated t = withHi("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"strict\":true,"
        + "\"schema\":{\"type\":\"object\"}}}");
    assertJson(json("{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}"), t.body().get("output_config"));
  }

  @Test
  void a_json_object_response_format_adds_a_system_instruction() {
    Translated t = translate("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"response_format\":{\"type\":\"json_object\"}}");
    JsonNode system = t.body().get("system");
    assertEquals(2, system.size());
    assertEquals("Be brief.", system.get(0).get("text").asText());
    assertEquals(OpenAiToAnthropicRequest.JSON_OBJECT_INSTRUCTION, system.get(1).get("text").asText());
    assertTrue(noted(t, "json_object"));
  }

  @Test
  void reasoning_effort_maps_to_the_output_effort() {
    assertEquals("low", withHi("\"reasoning_effort\":\"minimal\"").body().at("/output_config/effort").asText());
    assertEquals("medium", withHi("\"reasoning_effort\":\"medium\"").body().at("/output_config/effort").asText());
    assertEquals("xhigh", withHi("\"reasoning_effort\":\"xhigh\"").body().at("/output_config/effort").asText());
    assertFalse(withHi("\"reasoning_effort\":\"none\"").body().has("output_config"));
  }

  @Test
  void the_end_user_id_goes_into_metadata() {
    assertJson(json("{\"user_id\":\"u-1\"}"), withHi("\"user\":\"u-1\"").body().get("metadata"));
    assertJson(json("{\"user_id\":\"s-1\"}"), withHi("\"user\":\"u-1\",\"safety_identifier\":\"s-1\"").body().get("metadata"));
  }

  @Test
  void more_than_one_choice_is_a_bad_request() {
    assertInvalid("n", "{" + HI + ",\"n\":2}");
    assertEquals(1, translate("{" + HI + ",\"n\":1}").body().get("messages").size());
  }

  @Test
  void asking_for_log_probabilities_is_a_bad_request() {
    assertInvalid("logprobs", "{" + HI + ",\"logprobs\":true}");
    assertInvalid("top_logprobs", "{" + HI + ",\"top_logprobs\":3}");
  }

  @Test
  void fields_without_an_anthropic_equivalent_are_dropped_with_a_note_each() {
    String[] fields = {"seed", "logit_bias", "frequency_penalty", "presence_penalty", "modalities", "audio", "prediction",
        "store", "metadata", "service_tier", "web_search_options", "verbosity", "prompt_cache_key", "prompt_cache_retention"};
    StringBuilder body = new StringBuilder();
    for (String f : fields) {
      body.append(",\"").append(f).append("\":1");
    }
    Translated t = translate("{" + HI + body + "}");
    for (String f : fields) {
      assertTrue(noted(t, "dropped '" + f + "'"), f);
    }
    assertJson(json("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4096,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"), t.body());
  }

  @Test
  void unknown_fields_are_dropped_with_a_note() {
    Translated t = withHi("\"top_k\":5");
    assertFalse(t.body().has("top_k"));
    assertTrue(noted(t, "dropped 'top_k': not a documented OpenAI field"));
  }
}

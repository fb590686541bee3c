package dev.tokenwise.api.translate;

import static dev.tokenwise.api.translate.OpenAiToAnthropicRequestTest.assertJson;
import static dev.tokenwise.api.translate.OpenAiToAnthropicRequestTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiRequestTest {
  private static final String HI = "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  private static Translated translate(String body, boolean reasoningModel) {
    return AnthropicToOpenAiRequest.translate((ObjectNode) json(body), "gpt-x", reasoningModel);
  }

  private static Translated withHi(String fields) {
    return translate("{" + HI + "," + fields + "}", false);
  }

  private static JsonNode messages(String messages) {
    return translate("{\"max_tokens\":10,\"messages\":" + messages + "}", false).body().get("messages");
  }

  private static void assertInvalid(String param, String body) {
    GatewayException e = assertThrows(GatewayException.class, () -> translate(body, false));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertEquals(param, e.param());
  }

  private static boolean noted(Translated t, String fragment) {
    return t.notes().stream().anyMatch(n -> n.contains(fragment));
  }

  @Test
  void a_tool_loop_history_translates_into_tool_calls_and_tool_messages() {
    Translated t = translate("""
        {
          "model": "claude-sonnet-4-6",
          "max_tokens": 1024,
          "system": [{"type": "text", "text": "You are a travel bot."},
                     {"type": "text", "text": "Use metric units.", "cache_control": {"type": "ephemeral"}}],
          "messages": [
            {"role": "user", "content": "Weather in Paris and Lyon?"},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "Two cities.", "signature": "EqQB"},
              {"type": "text", "text": "Checking both."},
              {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}},
              {"type": "tool_use", "id": "toolu_02", "name": "get_weather", "input": {"city": "Lyon"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01", "content": "18C cloudy"},
              {"type": "tool_result", "tool_use_id": "toolu_02", "content": [{"type": "text", "text": "no station"}], "is_error": true},
              {"type": "text", "text": "Which is warmer?"}
            ]}
          ],
          "tools": [{"name": "get_weather", "description": "Current weather",
                     "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}],
          "tool_choice": {"type": "auto", "disable_parallel_tool_use": true},
          "temperature": 0.3
        }""", false);
    assertJson(json("""
        {
          "model": "gpt-x",
          "max_tokens": 1024,
          "temperature": 0.3,
          "messages": [
            {"role": "system", "content": "You are a travel bot.\\n\\nUse metric units."},
            {"role": "user", "content": "Weather in Paris and Lyon?"},
            {"role": "assistant", "content": "Checking both.", "tool_calls": [
              {"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
              {"id": "toolu_02", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Lyon\\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "toolu_01", "content": "18C cloudy"},
            {"role": "tool", "tool_call_id": "toolu_02", "content": "Error: no station"},
            {"role": "user", "content": "Which is warmer?"}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
                     "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
          "tool_choice": "auto",
          "parallel_tool_calls": false
        }"""), t.body());
    assertTrue(noted(t, "thinking"));
    assertTrue(noted(t, "cache_control"));
  }

  @Test
  void the_system_prompt_is_a_developer_message_for_reasoning_models() {
    JsonNode first = translate("{" + HI + ",\"system\":\"Be brief.\"}", true).body().get("messages").get(0);
    assertJson(json("{\"role\":\"developer\",\"content\":\"Be brief.\"}"), first);
  }

  @Test
  void max_tokens_becomes_max_completion_tokens_for_reasoning_models() {
    ObjectNode body = translate("{" + HI + "}", true).body();
    assertEquals(100, body.get("max_completion_tokens").asLong());
    assertFalse(body.has("max_tokens"));
    assertEquals(100, translate("{" + HI + "}", false).body().get("max_tokens").asLong());
  }

  @Test
  void a_missing_or_zero_max_tokens_is_a_bad_request() {
    assertInvalid("max_tokens", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertInvalid("max_tokens", "{\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void stop_sequences_become_stop_up_to_four() {
    assertJson(json("[\"a\",\"b\"]"), withHi("\"stop_sequences\":[\"a\",\"b\"]").body().get("stop"));
    assertInvalid("stop_sequences", "{" + HI + ",\"stop_sequences\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}");
  }

  @Test
  void sampling_is_kept_for_chat_models_and_dropped_for_reasoning_models() {
    String body = "{" + HI + ",\"temperature\":0.5,\"top_p\":0.9,\"top_k\":40}";
    ObjectNode chat = translate(body, false).body();
    assertEquals("0.5", chat.get("temperature").asText());
    assertEquals("0.9", chat.get("top_p").asText());
    assertFalse(chat.has("top_k"));
    Translated reasoning = translate(body, true);
    assertFalse(reasoning.body().has("temperature"));
    assertFalse(reasoning.body().has("top_p"));
    assertTrue(noted(reasoning, "dropped 'temperature'"));
    assertTrue(noted(reasoning, "dropped 'top_p'"));
    assertTrue(noted(reasoning, "dropped 'top_k'"));
  }

  @Test
  void the_metadata_user_id_becomes_user() {
    assertEquals("u-42", withHi("\"metadata\":{\"user_id\":\"u-42\"}").body().get("user").asText());
  }

  @Test
  void streaming_asks_for_the_usage_chunk() {
    ObjectNode body = withHi("\"stream\":true").body();
    assertTrue(body.get("stream").asBoolean());
    assertJson(json("{\"include_usage\":true}"), body.get("stream_options"));
  }

  @Test
  void server_tools_are_a_bad_request() {
    assertInvalid("tools[1]", "{" + HI + ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}},"
        + "{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}");
  }

  @Test
  void strict_tools_stay_strict() {
    JsonNode tool = withHi("\"tools\":[{\"name\":\"f\",\"strict\":true,\"input_schema\":{\"type\":\"object\"}}]")
        .body().get("tools").get(0);
    assertJson(json("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"},\"strict\":true}}"),
        tool);
  }

  @Test
  void tool_choice_maps_to_openai_values() {
    assertEquals("required", withHi("\"tool_choice\":{\"type\":\"any\"}").body().get("tool_choice").asText());
    assertEquals("none", withHi("\"tool_choice\":{\"type\":\"none\"}").body().get("tool_choice").asText());
    assertJson(json("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"),
        withHi("\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"}").body().get("tool_choice"));
  }

  @Test
  void thinking_becomes_a_reasoning_effort_by_budget_on_reasoning_models() {
    assertEquals("low", translate("{" + HI + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}", true)
        .body().get("reasoning_effort").asText());
    assertEquals("medium", translate("{" + HI + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8000}}", true)
        .body().get("reasoning_effort").asText());
    assertEquals("high", translate("{" + HI + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":16384}}", true)
        .body().get("reasoning_effort").asText());
  }

  @Test
  void thinking_is_dropped_with_a_note_for_other_models() {
    Translated t = withHi("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}");
    assertFalse(t.body().has("reasoning_effort"));
    assertTrue(noted(t, "dropped 'thinking'"));
  }

  @Test
  void the_output_effort_becomes_the_reasoning_effort() {
    Translated t = translate("{" + HI + ",\"output_config\":{\"effort\":\"xhigh\"},"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}", true);
    assertEquals("xhigh", t.body().get("reasoning_effort").asText());
  }

  @Test
  void the_output_format_becomes_a_strict_json_schema_response_format() {
    JsonNode format = withHi("\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}")
        .body().get("response_format");
    assertJson(json("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"response\",\"schema\":{\"type\":\"object\"},"
        + "\"strict\":true}}"), format);
  }

  @Test
  void cache_control_is_dropped_everywhere_with_one_note() {
    Translated t = translate("""
        {"max_tokens":10,"cache_control":{"type":"ephemeral"},
         "tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]}""", false);
    assertFalse(t.body().toString().contains("cache_control"));
    assertEquals(1, t.notes().stream().filter(n -> n.contains("cache_control")).count());
  }

  @Test
  void fields_without_an_openai_equivalent_are_dropped_with_a_note_each() {
    Translated t = withHi("\"service_tier\":\"auto\",\"container\":\"c\",\"mcp_servers\":[],\"context_management\":{},"
        + "\"inference_geo\":\"us\"");
    for (String f : new String[] {"service_tier", "container", "mcp_servers", "context_management", "inference_geo"}) {
      assertTrue(noted(t, "dropped '" + f + "'"), f);
      assertFalse(t.body().has(f), f);
    }
  }

  @Test
  void images_become_image_url_parts() {
    JsonNode content = messages("""
        [{"role":"user","content":[{"type":"text","text":"compare"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}},
          {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]""").get(0).get("content");
    assertJson(json("""
        [{"type":"text","text":"compare"},
         {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}},
         {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]"""), content);
  }

  @Test
  void documents_become_file_or_text_parts() {
    JsonNode content = messages("""
        [{"role":"user","content":[
          {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0"}},
          {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain words"}}]}]""")
        .get(0).get("content");
    assertJson(json("""
        [{"type":"file","file":{"filename":"document.pdf","file_data":"data:application/pdf;base64,JVBERi0"}},
         {"type":"text","text":"plain words"}]"""), content);
  }

  @Test
  void a_tool_only_assistant_turn_has_null_content_and_compact_arguments() {
    JsonNode assistant = messages("""
        [{"role":"user","content":"go"},
         {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a": [1, 2], "b": "x"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]""").get(1);
    assertTrue(assistant.get("content").isNull());
    assertEquals("{\"a\":[1,2],\"b\":\"x\"}", assistant.at("/tool_calls/0/function/arguments").asText());
  }

  @Test
  void a_turn_of_only_tool_results_yields_no_empty_user_message() {
    JsonNode messages = messages("""
        [{"role":"user","content":"go"},
         {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]""");
    assertEquals(3, messages.size());
    assertJson(json("{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"ok\"}"), messages.get(2));
  }

  @Test
  void unknown_block_types_are_a_bad_request_naming_the_block() {
    assertInvalid("messages[0].content[1]", "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"search_result\",\"source\":\"s\"}]}]}");
  }

  @Test
  void a_text_block_without_text_is_a_bad_request() {
    assertInvalid("messages[0].content[0].text", "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\"}]}]}");
  }
}

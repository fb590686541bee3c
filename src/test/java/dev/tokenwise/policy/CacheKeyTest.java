package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  private static final String BASE = """
      {"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"system","content":"Be brief."},
       {"role":"user","content":"Capital of France?"}]}""";

  private static String key(String json) {
    return key("t1", "openai", "gpt-4o-mini", json);
  }

  private static String key(String tenant, String provider, String model, String json) {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    LargeStrings large = LargeStrings.of(raw, 64);
    JsonNode body = Json.tryParse(large.slim());
    return CacheKey.exact(tenant, Dialect.OPENAI, provider, model, body, large);
  }

  private static String scope(String json) {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    return CacheKey.scope("t1", Dialect.OPENAI, "openai", "gpt-4o-mini", Json.tryParse(raw), LargeStrings.of(raw, 1 << 16));
  }

  @Test
  void key_order_and_whitespace_do_not_change_the_key() {
    String reordered = """
        { "messages" : [ {"content":"Be brief.","role":"system"}, {"content":"Capital of France?","role":"user"} ],
          "temperature" : 0, "model":"gpt-4o-mini" }""";
    assertEquals(key(BASE), key(reordered));
  }

  @Test
  void transport_and_caller_fields_are_left_out() {
    String extra = BASE.replace("{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"user\":\"u-42\",\"metadata\":{\"session\":\"s1\"},\"store\":false,\"prompt_cache_key\":\"k\",\"model\"");
    assertEquals(key(BASE), key(extra));
  }

  @Test
  void what_can_change_the_answer_changes_the_key() {
    String k = key(BASE);
    assertNotEquals(k, key(BASE.replace("\"temperature\":0", "\"temperature\":0.2")));
    assertNotEquals(k, key(BASE.replace("France", "Spain")));
    assertNotEquals(k, key(BASE.replace("Be brief.", "Be verbose.")));
    assertNotEquals(k, key(BASE.replace("\"temperature\":0", "\"temperature\":0,\"max_tokens\":5")));
    assertNotEquals(k, key(BASE.replace("\"temperature\":0", "\"temperature\":0,\"response_format\":{\"type\":\"json_object\"}")));
    assertNotEquals(k, key(BASE.replace("\"temperature\":0", "\"temperature\":0,\"tools\":[{\"type\":\"function\","
        + "\"function\":{\"name\":\"lookup\"}}]")));
    // a parameter the gateway does not know may change the answer: it is part of the key
    assertNotEquals(k, key(BASE.replace("\"temperature\":0", "\"temperature\":0,\"verbosity\":\"low\"")));
  }

  @Test
  void tenant_and_the_model_after_routing_are_part_of_the_key() {
    assertNotEquals(key("t1", "openai", "gpt-4o-mini", BASE), key("t2", "openai", "gpt-4o-mini", BASE));
    assertNotEquals(key("t1", "openai", "gpt-4o-mini", BASE), key("t1", "openai", "gpt-4o", BASE));
    assertNotEquals(key("t1", "openai", "gpt-4o-mini", BASE), key("t1", "groq", "gpt-4o-mini", BASE));
    // the model the client named is not: routing decides what answers
    assertEquals(key(BASE), key(BASE.replace("\"model\":\"gpt-4o-mini\"", "\"model\":\"cheap\"")));
  }

  @Test
  void equal_numbers_written_differently_share_a_key() {
    assertEquals(key(BASE), key(BASE.replace("\"temperature\":0", "\"temperature\":0.0")));
  }

  @Test
  void prompt_cache_marks_are_left_out_wherever_they_are() {
    String marked = BASE.replace("\"content\":\"Be brief.\"",
        "\"content\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}]");
    String plain = BASE.replace("\"content\":\"Be brief.\"", "\"content\":[{\"type\":\"text\",\"text\":\"Be brief.\"}]");
    assertEquals(key(plain), key(marked));
  }

  @Test
  void large_strings_count_by_their_bytes_not_their_placeholder() {
    String image = "data:image/png;base64," + "A".repeat(500);
    String other = "data:image/png;base64," + "B".repeat(500);
    String withImage = BASE.replace("\"content\":\"Capital of France?\"",
        "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + image + "\"}}]");
    // each parse sets the image aside under a new random placeholder; the key must not see it
    assertEquals(key(withImage), key(withImage));
    assertNotEquals(key(withImage), key(withImage.replace(image, other)));
  }

  @Test
  void the_scope_leaves_out_only_the_last_user_message() {
    assertEquals(scope(BASE), scope(BASE.replace("Capital of France?", "What is the capital city of France?")));
    assertNotEquals(scope(BASE), scope(BASE.replace("Be brief.", "Be verbose.")));
    assertNotEquals(scope(BASE), scope(BASE.replace("\"temperature\":0", "\"temperature\":0,\"max_tokens\":9")));
    assertNotEquals(scope(BASE), key(BASE));
  }

  @Test
  void only_a_last_user_message_of_text_has_a_scope() {
    String toolLast = BASE.replace("{\"role\":\"user\",\"content\":\"Capital of France?\"}",
        "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}");
    assertNull(scope(toolLast));
    String imageLast = BASE.replace("\"content\":\"Capital of France?\"",
        "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]");
    assertNull(scope(imageLast));
    String parts = BASE.replace("\"content\":\"Capital of France?\"",
        "\"content\":[{\"type\":\"text\",\"text\":\"Capital\"},{\"type\":\"text\",\"text\":\"of France?\"}]");
    assertEquals("Capital\nof France?", CacheKey.lastUserQuery(Json.tryParse(parts.getBytes(StandardCharsets.UTF_8))));
  }
}

package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a shadow test sends its candidate. */
class ShadowCopyTest {
  private static ObjectNode json(String s) {
    return (ObjectNode) Json.tryParse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void the_copy_is_the_clients_call_on_the_candidate_and_not_streamed() {
    ObjectNode original = json("""
        {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"temperature":0,
        "messages":[{"role":"user","content":"hi"}],"x_unknown":[1,2]}""");
    ObjectNode copy = (ObjectNode) Json.tryParse(ShadowTap.copyBody(original, "groq/llama-3.3-70b-versatile"));
    assertEquals("groq/llama-3.3-70b-versatile", copy.path("model").asText());
    assertFalse(copy.path("stream").asBoolean(true));
    assertFalse(copy.has("stream_options"));
    assertEquals(original.get("messages"), copy.get("messages"));
    assertEquals(original.get("x_unknown"), copy.get("x_unknown"));
    assertEquals(0, copy.path("temperature").asInt(-1));
    assertEquals("gpt-4o", original.path("model").asText(), "the client's body is left as it was");
  }
}

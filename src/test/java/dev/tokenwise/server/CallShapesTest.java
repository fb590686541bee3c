package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.store.CallShape;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallShapesTest {
  private static final String OPENAI = "openai-chat";
  private static final String ANTHROPIC = "anthropic-messages";

  private static CallShape openAi(String json) {
    return CallShapes.of(OPENAI, json.getBytes(StandardCharsets.UTF_8), answer("Paris."), false);
  }

  private static byte[] answer(String text) {
    return ("{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + text + "\"},\"finish_reason\":\"stop\"}]}").getBytes(StandardCharsets.UTF_8);
  }

  private static String chat(String system, String user, String extra) {
    return "{\"model\":\"gpt-4o\"" + extra + ",\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
  }

  @Test
  void an_exact_repeat_has_the_same_request_hash_whatever_its_stream_user_or_metadata() {
    CallShape a = openAi(chat("You are terse.", "Capital of France?", ",\"temperature\":0"));
    CallShape b = openAi(chat("You are terse.", "Capital of France?",
        ",\"temperature\":0,\"stream\":false,\"user\":\"u-81\",\"metadata\":{\"run\":\"7\"}"));
    CallShape other = openAi(chat("You are terse.", "Capital of Spain?", ",\"temperature\":0"));

    assertEquals(a.requestHash(), b.requestHash());
    assertNotEquals(a.requestHash(), other.requestHash());
    assertTrue(a.repeatable());
  }

  @Test
  void a_reworded_question_with_the_same_content_words_has_the_same_query_hash_and_another_ask_does_not() {
    CallShape a = openAi(chat("FAQ bot.", "How do I reset my password?", ""));
    CallShape b = openAi(chat("FAQ bot.", "how can i reset my passwords", ""));
    CallShape c = openAi(chat("FAQ bot.", "How do I change my password?", ""));
    CallShape otherScope = openAi(chat("Billing bot.", "How do I reset my password?", ""));

    assertNotEquals(a.requestHash(), b.requestHash());
    assertEquals(a.queryHash(), b.queryHash());
    assertNotEquals(a.queryHash(), c.queryHash());
    assertNotEquals(a.queryHash(), otherScope.queryHash(), "the same words under another system prompt");
  }

  @Test
  void a_prefix_that_differs_only_by_a_timestamp_is_stable_once_masked_but_not_byte_for_byte() {
    CallShape a = openAi(chat("Current time: 2026-10-03 14:22 UTC. You help customers.", "hi", ""));
    CallShape b = openAi(chat("Current time: 2026-10-03 14:29 UTC. You help customers.", "hi", ""));

    assertNotEquals(a.prefixHash(), b.prefixHash());
    assertEquals(a.prefixMaskedHash(), b.prefixMaskedHash());
    assertTrue(a.prefixTokens() > 5 && a.prefixTokens() < 30, "tokens: " + a.prefixTokens());
  }

  @Test
  void reads_turns_cap_json_and_tools_from_either_dialect() {
    CallShape openAi = openAi("{\"model\":\"gpt-4o\",\"max_completion_tokens\":300,"
        + "\"response_format\":{\"type\":\"json_object\"},\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
        + "{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"}]}");
    assertEquals(2, openAi.turns());
    assertEquals(300, openAi.maxTokens());
    assertTrue(openAi.jsonOutput());

    String anthropic = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"top_k\":1,\"system\":[{\"type\":\"text\","
        + "\"text\":\"Docs.\"}],\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Where?\"}]}]}";
    byte[] reply = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Here.\"}],\"stop_reason\":\"end_turn\"}").getBytes(StandardCharsets.UTF_8);
    CallShape shape = CallShapes.of(ANTHROPIC, anthropic.getBytes(StandardCharsets.UTF_8), reply, false);
    assertEquals(1, shape.turns());
    assertEquals(1024, shape.maxTokens());
    assertTrue(shape.tools() && shape.repeatable());
    assertNotEquals(0, shape.prefixHash());
    assertNotEquals(0, shape.answerHash());
  }

  @Test
  void a_streamed_answer_hashes_as_the_same_whole_answer() {
    String sse = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Par\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is.\"},\"finish_reason\":\"stop\"}]}\n\n"
        + "data: [DONE]\n\n";
    byte[] request = chat("s", "q", "").getBytes(StandardCharsets.UTF_8);
    CallShape streamed = CallShapes.of(OPENAI, request, sse.getBytes(StandardCharsets.UTF_8), true);
    CallShape whole = CallShapes.of(OPENAI, request, answer("Paris."), false);
    CallShape other = CallShapes.of(OPENAI, request, answer("Lyon."), false);

    assertEquals(whole.answerHash(), streamed.answerHash());
    assertNotEquals(whole.answerHash(), other.answerHash());
  }

  @Test
  void a_body_that_is_not_a_chat_call_has_no_shape() {
    assertNull(CallShapes.of(OPENAI, "not json".getBytes(StandardCharsets.UTF_8), null, false));
    assertNull(CallShapes.of(OPENAI, "{\"input\":\"embed me\"}".getBytes(StandardCharsets.UTF_8), null, false));
    assertNotEquals(0, openAi(chat("s", "q", "")).answerHash(), "an answer hashes to a non-zero value");
  }
}

package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatTextsTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode json(String s) {
    return (ObjectNode) Json.tryParse(bytes(s));
  }

  @Test
  void an_answers_text_comes_with_its_tool_calls_in_either_dialect() {
    assertEquals("billing\nlookup({\"id\":7})", ChatTexts.answer(Dialect.OPENAI, bytes("""
        {"choices":[{"message":{"role":"assistant","content":"billing","tool_calls":[{"id":"call_1",
        "function":{"name":"lookup","arguments":"{\\"id\\":7}"}}]}}]}""")));
    assertEquals("Paris\nweather({\"city\":\"Paris\"})", ChatTexts.answer(Dialect.ANTHROPIC, bytes("""
        {"type":"message","content":[{"type":"thinking","thinking":"hm"},{"type":"text","text":"Paris"},
        {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]}""")));
    assertEquals("", ChatTexts.answer(Dialect.OPENAI, bytes("{\"choices\":[{\"message\":{\"content\":null}}]}")));
    assertNull(ChatTexts.answer(Dialect.OPENAI, bytes("<html>")));
    assertNull(ChatTexts.answer(Dialect.ANTHROPIC, bytes("{\"error\":{\"message\":\"x\"}}")));
  }

  @Test
  void the_conversation_reads_role_by_role() {
    assertEquals("system:\nClassify the ticket.\n\nuser:\nMy parcel is late\n[image url]\n\nassistant:\nshipping",
        ChatTexts.input(Dialect.OPENAI, json("""
            {"model":"gpt-4o","messages":[{"role":"system","content":"Classify the ticket."},
            {"role":"user","content":[{"type":"text","text":"My parcel is late"},{"type":"image_url","image_url":{"url":"x"}}]},
            {"role":"assistant","content":"shipping"}]}""")));
    assertEquals("system:\nBe brief.\n\nuser:\nHi\n\nassistant:\n[tool call clock({})]\n\nuser:\n[tool result: 12:00]",
        ChatTexts.input(Dialect.ANTHROPIC, json("""
            {"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"Hi"},
            {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"clock","input":{}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"12:00"}]}]}""")));
  }

  @Test
  void a_long_conversation_keeps_its_head_and_latest_turns() {
    StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"Answer support questions.\"}");
    for (int i = 0; i < 60; i++) {
      messages.append(",{\"role\":\"user\",\"content\":\"question ").append(i).append(' ').append("x".repeat(500))
          .append("\"}");
    }
    String text = ChatTexts.input(Dialect.OPENAI, json("{\"messages\":[" + messages + "]}"));
    assertTrue(text.length() <= ChatTexts.MAX_INPUT + 100, "length " + text.length());
    assertTrue(text.startsWith("system:\nAnswer support questions.\n\n["), text.substring(0, 80));
    assertTrue(text.contains("earlier messages left out]"));
    assertTrue(text.endsWith("question 59 " + "x".repeat(500)));
    assertFalse(text.contains("question 0 "));

    String huge = ChatTexts.input(Dialect.OPENAI, json("{\"messages\":[{\"role\":\"user\",\"content\":\""
        + "y".repeat(10_000) + "\"}]}"));
    assertTrue(huge.endsWith("[…6000 characters left out]"), huge.substring(huge.length() - 40));
  }

}

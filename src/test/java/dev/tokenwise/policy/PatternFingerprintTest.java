package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import org.junit.jupiter.api.Test;

class PatternFingerprintTest {
  private static final PatternFingerprint FP = new PatternFingerprint();
  private static JsonNode openai(String system, String user) {
    return Json.tryParse(("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":" + quote(system)
        + "},{\"role\":\"user\",\"content\":" + quote(user) + "}]}").getBytes());
  }

  private static String quote(String s) {
    return Json.MAPPER.valueToTree(s).toString();
  }

  @Test
  void one_template_with_other_values_is_one_pattern() {
    String a = FP.of(Dialect.OPENAI, openai(
        "Today is 2026-11-26. Classify the ticket of customer ann@example.com (id 8f14e45f-ceea-467f-a0e6-2f5e0c7e3b1a).",
        "My order 4411 is late"));
    String b = FP.of(Dialect.OPENAI, openai(
        "Today is 2026-12-01. Classify the ticket of customer bob@example.org (id 45c48cce-2e2d-4fbd-a7d3-1c1f4e0b9c2d).",
        "I want a refund"));
    assertEquals(a, b);
    assertTrue(a.matches("fp-[0-9a-f]{12}"));
  }

  @Test
  void another_system_prompt_or_dialect_is_another_pattern() {
    JsonNode classify = openai("Classify the ticket.", "hello");
    assertNotEquals(FP.of(Dialect.OPENAI, classify),
        FP.of(Dialect.OPENAI, openai("Summarise the ticket.", "hello")));
    assertNotEquals(FP.of(Dialect.OPENAI, classify), FP.of(Dialect.ANTHROPIC, classify));
  }

  @Test
  void anthropic_system_blocks_and_tools_shape_the_pattern() {
    JsonNode withTool = Json.tryParse(("{\"model\":\"claude-haiku-4-5\",\"system\":[{\"type\":\"text\",\"text\":\"Agent\"}],"
        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[]}").getBytes());
    JsonNode otherTool = Json.tryParse(("{\"model\":\"claude-haiku-4-5\",\"system\":[{\"type\":\"text\",\"text\":\"Agent\"}],"
        + "\"tools\":[{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[]}").getBytes());
    assertNotEquals(FP.of(Dialect.ANTHROPIC, withTool), FP.of(Dialect.ANTHROPIC, otherTool));
  }

  @Test
  void masking_replaces_the_variable_parts() {
    assertEquals("Order <n> for <email> on <date>, ref <id>, said <q>",
        PatternFingerprint.mask("Order 4411 for ann@example.com on 2026-11-26, ref AB-1234, said \"late again\""));
  }
}

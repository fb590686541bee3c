package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimContextTest {
  private final TrimContext stage = new TrimContext();

  @Test
  void keeps_the_last_turns_and_every_system_message_in_place() {
    String body = openai("""
        {"role":"system","content":"be brief"},
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"developer","content":"mind the tone"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"},{"role":"assistant","content":"a3"},
        {"role":"user","content":"u4"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, keep(2));

    stage.before(ex);

    assertEquals(List.of("system:be brief", "developer:mind the tone", "user:u3", "assistant:a3", "user:u4"),
        summary(ex));
    assertTrue(ex.bodyChanged());
    assertEquals(new Decision("context",
        "kept last 2 of 4 turns, dropped 4 messages (~9 tokens, estimated as characters/4)"),
        ex.decisions().getFirst());
  }

  @Test
  void never_separates_an_openai_tool_call_from_its_results() {
    String body = openai("""
        {"role":"system","content":"s"},
        {"role":"user","content":"u1"},
        {"role":"assistant","content":null,"tool_calls":[
          {"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
        {"role":"user","content":"u2"},
        {"role":"tool","tool_call_id":"call_1","content":"r1"},
        {"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, keep(2));

    stage.before(ex);

    List<String> kept = summary(ex);
    assertEquals("user:u1", kept.get(1));
    assertTrue(kept.contains("tool:r1"));
    assertFalse(ex.bodyChanged());
    assertTrue(ex.decisions().getFirst().change().contains("not trimmed"), ex.decisions().toString());
    assertTrue(ex.decisions().getFirst().change().contains("call_1"), ex.decisions().toString());
  }

  @Test
  void an_openai_cut_never_falls_between_a_tool_call_and_its_results() {
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},
        {"role":"assistant","tool_calls":[
          {"id":"call_a","type":"function","function":{"name":"f","arguments":"{}"}},
          {"id":"call_b","type":"function","function":{"name":"g","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"call_a","content":"ra"},
        {"role":"tool","tool_call_id":"call_b","content":"rb"},
        {"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, keep(2));

    stage.before(ex);

    assertEquals(List.of("user:u2", "assistant:", "tool:ra", "tool:rb", "assistant:a2", "user:u3"), summary(ex));
    assertTrue(ex.decisions().getFirst().change().startsWith("kept last 2 of 3 turns, dropped 2 messages"));
  }

  @Test
  void moves_the_anthropic_cut_earlier_so_no_tool_result_loses_its_call() {
    String body = anthropic("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},
        {"role":"assistant","content":[{"type":"text","text":"checking"},
          {"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r1"},
          {"type":"text","text":"u3"}]},
        {"role":"assistant","content":"a3"},
        {"role":"user","content":"u4"}""");
    Exchange ex = exchange(Dialect.ANTHROPIC, body, keep(2));

    stage.before(ex);

    List<String> kept = summary(ex);
    assertEquals("user:u2", kept.getFirst());
    assertEquals(5, kept.size());
    assertEquals("be brief", ex.body().path("system").asText());
    String change = ex.decisions().getFirst().change();
    assertTrue(change.startsWith("kept last 3 of 4 turns, dropped 2 messages"), change);
    assertTrue(change.contains("2 asked") && change.contains("toolu_1"), change);
  }

  @Test
  void a_user_message_of_tool_results_only_does_not_start_a_turn_nor_the_kept_history() {
    String body = anthropic("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},
        {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r1"}]},
        {"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange ex = exchange(Dialect.ANTHROPIC, body, keep(2));

    stage.before(ex);

    List<String> kept = summary(ex);
    assertEquals(List.of("user:u2", "assistant:", "user:", "assistant:a2", "user:u3"), kept);
    assertTrue(ex.decisions().getFirst().change().startsWith("kept last 2 of 3 turns, dropped 2 messages"));
  }

  @Test
  void an_anthropic_mid_conversation_system_message_is_never_dropped() {
    String body = anthropic("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"system","content":"switch to French"},
        {"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"},{"role":"assistant","content":"a3"},
        {"role":"user","content":"u4"}""");
    Exchange ex = exchange(Dialect.ANTHROPIC, body, keep(2));

    stage.before(ex);

    assertEquals(List.of("user:u2", "system:switch to French", "assistant:a2", "user:u3", "assistant:a3",
        "user:u4"), summary(ex));
    assertTrue(ex.decisions().getFirst().change().contains("mid-conversation system message"));
  }

  @Test
  void a_conversation_within_the_limit_is_left_as_sent() {
    String body = openai("""
        {"role":"system","content":"s"},
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, keep(2));

    stage.before(ex);

    assertFalse(ex.bodyChanged());
    assertTrue(ex.decisions().isEmpty());
    assertEquals(Json.tryParse(body.getBytes(StandardCharsets.UTF_8)), ex.body());
  }

  @Test
  void without_a_context_tactic_nothing_is_trimmed() {
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange none = exchange(Dialect.OPENAI, body, null);
    Exchange other = exchange(Dialect.OPENAI, body, policy(Map.of("max_tokens", Map.of("cap", 256))));

    stage.before(none);
    stage.before(other);

    assertEquals(5, summary(none).size());
    assertEquals(5, summary(other).size());
    assertFalse(none.bodyChanged() || other.bodyChanged());
    assertTrue(none.decisions().isEmpty() && other.decisions().isEmpty());
  }

  @Test
  void summarize_with_is_noted_as_not_applied_and_trimming_still_happens() {
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Policy p = policy(Map.of("context", Map.of("keep_last_turns", 1, "summarize_with", "gpt-4o-mini")));
    Exchange ex = exchange(Dialect.OPENAI, body, p);

    stage.before(ex);

    assertEquals(List.of("user:u3"), summary(ex));
    List<Decision> decisions = ex.decisions();
    assertEquals(2, decisions.size());
    assertTrue(decisions.get(0).change().contains("summarize_with is not applied in this version"));
    assertTrue(decisions.get(1).change().startsWith("kept last 1 of 3 turns, dropped 4 messages"));
  }

  @Test
  void a_keep_last_turns_that_is_not_a_positive_number_is_reported_and_ignored() {
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, policy(Map.of("context", Map.of("keep_last_turns", 0))));

    stage.before(ex);

    assertFalse(ex.bodyChanged());
    assertTrue(ex.decisions().getFirst().change().contains("keep_last_turns '0'"));
  }

  @Test
  void the_trimmed_body_is_what_goes_upstream() {
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, keep(1));

    stage.before(ex);

    JsonNode sent = Json.tryParse(ex.upstreamBody());
    assertEquals(1, sent.path("messages").size());
    assertEquals("gpt-4o-mini", sent.path("model").asText());
  }

  private static String openai(String messages) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[" + messages + "]}";
  }

  private static String anthropic(String messages) {
    return "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":256,\"system\":\"be brief\",\"messages\":["
        + messages + "]}";
  }

  private static Policy keep(int turns) {
    return policy(Map.of("context", Map.of("keep_last_turns", turns)));
  }

  private static Policy policy(Map<String, Object> raw) {
    return Policy.of("policies[0]", raw);
  }

  private static Exchange exchange(Dialect dialect, String json, Policy policy) {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    LargeStrings large = LargeStrings.of(raw, 1 << 20);
    ObjectNode body = (ObjectNode) Json.tryParse(large.slim());
    Exchange ex = new Exchange("req-1", Instant.EPOCH, 0L, dialect,
        dialect == Dialect.OPENAI ? "/v1/chat/completions" : "/v1/messages", body, raw, large,
        new Credentials("tenant", "key", true, Map.of()), Map.of(), null);
    if (policy != null) {
      ex.policy(policy);
    }
    return ex;
  }

  /** Each message as {@code role:text}, the text being its string content or empty. */
  private static List<String> summary(Exchange ex) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : ex.body().path("messages")) {
      JsonNode content = m.path("content");
      out.add(m.path("role").asText() + ":" + (content.isTextual() ? content.asText() : ""));
    }
    return out;
  }
}

package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrimContextTest {
  private final TrimContext stage = new TrimContext();
  private final Simulator sim = Simulator.start(0);
  private final Providers providers = SummarizerTest.providers(sim);

  @AfterEach
  void close() {
    providers.close();
    sim.close();
  }

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
  void without_a_summarizer_summarize_with_is_noted_and_trimming_still_happens() {
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
    assertTrue(decisions.get(0).change().contains("summarize_with is not available here"));
    assertTrue(decisions.get(1).change().startsWith("kept last 1 of 3 turns, dropped 4 messages"));
  }

  @Test
  void openai_dropped_turns_become_one_system_summary_after_the_instructions() {
    sim.on("gpt-4o-mini").reply("Alice wants a Lisbon trip in May.", 80, 14);
    String body = openai("""
        {"role":"system","content":"be brief"},
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"},{"role":"assistant","content":"a3"},
        {"role":"user","content":"u4"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, summarizing(1, 3));

    summarizing().before(ex);

    assertEquals(List.of("system:be brief", "system:Summary of the earlier conversation: Alice wants a Lisbon trip in May.",
        "user:u4"), summary(ex));
    assertEquals(List.of(new Decision("context", "summarised 3 earlier turns with gpt-4o-mini (new), kept last 1 of 4"
        + " turns; replaced 6 messages (~13 tokens, estimated as characters/4)")), ex.decisions());
    assertEquals(new SummaryUsage("openai", "gpt-4o-mini", 80, 14), ex.summaryUsage());
    assertEquals(13, ex.trimmedInputTokens());
    String transcript = sim.calls().getFirst().json().path("messages").path(1).path("content").asText();
    assertEquals("user: u1\n\nassistant: a1\n\nuser: u2\n\nassistant: a2\n\nuser: u3\n\nassistant: a3", transcript);
    JsonNode sent = Json.tryParse(ex.upstreamBody());
    assertEquals(3, sent.path("messages").size());
  }

  @Test
  void anthropic_dropped_turns_become_a_text_block_of_the_system_field() {
    sim.on("gpt-4o-mini").reply("Bob is comparing two laptops.", 60, 10);
    String body = anthropic("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange ex = exchange(Dialect.ANTHROPIC, body, summarizing(1, 2));

    summarizing().before(ex);

    assertEquals(List.of("user:u3"), summary(ex));
    JsonNode system = ex.body().path("system");
    assertEquals(2, system.size());
    assertEquals("be brief", system.path(0).path("text").asText());
    assertEquals("text", system.path(1).path("type").asText());
    assertEquals("Summary of the earlier conversation: Bob is comparing two laptops.", system.path(1).path("text").asText());
    assertTrue(ex.decisions().getFirst().change().startsWith(
        "summarised 2 earlier turns with gpt-4o-mini (new), kept last 1 of 3 turns"), ex.decisions().toString());
    assertEquals(new SummaryUsage("openai", "gpt-4o-mini", 60, 10), ex.summaryUsage());
  }

  @Test
  void an_anthropic_request_without_system_gets_one_of_the_summary_alone() {
    sim.on("gpt-4o-mini").reply("earlier: greetings");
    String body = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":64,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"u1\"},{\"role\":\"assistant\",\"content\":\"a1\"},"
        + "{\"role\":\"user\",\"content\":\"u2\"}]}";
    Exchange ex = exchange(Dialect.ANTHROPIC, body, summarizing(1, 1));

    summarizing().before(ex);

    JsonNode system = ex.body().path("system");
    assertEquals(1, system.size());
    assertEquals("Summary of the earlier conversation: earlier: greetings", system.path(0).path("text").asText());
  }

  @Test
  void the_next_call_of_the_same_conversation_reuses_the_cached_summary() {
    sim.on("gpt-4o-mini").reply("the gist", 50, 5);
    TrimContext trim = summarizing();
    String turns = """
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"},{"role":"assistant","content":"a3"},
        {"role":"user","content":"u4"}""";
    Exchange first = exchange(Dialect.OPENAI, openai(turns), summarizing(1, 3));
    Exchange second = exchange(Dialect.OPENAI, openai(turns + """
        ,{"role":"assistant","content":"a4"},{"role":"user","content":"u5"}"""), summarizing(1, 3));

    trim.before(first);
    trim.before(second);

    assertEquals(1, sim.calls().size());
    assertEquals(List.of("system:Summary of the earlier conversation: the gist", "user:u4", "assistant:a4", "user:u5"),
        summary(second));
    assertTrue(second.decisions().getFirst().change().startsWith(
        "summarised 3 earlier turns with gpt-4o-mini (cached), kept last 2 of 5 turns"), second.decisions().toString());
    assertEquals(new SummaryUsage("openai", "gpt-4o-mini", 50, 5), first.summaryUsage());
    assertNull(second.summaryUsage());
  }

  @Test
  void the_summarised_part_advances_only_every_k_turns() {
    sim.on("gpt-4o-mini").reply("gist");
    TrimContext trim = summarizing();
    StringBuilder turns = new StringBuilder("{\"role\":\"user\",\"content\":\"u1\"}");
    List<Integer> summarised = new ArrayList<>();
    for (int n = 2; n <= 9; n++) {
      turns.append(",{\"role\":\"assistant\",\"content\":\"a").append(n - 1).append("\"}")
          .append(",{\"role\":\"user\",\"content\":\"u").append(n).append("\"}");
      Exchange ex = exchange(Dialect.OPENAI, openai(turns.toString()), summarizing(2, 3));
      trim.before(ex);
      String change = ex.decisions().isEmpty() ? "" : ex.decisions().getFirst().change();
      summarised.add(change.startsWith("summarised ") ? Integer.parseInt(change.split(" ")[1]) : 0);
    }

    // 2..9 turns with the last 2 kept: nothing until 3 turns lie before them, then 3 until 6 do
    assertEquals(List.of(0, 0, 0, 3, 3, 3, 6, 6), summarised);
    assertEquals(2, sim.calls().size());
  }

  @Test
  void before_k_turns_lie_past_the_kept_ones_the_history_stays_whole_and_says_why() {
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, policy(Map.of("context",
        Map.of("keep_last_turns", 1, "summarize_with", "gpt-4o-mini"))));

    summarizing().before(ex);

    assertFalse(ex.bodyChanged());
    assertTrue(sim.calls().isEmpty());
    assertEquals("kept all 3 turns: the summarised part advances every 10 turns (summarize_every), and fewer"
        + " than 10 turns lie before the last 1 at a valid cut", ex.decisions().getFirst().change());
  }

  @Test
  void a_failing_summariser_falls_back_to_plain_trimming_and_says_why() {
    sim.on("gpt-4o-mini").fail(500);
    String body = openai("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"},
        {"role":"user","content":"u2"},{"role":"assistant","content":"a2"},
        {"role":"user","content":"u3"}""");
    Exchange ex = exchange(Dialect.OPENAI, body, summarizing(1, 1));

    summarizing().before(ex);

    assertEquals(List.of("user:u3"), summary(ex));
    List<Decision> decisions = ex.decisions();
    assertEquals("summarize_with gpt-4o-mini failed (openai/gpt-4o-mini answered status 500); trimming without a"
        + " summary", decisions.get(0).change());
    assertTrue(decisions.get(1).change().startsWith("kept last 1 of 3 turns, dropped 4 messages"));
    assertNull(ex.summaryUsage());
  }

  private TrimContext summarizing() {
    return new TrimContext(new Summarizer(providers));
  }

  private static Policy summarizing(int keep, int every) {
    return policy(Map.of("context", Map.of("keep_last_turns", keep, "summarize_with", "gpt-4o-mini",
        "summarize_every", every)));
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

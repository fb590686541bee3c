package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.sim.Call;
import dev.tokenwise.provider.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SummarizerTest {
  private static final Credentials CALLER = new Credentials("tenant", "sk-client", true, Map.of());

  private final Simulator sim = Simulator.start(0);
  private final Providers providers = providers(sim);

  @AfterEach
  void close() {
    providers.close();
    sim.close();
  }

  @Test
  void asks_an_openai_model_with_a_plain_transcript_and_reads_text_and_usage() throws Exception {
    sim.on("gpt-4o-mini").reply("Alice is planning a trip to Lisbon.", 40, 12);
    Summarizer summarizer = new Summarizer(providers);

    Summarizer.Summary s = summarizer.summarize("gpt-4o-mini", messages("""
        {"role":"user","content":"I am Alice"},{"role":"assistant","content":"Hello Alice"}"""), CALLER, Map.of());

    assertEquals(new Summarizer.Summary("Alice is planning a trip to Lisbon.", false, "openai", "gpt-4o-mini", 40, 12),
        s);
    List<Call> calls = sim.calls();
    assertEquals(1, calls.size());
    assertEquals("/v1/chat/completions", calls.getFirst().path());
    JsonNode sent = calls.getFirst().json();
    assertEquals(300, sent.path("max_tokens").asInt());
    assertEquals("system", sent.path("messages").path(0).path("role").asText());
    assertEquals(Summarizer.INSTRUCTION, sent.path("messages").path(0).path("content").asText());
    assertEquals("user: I am Alice\n\nassistant: Hello Alice", sent.path("messages").path(1).path("content").asText());
    assertEquals(2, sent.path("messages").size());
  }

  @Test
  void asks_an_anthropic_model_in_its_own_dialect() throws Exception {
    sim.on("claude-haiku-4-5").reply("Bob asked about taxes.", 55, 9);
    Summarizer summarizer = new Summarizer(providers);

    Summarizer.Summary s = summarizer.summarize("anthropic/claude-haiku-4-5", messages("""
        {"role":"user","content":"taxes?"},{"role":"assistant","content":[{"type":"text","text":"sure"}]}"""),
        CALLER, Map.of());

    assertEquals(new Summarizer.Summary("Bob asked about taxes.", false, "anthropic", "claude-haiku-4-5", 55, 9), s);
    Call call = sim.calls().getFirst();
    assertEquals("/v1/messages", call.path());
    assertEquals(Summarizer.INSTRUCTION, call.json().path("system").asText());
    assertEquals(300, call.json().path("max_tokens").asInt());
    assertEquals("user: taxes?\n\nassistant: sure", call.json().path("messages").path(0).path("content").asText());
  }

  @Test
  void the_same_dropped_messages_reuse_the_summary_without_a_second_call() throws Exception {
    sim.on("gpt-4o-mini").reply("short", 10, 2);
    Summarizer summarizer = new Summarizer(providers);
    List<JsonNode> dropped = messages("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"}""");

    Summarizer.Summary first = summarizer.summarize("gpt-4o-mini", dropped, CALLER, Map.of());
    Summarizer.Summary second = summarizer.summarize("gpt-4o-mini", messages("""
        {"role":"user","content":"u1"},{"role":"assistant","content":"a1"}"""), CALLER, Map.of());

    assertFalse(first.cached());
    assertTrue(second.cached());
    assertEquals("short", second.text());
    assertEquals(0, second.inputTokens() + second.outputTokens());
    assertEquals(1, sim.calls().size());
  }

  @Test
  void keeps_a_bounded_number_of_summaries_least_recently_used_out() throws Exception {
    sim.on("gpt-4o-mini").reply("s");
    Summarizer summarizer = new Summarizer(providers, 2, Duration.ofSeconds(5));
    List<JsonNode> a = messages("{\"role\":\"user\",\"content\":\"a\"}");
    List<JsonNode> b = messages("{\"role\":\"user\",\"content\":\"b\"}");
    List<JsonNode> c = messages("{\"role\":\"user\",\"content\":\"c\"}");

    summarizer.summarize("gpt-4o-mini", a, CALLER, Map.of());
    summarizer.summarize("gpt-4o-mini", b, CALLER, Map.of());
    assertTrue(summarizer.summarize("gpt-4o-mini", a, CALLER, Map.of()).cached());
    summarizer.summarize("gpt-4o-mini", c, CALLER, Map.of());

    assertEquals(2, summarizer.size());
    assertTrue(summarizer.summarize("gpt-4o-mini", a, CALLER, Map.of()).cached());
    assertFalse(summarizer.summarize("gpt-4o-mini", b, CALLER, Map.of()).cached());
    assertEquals(4, sim.calls().size());
  }

  @Test
  void an_error_status_is_a_failure_that_names_the_model_and_is_not_cached() {
    sim.on("gpt-4o-mini").fail(500);
    Summarizer summarizer = new Summarizer(providers);
    List<JsonNode> dropped = messages("{\"role\":\"user\",\"content\":\"u1\"}");

    Summarizer.Failure e = assertThrows(Summarizer.Failure.class,
        () -> summarizer.summarize("gpt-4o-mini", dropped, CALLER, Map.of()));

    assertEquals("openai/gpt-4o-mini answered status 500", e.getMessage());
    assertEquals(0, summarizer.size());
  }

  @Test
  void a_summariser_slower_than_its_timeout_is_given_up() {
    sim.on("gpt-4o-mini").stall(Duration.ofSeconds(3));
    Summarizer summarizer = new Summarizer(providers, 8, Duration.ofMillis(200));

    Summarizer.Failure e = assertThrows(Summarizer.Failure.class, () -> summarizer.summarize("gpt-4o-mini",
        messages("{\"role\":\"user\",\"content\":\"u1\"}"), CALLER, Map.of()));

    assertEquals("openai/gpt-4o-mini gave no summary within 200 ms", e.getMessage());
  }

  @Test
  void an_unknown_provider_prefix_is_a_failure() {
    Summarizer summarizer = new Summarizer(providers);

    assertThrows(Summarizer.Failure.class, () -> summarizer.summarize("openai/",
        messages("{\"role\":\"user\",\"content\":\"u1\"}"), CALLER, Map.of()));
    assertTrue(sim.calls().isEmpty());
  }

  @Test
  void the_transcript_marks_tool_calls_and_results_in_both_dialects() {
    String transcript = Summarizer.transcript(messages("""
        {"role":"assistant","content":null,"tool_calls":[
          {"id":"c1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
        {"role":"tool","tool_call_id":"c1","content":"rain"},
        {"role":"assistant","content":[{"type":"text","text":"checking"},
          {"type":"tool_use","id":"t1","name":"weather","input":{"city":"Rome"}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"sun"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}"""));

    assertEquals("assistant: [tool call weather {\"city\":\"Oslo\"}]\n\n"
        + "tool: rain\n\n"
        + "assistant: checking [tool call weather {\"city\":\"Rome\"}]\n\n"
        + "user: [tool result: sun] [image]", transcript);
  }

  /** Providers whose openai and anthropic entries point at the simulator, with no keys of their own. */
  static Providers providers(Simulator sim) {
    Config d = ConfigLoader.defaults(Map.of());
    Map<String, ProviderConfig> all = new LinkedHashMap<>(d.providers());
    all.put("openai", new ProviderConfig("openai", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", null,
        Duration.ofSeconds(10), Map.of(), List.of()));
    all.put("anthropic", new ProviderConfig("anthropic", ProviderConfig.Kind.ANTHROPIC, sim.baseUrl(), null,
        Duration.ofSeconds(10), Map.of(), List.of()));
    return new Providers(new Config(d.server(), d.store(), d.redis(), all, d.models(), d.prices(), d.auth(),
        d.retry(), d.guard(), d.log(), d.cache(), d.policies()));
  }

  private static List<JsonNode> messages(String json) {
    List<JsonNode> out = new ArrayList<>();
    Json.tryParse(("[" + json + "]").getBytes(StandardCharsets.UTF_8)).forEach(out::add);
    return out;
  }
}

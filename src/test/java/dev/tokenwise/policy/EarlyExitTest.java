package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.core.Usage;
import dev.tokenwise.provider.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyExitTest {
  private static final Policy JSON = new Policy("policies[0]", "extract", null, null, null, null,
      Map.of("early_exit", "json"));

  private static Exchange call(Dialect client, Dialect upstream, boolean stream, Policy policy) {
    return call(client, upstream, stream, policy, calibrated());
  }

  /** A stage that has seen the pattern's complete answers (120 output tokens each). */
  private static EarlyExit calibrated() {
    EarlyExit stage = new EarlyExit();
    for (int i = 0; i < EarlyExit.CALIBRATION_CALLS; i++) {
      Exchange c = call(Dialect.ANTHROPIC, Dialect.ANTHROPIC, true, JSON, stage);
      stage.after(c, new Outcome(200, new Usage(10, 0, 0, 0, 120, 0, false), "end_turn"));
    }
    return stage;
  }

  private static Exchange call(Dialect client, Dialect upstream, boolean stream, Policy policy, EarlyExit stage) {
    return call(client, upstream, stream, policy, stage, false);
  }

  private static Exchange call(Dialect client, Dialect upstream, boolean stream, Policy policy, EarlyExit stage,
      boolean tools) {
    ObjectNode body = Json.object().put("model", "m").put("max_tokens", 100).put("stream", stream);
    body.putArray("messages").addObject().put("role", "user").put("content", "Extract the label.");
    if (tools) {
      body.putArray("tools").addObject().put("name", "label").putObject("input_schema").put("type", "object");
    }
    byte[] raw = Json.bytes(body);
    Exchange ex = new Exchange("req-1", Instant.EPOCH, 0, client, "/v1/messages", body, raw,
        LargeStrings.of(raw, 64 * 1024), new Credentials("t", null, false, Map.of()), Map.of(), "extract");
    ProviderConfig.Kind kind = upstream == Dialect.ANTHROPIC ? ProviderConfig.Kind.ANTHROPIC : ProviderConfig.Kind.OPENAI;
    ex.route(new Route(new ProviderConfig("p", kind, "http://127.0.0.1:1", null, Duration.ofSeconds(30),
        Map.of(), List.of()), "m"));
    ex.upstreamDialect(upstream);
    ex.policy(policy);
    ex.pattern("extract");
    stage.before(ex);
    return ex;
  }

  private static String trace(Exchange ex) {
    return ex.decisions().stream().map(d -> d.stage() + ": " + d.change()).toList().toString();
  }

  @Test
  void the_first_calls_of_a_pattern_run_to_their_end_so_that_later_exits_can_be_priced() {
    EarlyExit stage = new EarlyExit();
    Exchange first = call(Dialect.OPENAI, Dialect.OPENAI, true, JSON, stage);
    assertFalse(first.earlyExitJson());
    assertTrue(trace(first).contains("runs to its end (1 of 3)"), trace(first));
    for (int i = 0; i < 3; i++) {
      stage.after(call(Dialect.OPENAI, Dialect.OPENAI, true, JSON, stage),
          new Outcome(200, new Usage(10, 0, 0, 0, 100 + 20 * i, 0, false), "stop"));
    }
    Exchange later = call(Dialect.OPENAI, Dialect.OPENAI, true, JSON, stage);
    assertTrue(later.earlyExitJson());
    assertEquals(120, later.fullOutputEstimate(), "the mean of the complete answers");
  }

  @Test
  void a_streamed_call_in_its_own_dialect_is_marked_and_the_decision_recorded() {
    Exchange ex = call(Dialect.ANTHROPIC, Dialect.ANTHROPIC, true, JSON);
    assertTrue(ex.earlyExitJson());
    assertTrue(trace(ex).contains("early_exit: json"), trace(ex));
    assertFalse(ex.bodyChanged(), "the request goes as it came");
  }

  @Test
  void translated_calls_and_non_streamed_calls_with_tools_are_left_alone_with_the_reason_in_the_trace() {
    Exchange translated = call(Dialect.OPENAI, Dialect.ANTHROPIC, true, JSON);
    assertFalse(translated.earlyExitJson());
    assertTrue(trace(translated).contains("not applied to this translated call"), trace(translated));
    Exchange tools = call(Dialect.ANTHROPIC, Dialect.ANTHROPIC, false, JSON, calibrated(), true);
    assertFalse(tools.earlyExitJson() || tools.upstreamStream());
    assertTrue(trace(tools).contains("not applied to this non-streamed call with tools"), trace(tools));
  }

  @Test
  void a_non_streamed_call_asks_the_provider_for_a_stream_and_the_client_still_gets_a_whole_answer() {
    Exchange ex = call(Dialect.OPENAI, Dialect.OPENAI, false, JSON);
    assertTrue(ex.earlyExitJson() && ex.earlyExitWhole() && ex.upstreamStream());
    assertFalse(ex.stream(), "the client asked for a whole answer");
    assertTrue(ex.bodyChanged());
    assertTrue(ex.body().path("stream").asBoolean());
    assertTrue(ex.body().path("stream_options").path("include_usage").asBoolean(), "the provider reports usage");
    assertEquals(120, ex.fullOutputEstimate());
    assertTrue(trace(ex).contains("the provider is asked for a stream"), trace(ex));
    Exchange anthropic = call(Dialect.ANTHROPIC, Dialect.ANTHROPIC, false, JSON);
    assertTrue(anthropic.earlyExitWhole() && anthropic.body().path("stream").asBoolean());
    assertFalse(anthropic.body().has("stream_options"));
  }

  @Test
  void a_non_streamed_calibration_call_is_forwarded_as_it_came() {
    Exchange ex = call(Dialect.OPENAI, Dialect.OPENAI, false, JSON, new EarlyExit());
    assertFalse(ex.earlyExitWhole() || ex.upstreamStream() || ex.bodyChanged());
    assertTrue(trace(ex).contains("runs to its end (1 of 3)"), trace(ex));
  }

  @Test
  void without_the_tactic_nothing_is_recorded() {
    Exchange ex = call(Dialect.OPENAI, Dialect.OPENAI, true,
        new Policy("policies[0]", null, null, null, null, null, Map.of("max_tokens", Map.of("cap", 5))));
    assertFalse(ex.earlyExitJson());
    assertEquals(List.of(), ex.decisions());
  }

  @Test
  void an_unknown_mode_is_not_applied_and_says_so() {
    Exchange ex = call(Dialect.OPENAI, Dialect.OPENAI, true,
        new Policy("policies[1]", null, null, null, null, null, Map.of("early_exit", "yaml")));
    assertFalse(ex.earlyExitJson());
    assertTrue(trace(ex).contains("'yaml' is not a known mode"), trace(ex));
  }
}

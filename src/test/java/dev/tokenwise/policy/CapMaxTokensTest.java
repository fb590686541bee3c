package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapMaxTokensTest {
  private static final Policy FIXED = policy(256);
  private static final Policy AUTO = policy("auto");

  private final CapMaxTokens cap = new CapMaxTokens();

  @Test
  void a_fixed_cap_lowers_a_larger_openai_value() {
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":4096}", FIXED);
    cap.before(ex);
    assertEquals(256, ex.body().get("max_completion_tokens").asInt());
    assertTrue(ex.bodyChanged());
    assertEquals(new Decision("max_tokens", "max_completion_tokens 4096 -> 256 (policies[0])"), ex.decisions().get(0));
    assertTrue(new String(ex.upstreamBody(), StandardCharsets.UTF_8).contains("\"max_completion_tokens\":256"));
  }

  @Test
  void a_fixed_cap_lowers_the_deprecated_openai_field_the_client_used() {
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_tokens\":4096}", FIXED);
    cap.before(ex);
    assertEquals(256, ex.body().get("max_tokens").asInt());
    assertFalse(ex.body().has("max_completion_tokens"));
    assertEquals("max_tokens 4096 -> 256 (policies[0])", ex.decisions().get(0).change());
  }

  @Test
  void a_fixed_cap_lowers_a_larger_anthropic_value() {
    Exchange ex = exchange(Dialect.ANTHROPIC, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8192}", FIXED, "p");
    cap.before(ex);
    assertEquals(256, ex.body().get("max_tokens").asInt());
    assertTrue(ex.bodyChanged());
    assertEquals("max_tokens 8192 -> 256 (policies[0])", ex.decisions().get(0).change());
  }

  @Test
  void a_smaller_client_value_stands() {
    Exchange ex = exchange(Dialect.ANTHROPIC, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100}", FIXED, "p");
    cap.before(ex);
    assertEquals(100, ex.body().get("max_tokens").asInt());
    assertFalse(ex.bodyChanged());
    assertEquals("max_tokens 100 stands, under the cap 256 (policies[0])", ex.decisions().get(0).change());
  }

  @Test
  void an_absent_value_gets_the_cap() {
    Exchange ex = openai("{\"model\":\"gpt-4o\"}", FIXED);
    cap.before(ex);
    assertEquals(256, ex.body().get("max_completion_tokens").asInt());
    assertFalse(ex.body().has("max_tokens"));
    assertTrue(ex.bodyChanged());
  }

  @Test
  void without_a_policy_the_body_is_untouched() {
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":4096}", null);
    cap.before(ex);
    cap.after(ex, new Outcome(200, usage(5000), "length"));
    assertEquals(4096, ex.body().get("max_completion_tokens").asInt());
    assertFalse(ex.bodyChanged());
    assertTrue(ex.decisions().isEmpty());
    assertNull(cap.stats("p"));
  }

  @Test
  void a_policy_without_the_tactic_leaves_the_body_alone() {
    Policy route = Policies.of(List.of(Map.of("route", Map.of("model", "gpt-4o-mini"))))
        .match(null, null, null, null).orElseThrow();
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":4096}", route);
    cap.before(ex);
    assertFalse(ex.bodyChanged());
    assertTrue(ex.decisions().isEmpty());
  }

  @Test
  void auto_gives_no_cap_below_200_observed_calls() {
    observe("p", 57, 40);
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":4096}", AUTO);
    cap.before(ex);
    assertEquals(4096, ex.body().get("max_completion_tokens").asInt());
    assertFalse(ex.bodyChanged());
    assertEquals("max_tokens auto: 57 of 200 calls observed, no cap yet", ex.decisions().get(0).change());
  }

  @Test
  void auto_caps_at_twice_the_p99_after_200_observed_calls() {
    observe("p", 198, 40);
    observe("p", 2, 60);
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":4096}", AUTO);
    cap.before(ex);
    assertEquals(80, ex.body().get("max_completion_tokens").asInt());
    assertEquals("max_completion_tokens 4096 -> 80 (policies[0], auto: 2 x p99 40)",
        ex.decisions().get(0).change());
    assertEquals(new CapStats(200, 40, 80, 0, 0), cap.stats("p"));
  }

  @Test
  void failed_calls_and_calls_without_usage_are_not_observed() {
    Exchange ex = openai("{\"model\":\"gpt-4o\"}", AUTO);
    cap.after(ex, new Outcome(500, usage(10), null));
    cap.after(ex, new Outcome(200, null, "stop"));
    assertEquals(0, cap.stats("p").observed());
  }

  @Test
  void cut_calls_above_one_percent_raise_the_auto_cap() {
    observe("p", 200, 40);
    for (int i = 0; i < 100; i++) {
      Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":4096}", AUTO);
      cap.before(ex);
      assertEquals(80, ex.body().get("max_completion_tokens").asInt());
      boolean cut = i < 2;
      cap.after(ex, new Outcome(200, usage(cut ? 80 : 40), cut ? "length" : "stop"));
      if (i == 99) {
        assertEquals("max_tokens auto for p: 2 of 100 capped calls cut (2.0 %), multiplier 2 -> 4",
            ex.decisions().get(ex.decisions().size() - 1).change());
      }
    }
    CapStats stats = cap.stats("p");
    assertEquals(100, stats.capped());
    assertEquals(2, stats.cut());

    Exchange next = exchange(Dialect.ANTHROPIC, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096}", AUTO, "p");
    cap.before(next);
    assertEquals(160, next.body().get("max_tokens").asInt());
  }

  @Test
  void one_cut_call_in_a_hundred_does_not_raise_the_cap() {
    observe("p", 200, 40);
    for (int i = 0; i < 100; i++) {
      Exchange ex = openai("{\"model\":\"gpt-4o\"}", AUTO);
      cap.before(ex);
      cap.after(ex, new Outcome(200, usage(40), i == 0 ? "length" : "stop"));
    }
    Exchange ex = openai("{\"model\":\"gpt-4o\"}", AUTO);
    cap.before(ex);
    assertEquals(80, ex.body().get("max_completion_tokens").asInt());
  }

  @Test
  void a_call_that_stops_under_its_own_smaller_value_is_not_counted_as_cut() {
    Exchange ex = openai("{\"model\":\"gpt-4o\",\"max_completion_tokens\":10}", FIXED);
    cap.before(ex);
    cap.after(ex, new Outcome(200, usage(10), "length"));
    assertEquals(new CapStats(1, -1, 256, 0, 0), cap.stats("p"));
  }

  @Test
  void the_sketch_reports_quantiles_within_its_bucket_precision() {
    OutputSketch sketch = new OutputSketch();
    for (int v = 1; v <= 10_000; v++) {
      sketch.add(v);
    }
    long p99 = sketch.quantile(0.99);
    assertTrue(p99 >= 9_900 && p99 <= 9_900 * 1.04, "p99 " + p99);
    for (int i = 0; i < 2000; i++) {
      assertTrue(OutputSketch.upperBound(OutputSketch.index(i * 997L)) >= i * 997L);
    }
  }

  private void observe(String pattern, int calls, long outputTokens) {
    for (int i = 0; i < calls; i++) {
      Exchange ex = exchange(Dialect.OPENAI, "{\"model\":\"gpt-4o\",\"max_completion_tokens\":10}", AUTO, pattern);
      cap.after(ex, new Outcome(200, usage(outputTokens), "stop"));
    }
  }

  private static Exchange openai(String json, Policy policy) {
    return exchange(Dialect.OPENAI, json, policy, "p");
  }

  private static Exchange exchange(Dialect dialect, String json, Policy policy, String pattern) {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    ObjectNode body = (ObjectNode) Json.tryParse(raw);
    String endpoint = dialect == Dialect.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions";
    Exchange ex = new Exchange("r1", Instant.EPOCH, 0, dialect, endpoint, body, raw, LargeStrings.of(raw, 1 << 20),
        new Credentials("t", "k", true, Map.of()), Map.of(), null);
    ex.pattern(pattern);
    if (policy != null) {
      ex.policy(policy);
    }
    return ex;
  }

  private static Policy policy(Object capValue) {
    return Policies.of(List.of(Map.of("max_tokens", Map.of("cap", capValue))))
        .match(null, null, null, null).orElseThrow();
  }

  private static Usage usage(long output) {
    return new Usage(100, 0, 0, 0, output, 0, false);
  }
}

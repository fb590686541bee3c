package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The walk through a fallback chain, driven as the server drives it, without a network. */
class FallbackTest {
  private static final String CHAT = "/v1/chat/completions";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final Providers providers = new Providers(ConfigLoader.defaults(Map.of("ANTHROPIC_API_KEY", "sk-ant-gw")));

  @AfterEach
  void close() {
    providers.close();
  }

  private Fallback.Shared shared(int maxAttempts, Duration deadline, int breakerFailures) {
    Config.Retry retry = new Config.Retry(maxAttempts, deadline, Duration.ofMillis(250), Duration.ofSeconds(8),
        new Config.Retry.Breaker(breakerFailures, 0.5, 20, Duration.ofSeconds(30)));
    return Fallback.Shared.of(retry, clock, slept::add, new SplittableRandom(3));
  }

  /** An OpenAI client's streamed call of gpt-4o, routed, under a policy with this fallback list. */
  private Exchange call(List<String> fallback) {
    ObjectNode body = Json.object().put("model", "gpt-4o").put("stream", true);
    body.putArray("messages").addObject().put("role", "user").put("content", "hello");
    byte[] raw = Json.bytes(body);
    Exchange ex = new Exchange("req-1", clock.instant(), System.nanoTime(), Dialect.OPENAI, CHAT, body, raw,
        LargeStrings.of(raw, 64 * 1024), new Credentials("t", "sk-client", true, Map.of()), Map.of(), null);
    ex.policy(new Policy("policies[0]", null, null, null, null, null, Map.of("fallback", fallback)));
    new Resolve(providers).before(ex);
    return ex;
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean fail(Fallback f, int status) {
    return f.failed(status, null, null, null, null, "HTTP " + status, 0L);
  }

  @Test
  void no_chain_and_no_failure_makes_one_attempt_of_the_routed_model() {
    Exchange ex = call(List.of());
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 5), providers);
    assertTrue(f.next());
    f.answered(200);
    assertEquals(1, f.attempts().size());
    assertEquals(List.of(), f.trace(), "a plain call's trace says nothing of the chain");
    assertFalse(ex.onFallback());
  }

  @Test
  void an_outage_walks_the_chain_across_providers_and_dialects_within_the_budget() {
    Exchange ex = call(List.of("claude-haiku-4-5", "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-6"));
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 5), providers);
    assertTrue(ex.usageInjected(), "the first route asked the OpenAI stream for its usage");

    assertTrue(f.next());
    assertEquals("openai/gpt-4o", ex.route().providerName() + "/" + ex.upstreamModel());
    assertTrue(fail(f, 503));

    assertTrue(f.next());
    assertEquals("anthropic/claude-haiku-4-5", ex.route().providerName() + "/" + ex.upstreamModel());
    assertTrue(ex.translated() && ex.needsTranslation(), "the Anthropic model is asked in its own format");
    assertEquals("claude-haiku-4-5", ex.targetModel());
    assertTrue(ex.onFallback());
    assertFalse(ex.usageInjected());
    assertFalse(ex.body().has("stream_options"), "the OpenAI route's usage option is undone for the translation");
    assertTrue(fail(f, 529));

    assertTrue(f.next());
    assertEquals("openai/gpt-4o-mini", ex.route().providerName() + "/" + ex.upstreamModel());
    assertEquals("gpt-4o-mini", ex.body().path("model").asText());
    assertTrue(ex.body().path("stream_options").path("include_usage").asBoolean());
    assertTrue(fail(f, 500));

    assertFalse(f.next(), "three attempts are the whole budget, whatever is left of the chain");
    assertEquals("retry.max_attempts (3) reached", f.stopReason());
    assertEquals(List.of("openai", "anthropic", "openai"), f.attempts().stream().map(Attempt::provider).toList());
    assertEquals(List.of(), slept, "moving to another model does not wait");
    assertEquals("attempt 1 openai/gpt-4o: 503 (HTTP 503) in 0 ms; attempt 2 anthropic/claude-haiku-4-5: 529 (HTTP 529)"
        + " in 0 ms; attempt 3 openai/gpt-4o-mini: 500 (HTTP 500) in 0 ms", f.summary().replaceAll("in \\d+ ms", "in 0 ms"));
  }

  @Test
  void an_early_exit_decided_for_the_routed_model_is_off_while_a_fallback_speaks_the_other_dialect() {
    Exchange ex = call(List.of("claude-haiku-4-5", "openai/gpt-4o-mini"));
    ex.earlyExitJson(true);
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    assertFalse(ex.earlyExitJson(), "the translated attempt runs to its end");
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    assertTrue(ex.earlyExitJson(), "an OpenAI model again: the exit applies");
  }

  @Test
  void a_model_that_cannot_take_the_request_costs_no_attempt() {
    Exchange ex = call(List.of("claude-haiku-4-5", "openai/gpt-4o-mini"));
    Fallback f = new Fallback(ex, shared(2, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    f.cannotSend("the request uses n > 1, which Anthropic models cannot answer");
    assertTrue(f.next(), "the budget of 2 still has room");
    assertEquals("gpt-4o-mini", ex.upstreamModel());
    assertTrue(f.trace().contains("fallback: skipped anthropic/claude-haiku-4-5 (the request uses n > 1, which"
        + " Anthropic models cannot answer)"), f.trace().toString());
  }

  @Test
  void the_hard_ceiling_holds_however_long_the_chain() {
    Exchange ex = call(List.of("openai/gpt-4o-mini", "claude-haiku-4-5", "anthropic/claude-sonnet-4-6", "openai/o3",
        "openai/gpt-4.1"));
    Fallback f = new Fallback(ex, shared(Config.Retry.HARD_CEILING, Duration.ofMinutes(10), 100), providers);
    int n = 0;
    while (f.next()) {
      n++;
      assertTrue(f.failed(200, json("<html>"), null, null, null, "a 200 that is no answer", 0L));
    }
    assertEquals(5, n);
  }

  @Test
  void a_returning_call_waits_an_exponential_backoff_with_jitter() {
    Exchange ex = call(List.of());
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    assertEquals(2, slept.size());
    assertTrue(slept.get(0).compareTo(Duration.ofMillis(250)) <= 0, slept.toString());
    assertTrue(slept.get(1).compareTo(Duration.ofMillis(500)) <= 0, slept.toString());
    assertTrue(f.trace().get(1).matches("fallback: waited \\d+ ms \\(backoff\\) before asking openai/gpt-4o again"),
        f.trace().toString());
    assertTrue(f.trace().get(0).startsWith("fallback: attempt 1 openai/gpt-4o: 503"), "in the order they happened");
  }

  @Test
  void a_retry_after_that_fits_the_deadline_is_waited_for_on_the_same_model() {
    Exchange ex = call(List.of("claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(f.failed(429, null, null, null, "2", "rate limited", 0L));
    assertTrue(f.next());
    assertWaited(Duration.ofSeconds(2));
    assertEquals("gpt-4o", ex.upstreamModel(), "the same model again");
  }

  @Test
  void a_retry_after_past_the_deadline_moves_on_and_drops_that_model() {
    Exchange ex = call(List.of("claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared(3, Duration.ofSeconds(10), 100), providers);
    assertTrue(f.next());
    assertTrue(f.failed(429, null, null, "60000", null, "rate limited", 0L));
    assertTrue(f.next());
    assertEquals("claude-haiku-4-5", ex.upstreamModel());
    assertEquals(List.of(), slept);
    assertTrue(fail(f, 503));
    assertTrue(f.next(), "the fallback may be asked again");
    assertEquals("claude-haiku-4-5", ex.upstreamModel(), "gpt-4o is not asked again within this call");
    assertTrue(f.trace().contains("fallback: openai/gpt-4o asked to wait 60 s (Retry-After), past the call's deadline;"
        + " going on without it"), f.trace().toString());
  }

  @Test
  void an_http_date_retry_after_is_read_on_the_injected_clock() {
    Exchange ex = call(List.of());
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(f.failed(503, null, null, null, "Mon, 02 Nov 2026 10:00:03 GMT", "overloaded", 0L));
    assertTrue(f.next());
    assertWaited(Duration.ofSeconds(3));
  }

  /** One wait, of what the provider asked less the moments since it asked. */
  private void assertWaited(Duration asked) {
    assertEquals(1, slept.size(), slept.toString());
    Duration w = slept.get(0);
    assertTrue(w.compareTo(asked) <= 0 && w.compareTo(asked.minusMillis(200)) > 0, w.toString());
  }

  @Test
  void a_model_that_asks_to_wait_again_lets_the_next_model_go_first_and_is_not_asked_before_its_time() {
    Exchange ex = call(List.of("claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared(5, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(f.failed(429, null, null, null, "1", "rate limited", 0L));
    assertTrue(f.next());
    assertEquals("gpt-4o", ex.upstreamModel(), "the first Retry-After is waited out on the same model");
    assertTrue(f.failed(429, null, null, null, "3", "rate limited", 0L));
    assertTrue(f.next());
    assertEquals("claude-haiku-4-5", ex.upstreamModel(), "asked to wait again: the next model goes first");
    assertTrue(fail(f, 503));
    slept.clear();
    assertTrue(f.next());
    assertEquals("gpt-4o", ex.upstreamModel());
    assertWaited(Duration.ofSeconds(3));
    assertTrue(f.trace().contains("fallback: openai/gpt-4o asked to wait again (Retry-After); the next model goes first"),
        f.trace().toString());
  }

  @Test
  void a_request_error_goes_back_at_once() {
    Exchange ex = call(List.of("claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertFalse(fail(f, 400));
    assertEquals("rejected", f.attempts().get(0).outcome());
  }

  @Test
  void a_spent_quota_skips_the_model_for_the_rest_of_the_call() {
    Exchange ex = call(List.of("claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(f.failed(429, json("{\"error\":{\"message\":\"quota\",\"type\":\"insufficient_quota\",\"param\":null,"
        + "\"code\":\"insufficient_quota\"}}"), null, null, null, "quota", 0L));
    assertTrue(f.next());
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    assertEquals("claude-haiku-4-5", ex.upstreamModel());
  }

  @Test
  void an_open_circuit_is_skipped_without_an_attempt_and_a_probe_goes_after_the_cooldown() {
    Fallback.Shared shared = shared(2, Duration.ofMinutes(10), 2);
    for (int i = 0; i < 2; i++) {
      Fallback f = new Fallback(call(List.of("claude-haiku-4-5")), shared, providers);
      assertTrue(f.next());
      assertTrue(fail(f, 503));
      assertTrue(f.next());
      f.answered(200);
    }
    clock.advance(Duration.ofSeconds(12));
    Exchange ex = call(List.of("claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared, providers);
    assertTrue(f.next());
    assertEquals("claude-haiku-4-5", ex.upstreamModel(), "the open circuit costs no attempt");
    f.answered(200);
    assertEquals(1, f.attempts().size());
    assertEquals(List.of("fallback: skipped openai/gpt-4o (circuit open, 18 s left)",
        "fallback: attempt 1 anthropic/claude-haiku-4-5: 200 in 0 ms"),
        f.trace().stream().map(t -> t.replaceAll("in \\d+ ms", "in 0 ms")).toList());

    clock.advance(Duration.ofSeconds(18));
    Exchange probe = call(List.of("claude-haiku-4-5"));
    Fallback p = new Fallback(probe, shared, providers);
    assertTrue(p.next());
    assertEquals("gpt-4o", probe.upstreamModel(), "half-open: this call is the probe");
    p.answered(200);
    assertEquals(Map.of("openai/gpt-4o", false), pipelineView(shared));
  }

  private static Map<String, Boolean> pipelineView(Fallback.Shared shared) {
    Map<String, Boolean> out = new java.util.TreeMap<>();
    shared.breakers().snapshot().forEach((k, s) -> out.put(k, s.state() != dev.tokenwise.provider.CircuitBreaker.State.CLOSED));
    return out;
  }

  @Test
  void every_model_open_ends_the_call_without_an_attempt() {
    Fallback.Shared shared = shared(1, Duration.ofMinutes(10), 1);
    Fallback first = new Fallback(call(List.of()), shared, providers);
    assertTrue(first.next());
    assertTrue(fail(first, 503));
    Fallback f = new Fallback(call(List.of()), shared, providers);
    assertFalse(f.next());
    assertEquals("every model of the chain has its circuit open", f.stopReason());
    assertTrue(f.attempts().isEmpty());
    assertEquals("skipped openai/gpt-4o (circuit open, 30 s left)", f.summary());
  }

  @Test
  void the_clients_key_never_goes_to_another_provider() {
    Exchange ex = call(List.of("groq/llama-3.3-70b-versatile", "claude-haiku-4-5"));
    Fallback f = new Fallback(ex, shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(fail(f, 503));
    assertTrue(f.next());
    assertEquals("anthropic", ex.route().providerName(), "groq has no key of the gateway's own");
    assertTrue(f.trace().contains("fallback: skipped groq/llama-3.3-70b-versatile (no key of the gateway's own for"
        + " groq; set providers.groq.api_key)"), f.trace().toString());
  }

  @Test
  void a_passed_deadline_allows_no_attempt() {
    Fallback f = new Fallback(call(List.of()), shared(3, Duration.ofNanos(1), 100), providers);
    assertFalse(f.next());
    assertTrue(f.stopReason().startsWith("the call's deadline (retry.deadline 0ms) leaves 0 ms"), f.stopReason());
  }

  @Test
  void costs_of_failed_attempts_add_up_and_an_unknown_one_makes_the_sum_unknown() {
    Fallback f = new Fallback(call(List.of("claude-haiku-4-5")), shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(f.next());
    assertTrue(f.failed(200, json("{\"usage\":{}}"), null, null, null, "no choices", 1200L));
    assertTrue(f.next());
    assertEquals(1200L, f.recordedCost());
    f.answered(200);
    f.priced(800L);
    assertEquals(2000L, f.recordedCost());
    assertEquals(0L, new Fallback(call(List.of()), shared(3, Duration.ofMinutes(10), 100), providers).recordedCost());

    Fallback unknown = new Fallback(call(List.of("claude-haiku-4-5")), shared(3, Duration.ofMinutes(10), 100), providers);
    assertTrue(unknown.next());
    assertTrue(unknown.failed(200, null, null, null, null, "usage of a model without a price", null));
    assertNull(unknown.recordedCost());
  }
}

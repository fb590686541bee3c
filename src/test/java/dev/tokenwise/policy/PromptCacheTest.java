package dev.tokenwise.policy;

import dev.tokenwise.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.core.Usage;
import dev.tokenwise.provider.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptCacheTest {
  private static final String SONNET = "claude-sonnet-4-5";
  private static final Policy AUTO = new Policy("policies[0]", null, null, null, null, null,
      Map.of("prompt_cache", "auto"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
  private final PromptCache stage = new PromptCache(clock);

  @Test
  void marks_last_tool_and_system_block_when_the_prefix_is_long_and_calls_are_frequent() {
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ex = anthropic(withTools(blockSystem(text(6000)), 6000));
      stage.before(ex);
      clock.advance(Duration.ofSeconds(30));
    }
    ArrayNode tools = (ArrayNode) ex.body().get("tools");
    assertNull(tools.get(0).get("cache_control"));
    assertEquals(Json.object().put("type", "ephemeral"), tools.get(1).get("cache_control"));
    assertEquals("ephemeral", ex.body().get("system").get(0).path("cache_control").path("type").asText());
    assertTrue(ex.bodyChanged());
    assertEquals(new Decision("prompt_cache", "2 breakpoints (tools, system), ttl 5m, prefix ~3037 tokens,"
        + " 3 calls/5 min"), last(ex));
  }

  @Test
  void leaves_a_prefix_below_the_model_minimum_alone() {
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ex = anthropic(blockSystem(text(3000)));
      stage.before(ex);
      clock.advance(Duration.ofSeconds(10));
    }
    assertFalse(ex.bodyChanged());
    assertTrue(last(ex).change().contains("below the 1024-token minimum of " + SONNET), last(ex).change());

    Exchange haiku = null;
    for (int i = 0; i < 3; i++) {
      haiku = call(Dialect.ANTHROPIC, Dialect.ANTHROPIC, "claude-haiku-4-5-20251001", "haiku",
          blockSystem(text(12000)));
      stage.before(haiku);
    }
    assertFalse(haiku.bodyChanged());
    assertTrue(last(haiku).change().contains("below the 4096-token minimum"), last(haiku).change());
  }

  @Test
  void looks_up_minimums_by_the_longest_model_prefix() {
    assertEquals(4096, PromptCache.minimum("claude-opus-4-5-20251101"));
    assertEquals(1024, PromptCache.minimum("claude-opus-4-20250514"));
    assertEquals(2048, PromptCache.minimum("claude-opus-4-7"));
    assertEquals(512, PromptCache.minimum("claude-opus-5-5"));
    assertEquals(2048, PromptCache.minimum("claude-3-5-haiku-20241022"));
    assertEquals(1024, PromptCache.minimum("some-new-model"));
  }

  @Test
  void waits_for_three_calls_of_a_pattern() {
    for (int i = 1; i <= 3; i++) {
      Exchange ex = anthropic(blockSystem(text(8000)));
      stage.before(ex);
      if (i < 3) {
        assertFalse(ex.bodyChanged());
        assertEquals("no breakpoints yet: " + i + " call(s) of this pattern seen, caching starts at 3",
            last(ex).change());
      } else {
        assertTrue(ex.bodyChanged());
      }
      clock.advance(Duration.ofSeconds(20));
    }
  }

  @Test
  void does_not_cache_a_pattern_called_every_two_hours() {
    Exchange ex = null;
    for (int i = 0; i < 4; i++) {
      ex = anthropic(blockSystem(text(8000)));
      stage.before(ex);
      clock.advance(Duration.ofHours(2));
    }
    assertFalse(ex.bodyChanged());
    assertTrue(last(ex).change().contains("~2.0 h apart (median)"), last(ex).change());
  }

  @Test
  void chooses_the_one_hour_ttl_for_calls_twenty_minutes_apart() {
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ex = anthropic(blockSystem(text(8000)));
      stage.before(ex);
      clock.advance(Duration.ofMinutes(20));
    }
    JsonNode cc = ex.body().get("system").get(0).get("cache_control");
    assertEquals("1h", cc.path("ttl").asText());
    assertTrue(last(ex).change().startsWith("1 breakpoint (system), ttl 1h"), last(ex).change());
    assertTrue(last(ex).change().endsWith("3 calls/hour"), last(ex).change());
  }

  @Test
  void converts_a_string_system_prompt_into_a_marked_block() {
    String system = text(8000);
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ObjectNode body = base();
      body.put("system", system);
      ex = anthropic(body);
      stage.before(ex);
    }
    JsonNode blocks = ex.body().get("system");
    assertTrue(blocks.isArray());
    assertEquals(1, blocks.size());
    assertEquals("text", blocks.get(0).path("type").asText());
    assertEquals(system, blocks.get(0).path("text").asText());
    assertEquals("ephemeral", blocks.get(0).path("cache_control").path("type").asText());
  }

  @Test
  void keeps_client_markers_and_never_goes_past_four_breakpoints() {
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ex = anthropic(withMarkedMessages(withTools(blockSystem(text(6000)), 6000), 3));
      stage.before(ex);
    }
    assertEquals(4, countMarkers(ex.body()));
    assertNull(ex.body().get("tools").get(1).get("cache_control"), "one slot left: the system one covers tools");
    assertTrue(ex.body().get("system").get(0).has("cache_control"));
    assertEquals("1 breakpoint (system), ttl 5m, prefix ~3037 tokens, 3 calls/5 min", last(ex).change());

    Exchange full = null;
    for (int i = 0; i < 3; i++) {
      ObjectNode body = withMarkedMessages(blockSystem(text(8000)), 3);
      body.putObject("cache_control").put("type", "ephemeral");
      full = anthropic(body);
      stage.before(full);
    }
    assertFalse(full.bodyChanged());
    assertEquals(4, countMarkers(full.body()));
    assertEquals("no breakpoints added: the request already uses all 4", last(full).change());
  }

  @Test
  void adds_no_one_hour_breakpoint_after_a_client_five_minute_one() {
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ObjectNode body = withTools(blockSystem(text(8000)), 400);
      ((ObjectNode) body.get("tools").get(0)).putObject("cache_control").put("type", "ephemeral");
      ex = anthropic(body);
      stage.before(ex);
      clock.advance(Duration.ofMinutes(20));
    }
    assertFalse(ex.bodyChanged());
    assertEquals(1, countMarkers(ex.body()));
    assertTrue(last(ex).change().contains("Anthropic rejects"), last(ex).change());
  }

  @Test
  void counts_a_system_prompt_that_changes_only_in_a_timestamp() {
    for (int i = 0; i < 3; i++) {
      ObjectNode body = base();
      body.put("system", "Current time: 2026-11-26T09:0" + i + ":00Z. " + text(8000));
      Exchange ex = anthropic(body);
      stage.before(ex);
      if (i > 0) {
        assertTrue(ex.decisions().stream().anyMatch(d -> d.change().startsWith("system prompt not byte-stable (")
            && d.change().endsWith("— caching cannot hit")), ex.decisions().toString());
        assertFalse(ex.bodyChanged(), "a system breakpoint would be written on every call and never read");
      }
      clock.advance(Duration.ofSeconds(15));
    }
    assertEquals(2, stage.stats("p1").unstablePrefixes());
    assertEquals(3, stage.stats("p1").calls());
  }

  @Test
  void watches_openai_system_prompts_and_totals_cached_input() {
    for (int i = 0; i < 2; i++) {
      ObjectNode body = Json.object().put("model", "gpt-4o");
      ArrayNode messages = body.putArray("messages");
      messages.addObject().put("role", "system").put("content", "Request id a1b2c3d" + i + ". Answer briefly.");
      messages.addObject().put("role", "user").put("content", "hello");
      Exchange ex = call(Dialect.OPENAI, Dialect.OPENAI, "gpt-4o", "openai", body);
      stage.before(ex);
      assertFalse(ex.bodyChanged());
      stage.after(ex, new Outcome(200, new Usage(200, 1024 * i, 0, 0, 10, 0, false), "stop"));
    }
    PromptCacheStats stats = stage.stats("p1");
    assertEquals(new PromptCacheStats(2, 1, 1424, 1024), stats);
    assertEquals(1024.0 / 1424, stats.cachedShare(), 1e-9);
  }

  @Test
  void steps_aside_on_translated_calls() {
    Exchange ex = null;
    for (int i = 0; i < 3; i++) {
      ex = call(Dialect.ANTHROPIC, Dialect.OPENAI, "gpt-4o", "openai", withTools(blockSystem(text(8000)), 6000));
      stage.before(ex);
    }
    assertFalse(ex.bodyChanged());
    assertEquals(0, countMarkers(ex.body()));
    assertTrue(last(ex).change().startsWith("skipped: the call is translated"), last(ex).change());
  }

  @Test
  void ignores_calls_whose_policy_lacks_the_tactic() {
    Exchange ex = anthropic(blockSystem(text(8000)));
    ex.policy(new Policy("policies[0]", null, null, null, null, null, Map.of()));
    stage.before(ex);
    assertTrue(ex.decisions().isEmpty());
    assertEquals(0, stage.stats("p1").calls());
  }

  private Exchange anthropic(ObjectNode body) {
    return call(Dialect.ANTHROPIC, Dialect.ANTHROPIC, SONNET, "anthropic", body);
  }

  private static Exchange call(Dialect client, Dialect upstream, String model, String provider, ObjectNode body) {
    byte[] raw = Json.bytes(body);
    Exchange ex = new Exchange("req-1", Instant.EPOCH, 0, client,
        client == Dialect.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions", body, raw,
        LargeStrings.of(raw, 64 * 1024), new Credentials("t", null, false, Map.of()), Map.of(), null);
    ProviderConfig.Kind kind = upstream == Dialect.ANTHROPIC ? ProviderConfig.Kind.ANTHROPIC : ProviderConfig.Kind.OPENAI;
    ex.route(new Route(new ProviderConfig(provider, kind, "http://127.0.0.1:1", null, Duration.ofSeconds(30),
        Map.of(), List.of()), model));
    ex.upstreamDialect(upstream);
    ex.pattern("p1");
    ex.policy(AUTO);
    return ex;
  }

  private static ObjectNode base() {
    ObjectNode body = Json.object().put("model", SONNET).put("max_tokens", 512);
    body.putArray("messages").addObject().put("role", "user").put("content", "Summarise ticket 4411.");
    return body;
  }

  private static ObjectNode blockSystem(String text) {
    ObjectNode body = base();
    body.putArray("system").addObject().put("type", "text").put("text", text);
    return body;
  }

  private static ObjectNode withTools(ObjectNode body, int descriptionChars) {
    ArrayNode tools = body.putArray("tools");
    for (String name : List.of("lookup_order", "refund_order")) {
      ObjectNode tool = tools.addObject().put("name", name).put("description", text(descriptionChars / 2));
      tool.putObject("input_schema").put("type", "object");
    }
    return body;
  }

  /** Adds {@code n} user turns whose blocks carry the client's own breakpoints. */
  private static ObjectNode withMarkedMessages(ObjectNode body, int n) {
    ArrayNode messages = body.putArray("messages");
    for (int i = 0; i < n; i++) {
      ObjectNode block = messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant")
          .putArray("content").addObject().put("type", "text").put("text", "turn " + i);
      block.putObject("cache_control").put("type", "ephemeral");
    }
    return body;
  }

  private static int countMarkers(JsonNode node) {
    int n = 0;
    if (node.isObject() && node.has("cache_control")) {
      n++;
    }
    for (JsonNode child : node) {
      n += countMarkers(child);
    }
    return n;
  }

  private static String text(int chars) {
    String words = "You answer questions about orders and refunds politely and precisely. ";
    return words.repeat(chars / words.length() + 1).substring(0, chars);
  }

  private static Decision last(Exchange ex) {
    List<Decision> all = ex.decisions();
    return all.get(all.size() - 1);
  }
}

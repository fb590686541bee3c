package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a month of simulated traffic needs: faults at set hours, and memory that stays flat. */
class SimLongRunTest {
  private static final Instant T0 = Instant.parse("2026-10-12T13:00:00Z");
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me more\"}]}";

  private static int status(Simulator sim) {
    return Http.post(sim.baseUrl() + "/v1/chat/completions", CHAT, Http.openAi()).statusCode();
  }

  @Test
  void a_rule_with_a_window_applies_only_while_the_clock_is_inside_it() {
    MutableClock clock = new MutableClock(T0);
    try (Simulator sim = Simulator.start(0, clock)) {
      Rule outage = sim.on("gpt-4o").fail(503).during(T0.plusSeconds(3600), T0.plusSeconds(7200));
      assertEquals(200, status(sim));
      clock.advance(Duration.ofHours(1));
      assertEquals(503, status(sim));
      clock.advance(Duration.ofMinutes(59));
      assertEquals(503, status(sim));
      clock.advance(Duration.ofMinutes(1));
      assertEquals(200, status(sim), "the window's end is not in it");
      assertEquals(2, outage.applied());
    }
  }

  @Test
  void a_window_uses_no_draws_outside_it() {
    Rules a = new Rules();
    a.add("m").fail(503).chance(0.5).during(T0, T0.plusSeconds(60));
    Rules b = new Rules();
    b.add("m").fail(503).chance(0.5);
    for (int i = 0; i < 50; i++) {
      assertEquals(0, a.next("m", T0.minusSeconds(1), "").failStatus());
    }
    for (int i = 0; i < 200; i++) {
      assertEquals(b.next("m", T0, "").failStatus(), a.next("m", T0, "").failStatus(), "call " + i);
    }
  }

  @Test
  void a_window_comes_over_http_as_from_and_until() {
    MutableClock clock = new MutableClock(T0);
    try (Simulator sim = Simulator.start(0, clock)) {
      HttpResponse<String> r = Http.post(sim.baseUrl() + "/_sim/rules", "{\"model\":\"gpt-4o\","
          + "\"action\":\"fail\",\"status\":429,\"from\":\"2026-10-12T13:30:00Z\",\"until\":\"2026-10-12T14:30:00Z\"}");
      assertEquals(201, r.statusCode(), r.body());
      assertEquals("2026-10-12T13:30:00Z", Http.json(r).path("from").asText());
      assertEquals(200, status(sim));
      clock.advance(Duration.ofMinutes(30));
      assertEquals(429, status(sim));
      String fail = "{\"model\":\"gpt-4o\",\"action\":\"fail\",\"status\":429,";
      for (String bad : List.of(fail + "\"from\":\"2026-10-12T13:30:00Z\"}",
          fail + "\"from\":\"yesterday\",\"until\":\"2026-10-12T14:30:00Z\"}",
          fail + "\"from\":\"2026-10-12T14:30:00Z\",\"until\":\"2026-10-12T13:30:00Z\"}")) {
        HttpResponse<String> refused = Http.post(sim.baseUrl() + "/_sim/rules", bad);
        assertEquals(400, refused.statusCode(), bad);
        assertTrue(Http.json(refused).path("error").path("message").asText().contains("'from'")
            || Http.json(refused).path("error").path("message").asText().contains("window"), refused.body());
      }
    }
  }

  @Test
  void a_rule_cannot_be_given_a_window_that_ends_before_it_starts() {
    Rules rules = new Rules();
    assertThrows(IllegalArgumentException.class, () -> rules.add("m").during(T0, T0));
  }

  @Test
  void calls_not_recorded_are_still_counted_in_the_stats() {
    try (Simulator sim = Simulator.start(0)) {
      status(sim);
      sim.recordCalls(false);
      sim.on("gpt-4o").fail(503).times(1);
      status(sim);
      status(sim);
      assertEquals(1, sim.calls().size(), "only the call made while recording is kept");
      JsonNode stats = Http.json(Http.get(sim.baseUrl() + "/_sim/stats"));
      assertEquals(3, stats.path("calls").asInt());
      assertEquals(2, stats.path("by_status").path("200").asInt());
      assertEquals(1, stats.path("by_status").path("503").asInt());
      assertEquals(3, stats.path("by_state").path("completed").asInt());
    }
  }

  @Test
  void expired_prompt_cache_prefixes_are_swept_as_new_ones_come() {
    MutableClock clock = new MutableClock(T0);
    PromptCache cache = new PromptCache(clock);
    List<Long> boundaries = java.util.stream.LongStream.range(0, 64).boxed().toList();
    // 63 prompts of 64 prefixes each, then one more after they expired: its last write is the
    // 4096th, which sweeps.
    for (int i = 0; i < 63; i++) {
      cache.openAi("scope-" + i, boundaries);
    }
    assertEquals(63 * 64, cache.size());
    clock.advance(Duration.ofMinutes(6));
    cache.openAi("fresh", boundaries);
    assertEquals(64, cache.size(), "only the live prefixes are left after the sweep");
  }
}

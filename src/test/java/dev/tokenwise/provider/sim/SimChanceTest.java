package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimChanceTest {
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me more\"}]}";

  /** The fail status of each of {@code n} calls to model "m" (0 = not failed). */
  private static List<Integer> statuses(Rules rules, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rules.next("m", Instant.EPOCH, "").failStatus());
    }
    return out;
  }

  private static long count(List<Integer> statuses, int status) {
    return statuses.stream().filter(s -> s == status).count();
  }

  @Test
  void a_rule_with_a_chance_applies_to_about_that_share_of_calls() {
    Rules rules = new Rules();
    rules.add("m").fail(503).chance(0.3);
    long failed = count(statuses(rules, 10_000), 503);
    // 10,000 draws at p = 0.3: the standard deviation is about 46.
    assertTrue(failed > 2_800 && failed < 3_200, "failed " + failed + " of 10000");
  }

  @Test
  void a_call_the_chance_passes_over_falls_through_to_the_next_rule() {
    Rules rules = new Rules();
    rules.add("m").fail(503).chance(0.5);
    rules.add("m").fail(429);
    List<Integer> s = statuses(rules, 1_000);
    assertEquals(1_000, count(s, 503) + count(s, 429), "no call reaches the default answer");
    assertTrue(count(s, 503) > 400 && count(s, 429) > 400, s.toString());
  }

  @Test
  void times_counts_only_the_calls_a_rule_applied_to() {
    Rules rules = new Rules();
    Rule rule = rules.add("m").fail(500).chance(0.2).times(5);
    List<Integer> s = statuses(rules, 1_000);
    assertEquals(5, count(s, 500));
    assertEquals(5, rule.applied());
    assertTrue(s.indexOf(500) >= 0 && s.lastIndexOf(500) > 5, "the five were spread by the draws: " + s);
  }

  @Test
  void the_same_seed_picks_the_same_calls_and_another_seed_others() {
    Rules a = new Rules();
    a.seed(7);
    a.add("m").fail(503).chance(0.1);
    a.add("m").fail(429).chance(0.1);
    Rules b = new Rules();
    b.seed(7);
    b.add("m").fail(503).chance(0.1);
    b.add("m").fail(429).chance(0.1);
    Rules c = new Rules();
    c.seed(8);
    c.add("m").fail(503).chance(0.1);
    c.add("m").fail(429).chance(0.1);
    List<Integer> first = statuses(a, 500);
    assertEquals(first, statuses(b, 500));
    assertNotEquals(first, statuses(c, 500));
  }

  @Test
  void a_rules_own_seed_wins_over_the_simulators() {
    Rules a = new Rules();
    a.seed(1);
    a.add("m").fail(503).chance(0.25).seed(99);
    Rules b = new Rules();
    b.seed(2);
    b.add("m").fail(503).chance(0.25).seed(99);
    assertEquals(statuses(a, 400), statuses(b, 400));
  }

  @Test
  void a_script_replayed_after_a_clear_draws_the_same_numbers() {
    Rules rules = new Rules();
    rules.seed(3);
    rules.add("m").fail(502).chance(0.2);
    rules.add("m").fail(504).chance(0.2);
    List<Integer> first = statuses(rules, 300);
    rules.clear();
    rules.add("m").fail(502).chance(0.2);
    rules.add("m").fail(504).chance(0.2);
    assertEquals(first, statuses(rules, 300));
  }

  @Test
  void a_chance_outside_zero_to_one_is_refused() {
    Rule rule = new Rule("m");
    for (double p : new double[] {0, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule.chance(p));
      assertTrue(e.getMessage().contains("chance"), e.getMessage());
    }
    rule.chance(1);
  }

  @Test
  void chance_and_seed_work_over_http_and_a_seeded_reset_replays_them() {
    try (Simulator sim = Simulator.start(0)) {
      String rules = sim.baseUrl() + "/_sim/rules";
      String chat = sim.baseUrl() + "/v1/chat/completions";
      String spec = "{\"model\":\"gpt-4o\",\"action\":\"fail\",\"status\":503,\"chance\":0.4}";
      assertEquals(200, Http.post(sim.baseUrl() + "/_sim/reset", "{\"seed\":11}").statusCode());
      assertEquals(201, Http.post(rules, spec).statusCode());
      List<Integer> first = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        first.add(Http.post(chat, CHAT, Http.openAi()).statusCode());
      }
      assertTrue(first.contains(503) && first.contains(200), first.toString());
      JsonNode listed = Http.json(Http.get(rules)).get(0);
      assertEquals(0.4, listed.get("chance").asDouble());
      assertEquals(first.stream().filter(s -> s == 503).count(), listed.get("applied").asLong());

      Http.post(sim.baseUrl() + "/_sim/reset", "{\"seed\":11}");
      Http.post(rules, spec);
      List<Integer> again = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        again.add(Http.post(chat, CHAT, Http.openAi()).statusCode());
      }
      assertEquals(first, again);

      Http.post(sim.baseUrl() + "/_sim/reset", "");
      Http.post(rules, spec.replace("}", ",\"seed\":5}"));
      assertEquals(5, Http.json(Http.get(rules)).get(0).get("seed").asLong());
      assertEquals(400, Http.post(rules, spec.replace("0.4", "0")).statusCode());
      assertEquals(400, Http.post(rules, spec.replace("0.4", "\"often\"")).statusCode());
      assertEquals(400, Http.post(sim.baseUrl() + "/_sim/reset", "{\"seed\":\"x\"}").statusCode());
      assertEquals(1, Http.json(Http.get(rules)).size(), "a refused spec leaves no rule behind");
    }
  }
}

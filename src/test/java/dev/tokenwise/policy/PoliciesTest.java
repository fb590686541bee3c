package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  private final Policies policies = Policies.of(List.of(
      Map.of("match", Map.of("tag", "classify-ticket"), "route", Map.of("model", "gpt-4o-mini")),
      Map.of("match", Map.of("model", "gpt-4o", "provider", "openai"), "route", Map.of("model", "claude-haiku-4-5")),
      Map.of("match", Map.of("pattern", "fp-0123456789ab"), "max_tokens", Map.of("cap", 256))));

  @Test
  void the_first_policy_that_matches_applies() {
    Policy p = policies.match("classify-ticket", "classify-ticket", "gpt-4o", "openai").orElseThrow();
    assertEquals("policies[0]", p.name());
    assertEquals("gpt-4o-mini", p.routeModel());
  }

  @Test
  void every_match_key_given_must_match() {
    assertEquals("policies[1]", policies.match(null, "fp-x", "gpt-4o", "openai").orElseThrow().name());
    assertTrue(policies.match(null, "fp-x", "gpt-4o", "azure").isEmpty());
    assertEquals("policies[2]", policies.match(null, "fp-0123456789ab", "gpt-4.1", "openai").orElseThrow().name());
    assertTrue(policies.match("other", "fp-x", "gpt-4.1", "openai").isEmpty());
  }

  @Test
  void a_policy_without_match_keys_matches_every_call() {
    Policies all = Policies.of(List.of(Map.of("route", Map.of("model", "gpt-4o-mini"))));
    assertEquals("gpt-4o-mini", all.match(null, "fp-a", "o3", "openai").orElseThrow().routeModel());
  }
}

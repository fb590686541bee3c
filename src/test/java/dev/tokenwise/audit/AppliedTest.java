package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedTest {
  private static final PatternFacts FAQ = new PatternFacts("faq-bot", "gpt-4o", "openai");

  private static final List<Map<String, Object>> POLICIES = List.of(
      Map.of("match", Map.of("tag", "faq-bot"),
          "cache", Map.of("exact", true, "ttl", "60m", "semantic", Map.of("threshold", 0.9)),
          "max_tokens", Map.of("cap", 512),
          "fallback", List.of("groq/llama-3.3-70b-versatile", "deepseek/deepseek-chat"),
          "early_exit", "json"),
      Map.of("match", Map.of("model", "gpt-4o"), "prompt_cache", "auto"));

  @Test
  void a_map_is_applied_when_each_of_its_entries_is_there() {
    assertTrue(Applied.applied(POLICIES, FAQ, "cache", Map.of("exact", true)));
    assertTrue(Applied.applied(POLICIES, FAQ, "cache", Map.of("exact", true, "ttl", "1h")), "60m is 1h");
    assertFalse(Applied.applied(POLICIES, FAQ, "cache", Map.of("exact", true, "ttl", "2h")));
    assertFalse(Applied.applied(POLICIES, FAQ, "cache", Map.of("any_temperature", true)));
  }

  @Test
  void semantic_true_is_applied_by_a_semantic_threshold() {
    assertTrue(Applied.applied(POLICIES, FAQ, "cache", Map.of("semantic", true)));
    assertFalse(Applied.applied(POLICIES, FAQ, "cache", Map.of("semantic", Map.of("threshold", 0.95))));
    assertTrue(Applied.applied(POLICIES, FAQ, "cache",
        Map.of("semantic", Map.of("threshold", new BigDecimal("0.90")))));
  }

  @Test
  void scalars_compare_by_their_yaml_text() {
    assertTrue(Applied.applied(POLICIES, FAQ, "max_tokens", Map.of("cap", 512L)));
    assertTrue(Applied.applied(POLICIES, FAQ, "max_tokens", Map.of("cap", "512")));
    assertFalse(Applied.applied(POLICIES, FAQ, "max_tokens", Map.of("cap", "auto")));
    assertTrue(Applied.applied(POLICIES, FAQ, "early_exit", "json"));
    assertFalse(Applied.applied(POLICIES, FAQ, "early_exit", Map.of("mode", "json")), "a scalar is no map");
    assertFalse(Applied.applied(POLICIES, FAQ, "max_tokens", 512), "a map is no scalar");
  }

  @Test
  void a_list_is_applied_only_whole_and_in_order() {
    assertTrue(Applied.applied(POLICIES, FAQ, "fallback",
        List.of("groq/llama-3.3-70b-versatile", "deepseek/deepseek-chat")));
    assertFalse(Applied.applied(POLICIES, FAQ, "fallback",
        List.of("deepseek/deepseek-chat", "groq/llama-3.3-70b-versatile")));
    assertFalse(Applied.applied(POLICIES, FAQ, "fallback", List.of("groq/llama-3.3-70b-versatile")));
  }

  @Test
  void only_the_first_policy_matching_the_calls_counts() {
    assertFalse(Applied.applied(POLICIES, FAQ, "prompt_cache", "auto"), "policies[0] matches first");
    PatternFacts other = new PatternFacts("classify-ticket", "gpt-4o", "openai");
    assertTrue(Applied.applied(POLICIES, other, "prompt_cache", "auto"));
    assertFalse(Applied.applied(POLICIES, new PatternFacts("classify-ticket", "gpt-4o-mini", "openai"),
        "prompt_cache", "auto"), "no policy matches these calls");
    assertFalse(Applied.applied(POLICIES, PatternFacts.of("classify-ticket"), "prompt_cache", "auto"),
        "an unknown model fits no model match");
  }

  @Test
  void every_match_key_given_must_fit() {
    List<Map<String, Object>> policies = List.of(
        Map.of("match", Map.of("pattern", "faq-bot", "provider", "anthropic"), "early_exit", "json"),
        Map.of("match", Map.of("pattern", "faq-bot", "provider", "openai"), "prompt_cache", "auto"),
        Map.of("early_exit", "json"));

    assertFalse(Applied.applied(policies, FAQ, "early_exit", "json"));
    assertTrue(Applied.applied(policies, FAQ, "prompt_cache", "auto"));
    assertTrue(Applied.applied(policies, PatternFacts.of("x"), "early_exit", "json"), "no match: every call");
  }

  @Test
  void a_recommendation_is_applied_as_its_key_and_value() {
    Recommendation rec = new Recommendation("cap/faq-bot", "faq-bot", "max_tokens", Map.of("cap", 512), false, null);

    assertTrue(Applied.applied(POLICIES, FAQ, rec));
    assertFalse(Applied.applied(List.of(), FAQ, rec));
  }
}

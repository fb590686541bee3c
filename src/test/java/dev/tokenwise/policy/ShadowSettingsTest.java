package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowSettingsTest {
  @Test
  void reads_the_checked_keys_with_the_default_sample_and_an_exact_budget() {
    ShadowSettings s = ShadowSettings.of(Map.of("model", "gpt-4o-mini", "budget_usd_per_day", 2.5));
    assertEquals("gpt-4o-mini", s.model());
    assertEquals(0, new BigDecimal("0.05").compareTo(s.sample()));
    assertEquals(2_500_000_000_000L, s.budgetPicoUsdPerDay());
    assertNull(s.scorer(), "chosen from the answers");

    ShadowSettings all = ShadowSettings.of(Map.of("model", "groq/llama-3.3-70b-versatile", "sample", "100%",
        "budget_usd_per_day", "0.000001", "scorer", "judge:gpt-4o"));
    assertEquals(0, BigDecimal.ONE.compareTo(all.sample()));
    assertEquals(1_000_000L, all.budgetPicoUsdPerDay());
    assertEquals("judge:gpt-4o", all.scorer());
    assertEquals(0, new BigDecimal("0.2").compareTo(ShadowSettings.of(Map.of("model", "m", "sample", 0.2,
        "budget_usd_per_day", 1)).sample()));
  }

  @Test
  void a_policy_without_a_usable_shadow_has_none() {
    assertNull(ShadowSettings.of(null));
    assertNull(ShadowSettings.of("gpt-4o-mini"));
    assertNull(ShadowSettings.of(Map.of("model", "gpt-4o-mini")), "no budget, no shadow");
    assertNull(ShadowSettings.of(Map.of("budget_usd_per_day", 1)));
    assertNull(ShadowSettings.of(Map.of("model", "m", "budget_usd_per_day", 0)));
    assertNull(ShadowSettings.of(Map.of("model", "m", "budget_usd_per_day", 1, "sample", "0%")));
  }

  @Test
  void policies_say_whether_any_of_them_shadows() {
    Policies none = Policies.of(List.of(Map.of("route", Map.of("model", "gpt-4o-mini"))));
    assertFalse(none.usesShadow());
    assertNull(none.match(null, null, "gpt-4o", "openai").orElseThrow().shadow());
    Policies one = Policies.of(List.of(Map.of("match", Map.of("tag", "t")),
        Map.of("shadow", Map.of("model", "gpt-4o-mini", "budget_usd_per_day", 1))));
    assertTrue(one.usesShadow());
    assertEquals("policies[1]", one.shadowing().get(0).name());
    assertEquals("gpt-4o-mini", one.match("other", "other", "gpt-4o", "openai").orElseThrow().shadow().model());
  }

  @Test
  void the_shadow_of_a_pattern_and_candidate_is_the_first_policy_that_names_both() {
    Policies p = Policies.of(List.of(
        Map.of("match", Map.of("tag", "classify"), "shadow", Map.of("model", "gpt-4o-mini", "budget_usd_per_day", 1)),
        Map.of("match", Map.of("pattern", "fp-1"), "shadow", Map.of("model", "gpt-4o-mini", "budget_usd_per_day", 2)),
        Map.of("shadow", Map.of("model", "claude-haiku-4-5", "budget_usd_per_day", 3))));
    assertEquals(1_000_000_000_000L, p.shadowOf("classify", "gpt-4o-mini").budgetPicoUsdPerDay());
    assertEquals(2_000_000_000_000L, p.shadowOf("fp-1", "gpt-4o-mini").budgetPicoUsdPerDay());
    assertNull(p.shadowOf("other", "gpt-4o-mini"));
    assertEquals(3_000_000_000_000L, p.shadowOf("anything", "claude-haiku-4-5").budgetPicoUsdPerDay(),
        "a policy without tag or pattern shadows every pattern");
    assertNull(p.shadowOf("classify", "gpt-4o"));
  }
}

package dev.tokenwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code shadow} key of a policy: what loads, and every mistake named with its key and line. */
class ShadowConfigTest {
  private final List<String> warnings = new ArrayList<>();

  private Config parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", Map.of(), warnings::add);
  }

  private List<String> problems(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
  }

  @Test
  void a_shadow_with_every_key_loads_as_written() {
    Config c = parse("""
        models: { my-finetune: openai }
        policies:
          - match: { tag: classify }
            shadow: { model: gpt-4o-mini, sample: 5%, budget_usd_per_day: 2.50, scorer: json }
          - shadow: { model: groq/llama-3.3-70b-versatile, sample: 0.2, budget_usd_per_day: 1 }
          - shadow: { model: my-finetune, budget_usd_per_day: 0.01, scorer: "judge:claude-haiku-4-5" }
          - shadow: { model: claude-haiku-4-5, sample: 100%, budget_usd_per_day: 3, scorer: judge }
        """);
    Map<?, ?> first = (Map<?, ?>) c.policies().get(0).get("shadow");
    assertEquals("gpt-4o-mini", first.get("model"));
    assertEquals("5%", first.get("sample"));
    assertEquals(2.5, first.get("budget_usd_per_day"));
    assertEquals("json", first.get("scorer"));
    assertEquals(List.of(), warnings);
  }

  @Test
  void a_shadow_without_a_daily_budget_is_refused_with_a_message_that_says_to_set_one() {
    List<String> p = problems("""
        policies:
          - match: { tag: classify }
            shadow: { model: gpt-4o-mini, sample: 5% }
        """);
    assertEquals(List.of("line 3: policies[0].shadow.budget_usd_per_day is missing: a shadow test pays for every call"
        + " it copies, so set a daily cap in USD (e.g. budget_usd_per_day: 2); shadow calls stop for the rest of"
        + " the UTC day once it is spent"), p);
  }

  @Test
  void the_candidate_model_is_required_and_must_be_served_by_a_configured_provider() {
    List<String> p = problems("""
        policies:
          - shadow: { sample: 5%, budget_usd_per_day: 1 }
          - shadow: { model: grok/llama-3.3-70b-versatile, budget_usd_per_day: 1 }
          - shadow: { model: llama3.2, budget_usd_per_day: 1 }
          - shadow: { model: "", budget_usd_per_day: 1 }
        """);
    assertEquals(List.of(
        "line 2: policies[0].shadow.model is missing: name the candidate model the sampled calls are copied to",
        "line 3: policies[1].shadow.model names provider 'grok', which is not configured (did you mean 'groq'?)",
        "line 4: policies[2].shadow.model names 'llama3.2', which no provider serves; write PROVIDER/MODEL (e.g."
            + " groq/llama-3.3-70b-versatile) or map the model under 'models:'",
        "line 5: policies[3].shadow.model must be a model name, got an empty value"), p);
  }

  @Test
  void the_sample_is_a_percentage_or_a_fraction_above_0_and_at_most_all_calls() {
    List<String> p = problems("""
        policies:
          - shadow: { model: gpt-4o-mini, sample: 0%, budget_usd_per_day: 1 }
          - shadow: { model: gpt-4o-mini, sample: 150%, budget_usd_per_day: 1 }
          - shadow: { model: gpt-4o-mini, sample: 1.5, budget_usd_per_day: 1 }
          - shadow: { model: gpt-4o-mini, sample: some, budget_usd_per_day: 1 }
          - shadow: { model: gpt-4o-mini, sample: -0.1, budget_usd_per_day: 1 }
        """);
    assertEquals(5, p.size(), p.toString());
    for (int i = 0; i < 5; i++) {
      assertEquals(true, p.get(i).startsWith("line " + (i + 2) + ": policies[" + i + "].shadow.sample must be a share"
          + " of calls above 0 and at most all of them, as a percentage (5%) or a fraction (0.05), got "), p.get(i));
    }
  }

  @Test
  void the_budget_is_a_positive_number_of_dollars() {
    List<String> p = problems("""
        policies:
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: 0 }
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: -2 }
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: lots }
        """);
    assertEquals(List.of(
        "line 2: policies[0].shadow.budget_usd_per_day must be more than 0 USD, got 0",
        "line 3: policies[1].shadow.budget_usd_per_day must not be negative, got -2",
        "line 4: policies[2].shadow.budget_usd_per_day must be a decimal number, got 'lots'"), p);
  }

  @Test
  void the_scorer_is_one_of_the_known_ones_and_a_judge_names_a_served_model() {
    List<String> p = problems("""
        policies:
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: 1, scorer: similarty }
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: 1, scorer: "judge:" }
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: 1, scorer: "judge:nowhere-model" }
        """);
    assertEquals(List.of(
        "line 2: policies[0].shadow.scorer must be one of exact, json, similarity, judge or judge:MODEL, got"
            + " 'similarty' (did you mean 'similarity'?)",
        "line 3: policies[1].shadow.scorer names no model after 'judge:'; write judge:MODEL or judge",
        "line 4: policies[2].shadow.scorer names 'nowhere-model', which no provider serves; write PROVIDER/MODEL"
            + " (e.g. groq/llama-3.3-70b-versatile) or map the model under 'models:'"), p);
  }

  @Test
  void a_shadow_is_a_mapping_with_known_keys() {
    List<String> p = problems("""
        policies:
          - shadow: gpt-4o-mini
          - shadow: { model: gpt-4o-mini, budget_usd_per_day: 1, scorr: json }
        """);
    assertEquals(List.of(
        "line 2: policies[0].shadow must be a mapping like { model: gpt-4o-mini, sample: 5%, budget_usd_per_day: 2 },"
            + " got a single value",
        "line 3: unknown key 'scorr' in policies[1].shadow (did you mean 'scorer'?)"), p);
  }

  @Test
  void a_share_reads_percentages_and_fractions_exactly() {
    assertEquals(0, new BigDecimal("0.05").compareTo(Units.share("5%")));
    assertEquals(0, new BigDecimal("0.005").compareTo(Units.share("0.5 %")));
    assertEquals(0, new BigDecimal("0.05").compareTo(Units.share("0.05")));
    assertEquals(0, BigDecimal.ONE.compareTo(Units.share("100%")));
    assertEquals(0, BigDecimal.ONE.compareTo(Units.share("1")));
    assertNull(Units.share("five"));
    assertNull(Units.share("5%%"));
    assertNull(Units.share("-5%"));
  }
}

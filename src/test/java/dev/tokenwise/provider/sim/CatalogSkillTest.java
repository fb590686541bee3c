package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The skills of the catalog's models: as documented, shared by snapshots, ordered by price in a family. */
class CatalogSkillTest {
  private final Catalog catalog = new Catalog();

  private int skill(String id) {
    Catalog.Model m = catalog.find(Dialect.OPENAI, id);
    if (m == null) {
      m = catalog.find(Dialect.ANTHROPIC, id);
    }
    assertNotNull(m, id);
    return m.skill();
  }

  @Test
  void each_model_has_the_documented_skill() {
    Map<Integer, List<String>> bySkill = Map.of(
        5, List.of("gpt-4o", "gpt-4.1", "gpt-5", "gpt-5.4", "gpt-5.5", "o3", "claude-opus-4-5", "claude-opus-5-5",
            "claude-sonnet-4-6", "claude-sonnet-5", "claude-fable-5-1", "gemini-2.5-pro", "deepseek-reasoner",
            "deepseek-v4-pro", "mistral-large-latest"),
        4, List.of("gpt-4.1-mini", "gpt-5-mini", "o4-mini", "claude-haiku-4-5", "claude-haiku-5-5", "deepseek-chat",
            "llama-3.3-70b-versatile", "gemini-2.5-flash"),
        3, List.of("gpt-4o-mini", "claude-3-5-haiku-20241022", "llama-3.1-70b-versatile", "mistral-small-latest",
            "deepseek-flash"),
        2, List.of("gpt-4.1-nano", "gpt-5-nano", "gemini-2.5-flash-lite"),
        1, List.of("llama-3.1-8b-instant"));
    bySkill.forEach((skill, ids) -> ids.forEach(id -> assertEquals(skill, skill(id), id)));
  }

  @Test
  void every_claude_opus_sonnet_and_fable_is_frontier_and_snapshots_share_their_alias_skill() {
    for (Catalog.Model m : catalog.list(Dialect.ANTHROPIC)) {
      if (m.id().matches("claude-(opus|sonnet|fable)-.*")) {
        assertEquals(5, m.skill(), m.id());
      }
    }
    assertEquals(skill("gpt-4o-mini"), skill("gpt-4o-mini-2024-07-18"));
    assertEquals(skill("gpt-4.1-mini"), skill("gpt-4.1-mini-2025-04-14"));
    assertEquals(skill("claude-haiku-4-5"), skill("claude-haiku-4-5-20251001"));
  }

  @Test
  void within_a_family_a_dearer_model_has_at_least_the_skill_of_a_cheaper_one() throws IOException {
    Map<String, Double> price = new HashMap<>();
    try (InputStream in = getClass().getResourceAsStream("/prices.json")) {
      assertNotNull(in);
      for (JsonNode m : Json.MAPPER.readTree(in).path("models")) {
        price.put(m.path("model").asText(), m.path("input").asDouble() + m.path("output").asDouble());
      }
    }
    List<List<String>> families = List.of(
        List.of("gpt-4o", "gpt-4o-mini"),
        List.of("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"),
        List.of("gpt-5", "gpt-5.4", "gpt-5.5", "gpt-5-mini", "gpt-5-nano"),
        List.of("o3", "o4-mini"),
        List.of("claude-opus-4-8", "claude-opus-4-5", "claude-opus-4-1", "claude-sonnet-4-6", "claude-sonnet-4-0",
            "claude-haiku-4-5"),
        List.of("claude-fable-5-1", "claude-opus-5", "claude-opus-5-5", "claude-sonnet-5", "claude-haiku-5-5"),
        List.of("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"),
        List.of("llama-3.1-70b-versatile", "llama-3.1-8b-instant"),
        List.of("deepseek-chat", "deepseek-reasoner"),
        List.of("deepseek-v4-pro", "deepseek-flash"),
        List.of("mistral-large-latest", "mistral-small-latest"));
    for (List<String> family : families) {
      for (String a : family) {
        for (String b : family) {
          assertNotNull(price.get(a), a);
          if (price.get(a) > price.get(b)) {
            assertTrue(skill(a) >= skill(b), a + " costs more than " + b + " but has less skill");
          }
        }
      }
    }
  }

  @Test
  void an_added_model_has_full_skill_unless_given_one() {
    catalog.add("house-model");
    catalog.add("house-mini", 2);
    assertEquals(5, skill("house-model"));
    assertEquals(2, catalog.find(Dialect.ANTHROPIC, "house-mini").skill());
    assertEquals(2, catalog.find(Dialect.OPENAI, "house-mini").skill());
    catalog.add("gpt-4o", 1);
    assertEquals(1, skill("gpt-4o"));
    assertEquals(5, skill("gpt-4o-2024-08-06"), "only that id");
    assertNull(catalog.find(Dialect.ANTHROPIC, "gpt-4o"), "a known model keeps its dialects");
    assertThrows(IllegalArgumentException.class, () -> catalog.add("house-odd", 0));
    assertNull(catalog.find(Dialect.OPENAI, "house-odd"));
  }
}

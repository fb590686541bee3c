package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.store.RequestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepModelsTest {
  private static RequestRecord row(String provider, String used) {
    return new RequestRecord("r", Instant.EPOCH, "t", "p", "openai-chat", "/v1/chat/completions", provider, used, used,
        1, 0, 0, 0, 1, 0, false, 1L, 1L, 1, 1, 200, false, "stop", 1, "miss", null, null, null, null);
  }

  @Test
  void the_model_in_use_is_the_one_most_calls_ran_on_by_the_name_the_catalog_prices() {
    PriceTable prices = PriceTable.bundled();
    assertEquals("gpt-4o", SweepModels.inUse(List.of(row("openai", "gpt-4o-2024-08-06"),
        row("openai", "gpt-4o-2024-08-06"), row("openai", "gpt-4o-mini")), prices));
    assertEquals("claude-haiku-4-5", SweepModels.inUse(List.of(row("anthropic", "claude-haiku-4-5-20251001")), prices));
    assertEquals("claude-3-5-haiku-20241022",
        SweepModels.inUse(List.of(row("anthropic", "claude-3-5-haiku-20241022")), prices), "priced with its date");
    assertEquals("groq/llama-3.3-70b-versatile",
        SweepModels.inUse(List.of(row("groq", "llama-3.3-70b-versatile")), prices));
    assertNull(SweepModels.inUse(List.of(), prices));
  }

  @Test
  void a_provider_is_a_candidate_only_with_a_key_to_call_it() {
    var config = ConfigLoader.defaults(Map.of());
    assertEquals(Set.of(), SweepModels.reachable(config, Map.of()));
    assertEquals(Set.of("openai"), SweepModels.reachable(config, Map.of("OPENAI_API_KEY", "sk-x")));
    assertEquals(Map.of("authorization", "Bearer sk-x"),
        SweepModels.keyFor(config, Map.of("OPENAI_API_KEY", "sk-x"), "gpt-4o-mini"));
    assertEquals(Map.of("x-api-key", "sk-a"),
        SweepModels.keyFor(config, Map.of("ANTHROPIC_API_KEY", "sk-a"), "claude-haiku-4-5"));
    assertEquals("groq", SweepModels.providerOf("groq/llama-3.3-70b-versatile"));
    assertEquals("anthropic", SweepModels.providerOf("claude-haiku-4-5"));
  }
}

package dev.tokenwise.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  private final ModelCatalog catalog = new ModelCatalog(ConfigLoader.defaults(Map.of()).providers(),
      Map.of("my-finetune", "openai", "llama3.2", "ollama"));

  @Test
  void model_families_go_to_their_provider() {
    assertEquals("anthropic", catalog.resolve("claude-sonnet-4-6").providerName());
    assertEquals("openai", catalog.resolve("gpt-4o-mini").providerName());
    assertEquals("openai", catalog.resolve("o3").providerName());
    assertEquals("openai", catalog.resolve("text-embedding-3-small").providerName());
    assertEquals("deepseek", catalog.resolve("deepseek-flash").providerName());
    assertEquals("gemini", catalog.resolve("gemini-2.5-flash").providerName());
  }

  @Test
  void an_explicit_provider_prefix_wins_and_is_removed_from_the_model() {
    Route r = catalog.resolve("groq/llama-3.3-70b-versatile");
    assertEquals("groq", r.providerName());
    assertEquals("llama-3.3-70b-versatile", r.model());
    Route nested = catalog.resolve("openrouter/anthropic/claude-sonnet-4.6");
    assertEquals("openrouter", nested.providerName());
    assertEquals("anthropic/claude-sonnet-4.6", nested.model());
  }

  @Test
  void the_config_adds_models() {
    assertEquals("ollama", catalog.resolve("llama3.2").providerName());
    assertEquals("openai", catalog.resolve("my-finetune").providerName());
  }

  @Test
  void unknown_providers_and_models_are_named_in_the_error() {
    GatewayException e = assertThrows(GatewayException.class, () -> catalog.resolve("acme/big"));
    assertEquals(ErrorKind.UNKNOWN_MODEL, e.kind());
    assertTrue(e.getMessage().contains("unknown provider 'acme'"), e.getMessage());
    e = assertThrows(GatewayException.class, () -> catalog.resolve("mystery-7b"));
    assertTrue(e.getMessage().contains("mystery-7b") && e.getMessage().contains("provider/model"));
    assertEquals("model", e.param());
  }

  @Test
  void a_claude_model_gets_its_output_ceiling_when_the_client_sets_no_max_tokens() {
    assertEquals(64_000, ModelCatalog.defaultMaxTokens("claude-haiku-4-5"));
    assertEquals(128_000, ModelCatalog.defaultMaxTokens("claude-sonnet-4-6"));
    assertEquals(32_000, ModelCatalog.defaultMaxTokens("claude-opus-4-1-20250805"));
    assertEquals(8_192, ModelCatalog.defaultMaxTokens("claude-3-5-haiku-20241022"));
  }

  @Test
  void reasoning_models_are_told_apart() {
    assertTrue(ModelCatalog.isReasoningModel("o3"));
    assertTrue(ModelCatalog.isReasoningModel("gpt-5-mini"));
    assertTrue(!ModelCatalog.isReasoningModel("gpt-4o-mini"));
  }
}

package dev.tokenwise.api.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiUsageTest {
  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missing_detail_objects_count_as_zero() {
    Usage usage = OpenAiUsage.parse(json("{\"prompt_tokens\":82,\"completion_tokens\":40,\"total_tokens\":122}"));
    assertEquals(new Usage(82, 0, 0, 0, 40, 0, false), usage);
  }

  @Test
  void null_detail_objects_count_as_zero() {
    Usage usage = OpenAiUsage.parse(json(
        "{\"prompt_tokens\":5,\"completion_tokens\":2,\"prompt_tokens_details\":null,\"completion_tokens_details\":null}"));
    assertEquals(new Usage(5, 0, 0, 0, 2, 0, false), usage);
  }

  @Test
  void cache_writes_are_taken_out_of_the_prompt_into_the_five_minute_bucket() {
    Usage usage = OpenAiUsage.parse(json("{\"prompt_tokens\":4514,\"completion_tokens\":71,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":4102}}"));
    assertEquals(new Usage(412, 0, 4102, 0, 71, 0, false), usage);
    assertEquals(4514, usage.totalInputTokens());
  }

  @Test
  void cache_writes_larger_than_the_uncached_prompt_are_billed_on_top_of_it() {
    Usage usage = OpenAiUsage.parse(json("{\"prompt_tokens\":100,\"completion_tokens\":1,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":300}}"));
    assertEquals(new Usage(100, 0, 300, 0, 1, 0, false), usage);
  }

  @Test
  void gemini_output_without_completion_tokens_is_total_minus_prompt() {
    Usage usage = OpenAiUsage.parse(json("{\"prompt_tokens\":120,\"total_tokens\":900}"));
    assertEquals(780, usage.outputTokens());
  }

  @Test
  void deepseek_miss_is_the_uncached_input_even_without_prompt_tokens() {
    Usage usage = OpenAiUsage.parse(json(
        "{\"prompt_cache_hit_tokens\":64,\"prompt_cache_miss_tokens\":36,\"completion_tokens\":9}"));
    assertEquals(new Usage(36, 64, 0, 0, 9, 0, false), usage);
  }

  @Test
  void embeddings_usage_is_input_only() {
    assertEquals(new Usage(6, 0, 0, 0, 0, 0, false),
        OpenAiUsage.parseEmbeddings(json("{\"prompt_tokens\":6,\"total_tokens\":6}")));
    assertEquals(new Usage(8, 0, 0, 0, 0, 0, false),
        OpenAiUsage.parseEmbeddings(json("{\"total_tokens\":8}")));
  }

  @Test
  void an_absent_usage_object_is_refused_rather_than_read_as_zero() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenAiUsage.parse(null));
    assertTrue(e.getMessage().contains("estimate"));
  }
}

package dev.tokenwise.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;

/**
 * Reads an OpenAI-dialect {@code usage} object (OpenAI and the compatible vendors) into {@link Usage}.
 *
 * <p>{@code prompt_tokens} already contains the cached tokens and {@code completion_tokens} already
 * contains the reasoning tokens, so both are split, never added to. Missing detail objects count as
 * zero.
 */
public final class OpenAiUsage {
  private OpenAiUsage() {}

  /**
   * The canonical usage of a chat completion.
   *
   * @throws IllegalArgumentException when {@code usage} is not an object; a response without usage
   *     reported no cost, and the caller should estimate instead
   */
  public static Usage parse(JsonNode usage) {
    requireObject(usage);
    long prompt = Json.longAt(usage, "prompt_tokens");
    long cached;
    long uncached;
    long written = Json.longAt(usage, "prompt_tokens_details", "cache_write_tokens");
    if (has(usage, "prompt_cache_hit_tokens") || has(usage, "prompt_cache_miss_tokens")) {
      // DeepSeek: hit + miss = prompt_tokens; the hit figure is authoritative for the cached bucket.
      cached = Json.longAt(usage, "prompt_cache_hit_tokens");
      uncached = has(usage, "prompt_cache_miss_tokens")
          ? Json.longAt(usage, "prompt_cache_miss_tokens")
          : Math.max(0, prompt - cached);
      written = 0;
    } else {
      cached = Json.longAt(usage, "prompt_tokens_details", "cached_tokens");
      uncached = prompt - cached - written;
      if (uncached < 0) {
        // Whether cache_write_tokens is part of prompt_tokens is not documented; when subtracting it
        // goes below zero it evidently is not, and the writes are billed on top of the prompt.
        uncached = Math.max(0, prompt - cached);
      }
    }
    long output;
    if (has(usage, "completion_tokens")) {
      output = Json.longAt(usage, "completion_tokens");
    } else {
      // Gemini's compatibility layer may leave completion_tokens out; thinking is in the total.
      output = Math.max(0, Json.longAt(usage, "total_tokens") - prompt);
    }
    long reasoning = Json.longAt(usage, "completion_tokens_details", "reasoning_tokens");
    return new Usage(uncached, cached, written, 0, output, reasoning, false);
  }

  /**
   * The canonical usage of an embeddings call: input only.
   *
   * @throws IllegalArgumentException when {@code usage} is not an object
   */
  public static Usage parseEmbeddings(JsonNode usage) {
    requireObject(usage);
    long input = has(usage, "prompt_tokens")
        ? Json.longAt(usage, "prompt_tokens")
        : Json.longAt(usage, "total_tokens");
    return new Usage(input, 0, 0, 0, 0, 0, false);
  }

  private static boolean has(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n != null && n.isNumber();
  }

  private static void requireObject(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      throw new IllegalArgumentException(
          "the response carries no usage object, so its cost was not reported; estimate it instead");
    }
  }
}

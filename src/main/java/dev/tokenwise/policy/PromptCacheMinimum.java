package dev.tokenwise.policy;

import java.util.Map;

/**
 * The smallest prompt prefix a provider's cache keeps, in tokens: below it a call succeeds and nothing
 * is cached. Read by {@code prompt_cache: auto} before it places a breakpoint, and by the audit before it
 * counts a saving.
 */
public final class PromptCacheMinimum {
  /** A model this table does not know, and OpenAI's automatic caching: 1,024 tokens. */
  public static final int DEFAULT = 1024;

  /**
   * Anthropic's minimum by model id prefix (reference/anthropic.md §6.2); the longest matching prefix
   * wins. Not monotonic across generations, hence a table.
   */
  private static final Map<String, Integer> ANTHROPIC = Map.ofEntries(
      Map.entry("claude-opus-5", 512), Map.entry("claude-opus-5-5", 512),
      Map.entry("claude-fable-5", 512), Map.entry("claude-fable-5-1", 512),
      Map.entry("claude-mythos-5", 512), Map.entry("claude-mythos-5-1", 512),
      Map.entry("claude-opus-4-8", 1024), Map.entry("claude-sonnet-5", 1024),
      Map.entry("claude-sonnet-4-6", 1024), Map.entry("claude-sonnet-4-5", 1024),
      Map.entry("claude-opus-4-1", 1024), Map.entry("claude-opus-4", 1024), Map.entry("claude-sonnet-4", 1024),
      Map.entry("claude-opus-4-7", 2048), Map.entry("claude-mythos-preview", 2048),
      Map.entry("claude-3-5-haiku", 2048), Map.entry("claude-3-haiku", 2048),
      Map.entry("claude-opus-4-6", 4096), Map.entry("claude-opus-4-5", 4096), Map.entry("claude-haiku-4-5", 4096));

  private PromptCacheMinimum() {}

  /** The minimum cacheable prefix of a model, in tokens; {@link #DEFAULT} for a model not in the table. */
  public static int of(String model) {
    if (model == null) {
      return DEFAULT;
    }
    int at = model.indexOf("claude-");
    String id = at > 0 ? model.substring(at) : model; // e.g. a vendor-prefixed id
    String best = null;
    for (String prefix : ANTHROPIC.keySet()) {
      boolean matches = id.startsWith(prefix) && (id.length() == prefix.length() || id.charAt(prefix.length()) == '-');
      if (matches && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? DEFAULT : ANTHROPIC.get(best);
  }
}

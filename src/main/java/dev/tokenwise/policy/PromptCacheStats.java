package dev.tokenwise.policy;

/**
 * What the prompt-cache tactic saw of one call pattern, for the share-of-cached-input report.
 *
 * @param calls calls of the pattern that had the tactic
 * @param unstablePrefixes calls whose system prompt changed only in masked values (dates, ids), so the
 *     provider's cache could not match it
 * @param inputTokens all input tokens of those calls, cached, written and uncached alike
 * @param cachedTokens input tokens read from the provider's cache (OpenAI's automatic caching,
 *     Anthropic's cache reads)
 */
public record PromptCacheStats(long calls, long unstablePrefixes, long inputTokens, long cachedTokens) {

  /** The part of the input read from the cache, 0 to 1; 0 before any tokens were reported. */
  public double cachedShare() {
    return inputTokens == 0 ? 0 : (double) cachedTokens / inputTokens;
  }
}

package dev.tokenwise.core;

/**
 * Tokens of one call in the gateway's canonical shape, whatever dialect reported them. The four
 * billed input buckets do not overlap: {@code inputTokens} are the uncached ones. Output includes
 * reasoning; {@code reasoningTokens} is only the part of it that was hidden reasoning.
 *
 * @param inputTokens input billed at the full input price
 * @param cachedInputTokens input read from the provider's prompt cache
 * @param cacheWrite5mTokens input written to the prompt cache with a 5-minute lifetime
 * @param cacheWrite1hTokens input written to the prompt cache with a 1-hour lifetime
 * @param outputTokens generated tokens, reasoning included
 * @param reasoningTokens the reasoning part of {@code outputTokens}
 * @param estimated true when the provider never reported these figures and the gateway estimated them
 */
public record Usage(
    long inputTokens,
    long cachedInputTokens,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long outputTokens,
    long reasoningTokens,
    boolean estimated) {

  /** No tokens at all, as reported (not estimated). */
  public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, false);

  /** All input tokens of the call, whatever price each was billed at. */
  public long totalInputTokens() {
    return inputTokens + cachedInputTokens + cacheWrite5mTokens + cacheWrite1hTokens;
  }

  /** Tokens written to the prompt cache, both lifetimes. */
  public long cacheWriteTokens() {
    return cacheWrite5mTokens + cacheWrite1hTokens;
  }

  /** The same figures marked as the gateway's estimate. */
  public Usage asEstimated() {
    return new Usage(inputTokens, cachedInputTokens, cacheWrite5mTokens, cacheWrite1hTokens,
        outputTokens, reasoningTokens, true);
  }
}

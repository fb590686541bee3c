package dev.tokenwise.store;

/**
 * One logged call as the audit reads it: its figures and its shape, no bodies. Money is in picodollars.
 *
 * @param id the request id, to trace a figure back to its row
 * @param timeMs when it arrived, epoch milliseconds
 * @param tenant the tenant, or null
 * @param pattern the call pattern, or null when the call never got that far
 * @param dialect the client's wire format
 * @param provider the provider that served it, or null
 * @param model the model the provider reports it used, else the one asked for
 * @param modelRequested the model the client asked for
 * @param inputTokens input billed at the full price
 * @param cachedInputTokens input read from the prompt cache
 * @param cacheWriteTokens input written to the prompt cache (both lifetimes)
 * @param outputTokens output, reasoning included
 * @param costPicoUsd what it cost, or null when unknown
 * @param baselinePicoUsd what the call as sent would have cost, or null when unknown
 * @param totalMillis time to the end of the answer
 * @param status the HTTP status the client got
 * @param stream whether the answer was streamed
 * @param finishReason the provider's finish or stop reason, or null
 * @param attempts provider calls made for it
 * @param cacheStatus hit-exact, hit-semantic, miss or bypass
 * @param shape the shape of its bodies, or null for a row logged before shapes were kept
 */
public record CallRow(
    String id,
    long timeMs,
    String tenant,
    String pattern,
    String dialect,
    String provider,
    String model,
    String modelRequested,
    long inputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long outputTokens,
    Long costPicoUsd,
    Long baselinePicoUsd,
    long totalMillis,
    int status,
    boolean stream,
    String finishReason,
    int attempts,
    String cacheStatus,
    CallShape shape) {

  /** Every input token, whatever it was billed at. */
  public long promptTokens() {
    return inputTokens + cachedInputTokens + cacheWriteTokens;
  }

  /** Whether the client got an answer (a status below 400). */
  public boolean ok() {
    return status < 400;
  }

  /** Whether the answer came from the response cache. */
  public boolean cacheHit() {
    return cacheStatus != null && cacheStatus.startsWith("hit");
  }
}

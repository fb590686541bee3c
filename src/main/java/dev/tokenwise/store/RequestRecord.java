package dev.tokenwise.store;

import java.time.Instant;

/**
 * One logged call, as the request log keeps it. Money is in picodollars (1e-12 USD), exact for every
 * catalog price; null cost means the price was unknown, never zero.
 *
 * @param id the gateway's request id (also in {@code x-tokenwise-request-id})
 * @param time when the request arrived
 * @param tenant the salted hash of the client's key, or the gateway key's tenant name
 * @param pattern the call pattern: the tag when one was sent, else the fingerprint
 * @param dialect the client's wire format ({@code openai-chat}, {@code anthropic-messages})
 * @param endpoint the path that was called
 * @param provider the provider that served it, or null when none was reached
 * @param modelRequested the model the client asked for
 * @param modelUsed the model the provider reports it used, or null
 * @param inputTokens input billed at the full price
 * @param cachedInputTokens input read from the prompt cache
 * @param cacheWrite5mTokens input written to the prompt cache for 5 minutes
 * @param cacheWrite1hTokens input written to the prompt cache for 1 hour
 * @param outputTokens output, reasoning included
 * @param reasoningTokens the reasoning part of the output
 * @param usageEstimated true when the tokens are the gateway's estimate
 * @param costPicoUsd what the call cost, or null when unknown
 * @param baselinePicoUsd what the call as sent would have cost, or null when unknown
 * @param ttfbMillis time to the first byte of the answer
 * @param totalMillis time to the end of the answer
 * @param status the HTTP status the client got (499 when it went away)
 * @param stream whether the answer was streamed
 * @param finishReason the provider's finish or stop reason, or null
 * @param attempts provider calls made for it
 * @param cacheStatus hit-exact, hit-semantic, miss or bypass
 * @param error a short, secret-free description of what failed, or null
 * @param requestBody the body as received, or null when bodies are not stored
 * @param responseBody the body as answered (for streams, the reassembled events), or null
 * @param trace what the gateway's stages changed in the request ("; " between them), or null
 * @param attemptLog the upstream attempts, in order (empty for a cache hit, and as read by
 *     {@link LogStore#between}, which leaves them out)
 * @param shape what the audit keeps of the bodies, or null when it was not taken (rows logged before it was)
 */
public record RequestRecord(
    String id,
    Instant time,
    String tenant,
    String pattern,
    String dialect,
    String endpoint,
    String provider,
    String modelRequested,
    String modelUsed,
    long inputTokens,
    long cachedInputTokens,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long outputTokens,
    long reasoningTokens,
    boolean usageEstimated,
    Long costPicoUsd,
    Long baselinePicoUsd,
    long ttfbMillis,
    long totalMillis,
    int status,
    boolean stream,
    String finishReason,
    int attempts,
    String cacheStatus,
    String error,
    String requestBody,
    String responseBody,
    String trace,
    java.util.List<AttemptRecord> attemptLog,
    CallShape shape) {

  public RequestRecord {
    attemptLog = attemptLog == null ? java.util.List.of() : java.util.List.copyOf(attemptLog);
  }

  /** A row without attempt details. */
  public RequestRecord(String id, Instant time, String tenant, String pattern, String dialect, String endpoint,
      String provider, String modelRequested, String modelUsed, long inputTokens, long cachedInputTokens,
      long cacheWrite5mTokens, long cacheWrite1hTokens, long outputTokens, long reasoningTokens,
      boolean usageEstimated, Long costPicoUsd, Long baselinePicoUsd, long ttfbMillis, long totalMillis, int status,
      boolean stream, String finishReason, int attempts, String cacheStatus, String error, String requestBody,
      String responseBody, String trace) {
    this(id, time, tenant, pattern, dialect, endpoint, provider, modelRequested, modelUsed, inputTokens,
        cachedInputTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens, usageEstimated,
        costPicoUsd, baselinePicoUsd, ttfbMillis, totalMillis, status, stream, finishReason, attempts, cacheStatus,
        error, requestBody, responseBody, trace, java.util.List.of(), null);
  }

  /** The same row with these attempt details. */
  public RequestRecord withAttempts(java.util.List<AttemptRecord> details) {
    return new RequestRecord(id, time, tenant, pattern, dialect, endpoint, provider, modelRequested, modelUsed,
        inputTokens, cachedInputTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens,
        usageEstimated, costPicoUsd, baselinePicoUsd, ttfbMillis, totalMillis, status, stream, finishReason, attempts,
        cacheStatus, error, requestBody, responseBody, trace, details, shape);
  }

  /** The same row with this shape. */
  public RequestRecord withShape(CallShape taken) {
    return new RequestRecord(id, time, tenant, pattern, dialect, endpoint, provider, modelRequested, modelUsed,
        inputTokens, cachedInputTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens,
        usageEstimated, costPicoUsd, baselinePicoUsd, ttfbMillis, totalMillis, status, stream, finishReason, attempts,
        cacheStatus, error, requestBody, responseBody, trace, attemptLog, taken);
  }
}

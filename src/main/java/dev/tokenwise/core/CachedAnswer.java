package dev.tokenwise.core;

/**
 * One answer kept by the response cache: the whole response as the client received it (or, for a
 * streamed call, as a whole response built from the stream), in the client's dialect, with what the
 * original call cost so that a hit can count what it saved.
 *
 * @param key hex digest of the canonical request (the exact key); unique
 * @param tenant the tenant the answer belongs to; it never serves another
 * @param pattern the call pattern, for invalidation and per-pattern stats
 * @param dialect the client dialect id ({@link Dialect#id()}) the body is written in
 * @param scope hex digest of the semantic scope (everything but the last user message), or null when
 *     the answer is not in the semantic index
 * @param query the last user message's text, compared by the semantic cache, or null
 * @param embedding the unit-length embedding of {@code query}, or null
 * @param body the whole JSON response in the client's dialect
 * @param model the model that answered
 * @param finishReason the answer's finish or stop reason as the client's dialect names it
 * @param usage the original call's tokens
 * @param costPicoUsd what the original call cost, or -1 when unknown
 * @param baselinePicoUsd what the call as the client sent it would have cost, or -1 when unknown
 * @param createdMillis when the answer was stored (epoch milliseconds)
 * @param expiresMillis when it stops being served (epoch milliseconds)
 */
public record CachedAnswer(
    String key,
    String tenant,
    String pattern,
    String dialect,
    String scope,
    String query,
    float[] embedding,
    byte[] body,
    String model,
    String finishReason,
    Usage usage,
    long costPicoUsd,
    long baselinePicoUsd,
    long createdMillis,
    long expiresMillis) {

  /** Whether the answer may still be served at {@code nowMillis}. */
  public boolean liveAt(long nowMillis) {
    return nowMillis < expiresMillis;
  }

  /** An estimate of the heap the entry holds, for the cache's size bound. */
  public long weight() {
    long w = 160L + body.length + 2L * (key.length() + tenant.length() + pattern.length());
    if (query != null) {
      w += 2L * query.length() + 64;
    }
    if (embedding != null) {
      w += 4L * embedding.length + 16;
    }
    return w;
  }

  /** Whether the answer takes part in the semantic cache. */
  public boolean semantic() {
    return scope != null && query != null && embedding != null;
  }
}

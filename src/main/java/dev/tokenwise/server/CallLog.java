package dev.tokenwise.server;

import dev.tokenwise.core.Usage;
import dev.tokenwise.store.RequestRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** What is known of one call as it goes, turned into its log row at the end. */
final class CallLog {
  /** Stored bodies are cut here so that one huge call cannot hold the writer's memory. */
  static final int MAX_STORED_BODY = 4 * 1024 * 1024;

  final String id;
  final Instant time;
  final long startNanos;
  final String dialect;
  final String endpoint;
  String tenant = Auth.ANONYMOUS;
  String pattern;
  String provider;
  String modelRequested;
  String modelUsed;
  Usage usage;
  Long costPicoUsd;
  Long baselinePicoUsd;
  long ttfbMillis;
  int status;
  boolean stream;
  String finishReason;
  int attempts;
  String cacheStatus = "bypass";
  String error;
  /** What the stages changed, for the {@code x-tokenwise-trace} header, or null. */
  String trace;
  /** What each tactic saved, priced once the usage was known; joined to the trace. */
  java.util.List<String> savings = java.util.List.of();
  byte[] requestBody;
  byte[] responseBody;
  /** The call's fallback chain, once it went to a provider; its attempts are logged with the call. */
  dev.tokenwise.policy.Fallback chain;
  /** What the attempts before the current one were billed, or null when unknown. */
  Long earlierCostPicoUsd = 0L;
  /** What the serving attempt alone cost, at its model's prices, or null when unknown. */
  Long servedCostPicoUsd;
  /** Whether a model of the fallback chain, not the routed one, served the call. */
  boolean fallbackServed;

  CallLog(String id, Instant time, long startNanos, String dialect, String endpoint) {
    this.id = id;
    this.time = time;
    this.startNanos = startNanos;
    this.dialect = dialect;
    this.endpoint = endpoint;
  }

  RequestRecord toRecord(boolean storeBodies) {
    Usage u = usage == null ? Usage.NONE : usage;
    long total = (System.nanoTime() - startNanos) / 1_000_000;
    return new RequestRecord(id, time, tenant, pattern, dialect, endpoint, provider, modelRequested, modelUsed,
        u.inputTokens(), u.cachedInputTokens(), u.cacheWrite5mTokens(), u.cacheWrite1hTokens(), u.outputTokens(),
        u.reasoningTokens(), u.estimated(), costPicoUsd, baselinePicoUsd, ttfbMillis, total, status, stream,
        finishReason, attempts, cacheStatus, error,
        storeBodies ? text(requestBody) : null, storeBodies ? text(responseBody) : null, fullTrace(), attemptRows(),
        null);
  }

  /** What the audit keeps of the bodies (hashes and sizes, kept whether or not the bodies are). */
  dev.tokenwise.store.CallShape shape() {
    if (!"openai-chat".equals(dialect) && !"anthropic-messages".equals(dialect)) {
      return null;
    }
    return CallShapes.of(dialect, requestBody, status < 400 ? responseBody : null, stream);
  }

  private java.util.List<dev.tokenwise.store.AttemptRecord> attemptRows() {
    if (chain == null) {
      return java.util.List.of();
    }
    return chain.attempts().stream().map(a -> new dev.tokenwise.store.AttemptRecord(a.number(), a.provider(),
        a.model(), a.status(), a.latencyMillis(), a.outcome(), a.error(), a.costPicoUsd())).toList();
  }

  /** The stages' changes, then what each tactic saved. */
  String fullTrace() {
    if (savings.isEmpty()) {
      return trace;
    }
    String s = String.join("; ", savings);
    return trace == null ? s : trace + "; " + s;
  }

  private static String text(byte[] body) {
    if (body == null) {
      return null;
    }
    int n = Math.min(body.length, MAX_STORED_BODY);
    return new String(body, 0, n, StandardCharsets.UTF_8);
  }
}

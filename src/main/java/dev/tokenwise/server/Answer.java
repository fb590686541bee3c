package dev.tokenwise.server;

import dev.tokenwise.api.anthropic.AnthropicErrors;
import dev.tokenwise.api.openai.OpenAiErrors;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.UpstreamReply;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes answers: the gateway's headers on every one, errors in the caller's dialect. */
final class Answer {
  static final String COST = "x-tokenwise-cost-usd";
  static final String BASELINE = "x-tokenwise-baseline-usd";
  static final String CACHE = "x-tokenwise-cache";
  static final String PROVIDER = "x-tokenwise-provider";
  static final String MODEL = "x-tokenwise-model";
  static final String ATTEMPTS = "x-tokenwise-attempts";
  static final String PATTERN = "x-tokenwise-pattern";
  static final String REQUEST_ID = "x-tokenwise-request-id";
  static final String TRACE = "x-tokenwise-trace";
  static final String UNKNOWN = "unknown";
  /** The error type, in both dialects, of a call the spend guard refused. */
  static final String SPEND_GUARD_TYPE = "tokenwise_spend_guard";
  private static final int MAX_TRACE = 2000;

  private Answer() {}

  /** The headers known before the answer's body, for every answer. */
  static void identity(ServerResponse res, CallLog log) {
    res.header(REQUEST_ID, log.id);
    res.header(CACHE, log.cacheStatus);
    res.header(PROVIDER, log.provider == null ? "none" : log.provider);
    res.header(MODEL, log.modelUsed != null ? log.modelUsed : log.modelRequested != null ? log.modelRequested : "none");
    res.header(ATTEMPTS, Integer.toString(log.attempts));
    res.header(PATTERN, log.pattern == null ? "none" : log.pattern);
    String trace = log.fullTrace();
    if (trace != null) {
      res.header(TRACE, trace(java.util.List.of(trace)));
    }
  }

  /** The changes the stages made, as one header value: printable ASCII, "; " between them, bounded. */
  static String trace(java.util.List<String> changes) {
    if (changes.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String c : changes) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      for (int i = 0; i < c.length() && sb.length() < MAX_TRACE; i++) {
        char ch = c.charAt(i);
        sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
      }
    }
    return sb.length() > MAX_TRACE ? sb.substring(0, MAX_TRACE) : sb.toString();
  }

  /** The cost headers. */
  static void cost(ServerResponse res, Long costPico, Long baselinePico) {
    res.header(COST, usd(costPico));
    res.header(BASELINE, usd(baselinePico));
  }

  static String usd(Long pico) {
    return pico == null ? UNKNOWN : dev.tokenwise.analytics.Cost.usd(pico);
  }

  /** Sends a gateway error in the caller's dialect. */
  static void error(ServerResponse res, Dialect dialect, CallLog log, GatewayException e) {
    int status = e.status();
    res.status(status);
    identity(res, log);
    cost(res, log.costPicoUsd, log.baselinePicoUsd);
    if (e.retryAfter() != null) {
      res.header("retry-after", e.retryAfter());
    }
    String type = null;
    if (e.kind() == dev.tokenwise.core.ErrorKind.SPEND_GUARD) {
      type = SPEND_GUARD_TYPE;
      // the SDKs retry a 429 at once by themselves; this one lasts until retry-after
      res.header("x-should-retry", "false");
    }
    res.header("content-type", "application/json");
    res.send(dialect == Dialect.ANTHROPIC
        ? AnthropicErrors.body(status, type, e.getMessage(), log.id)
        : OpenAiErrors.body(status, type, e.getMessage(), e.param(), code(e)));
  }

  private static String code(GatewayException e) {
    return switch (e.kind()) {
      case UNKNOWN_MODEL -> "model_not_found";
      case PAYLOAD_TOO_LARGE -> "request_too_large";
      case UNAUTHORIZED -> "invalid_api_key";
      case UPSTREAM_UNREACHABLE -> "upstream_unreachable";
      case UPSTREAM_TIMEOUT -> "upstream_timeout";
      case UPSTREAM_BAD_RESPONSE -> "upstream_bad_response";
      case NOT_FOUND -> "unknown_url";
      case SPEND_GUARD -> "spend_guard";
      default -> null;
    };
  }

  /** Copies the provider headers a client relies on: request id, rate limits, retry advice, type. */
  static void upstreamHeaders(ServerResponse res, UpstreamReply reply) {
    upstreamHeaders(res, reply.headers());
  }

  /** Copies the provider headers a client relies on, from the headers of an answer already read. */
  static void upstreamHeaders(ServerResponse res, Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-ratelimit-") || name.startsWith("anthropic-ratelimit-") || name.equals("retry-after")
          || name.equals("retry-after-ms") || name.equals("x-should-retry") || name.equals("x-request-id")
          || name.equals("request-id") || name.equals("openai-processing-ms") || name.equals("openai-version")
          || name.equals("content-type")) {
        res.header(name, h.getValue().toArray(String[]::new));
      }
    }
  }
}

package dev.tokenwise.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.GatewayException;
import java.io.IOException;

/**
 * What one failed upstream attempt means for the rest of the call: whether the same model may be asked
 * again, only the next model of the fallback chain, or nobody. {@link #of} is the one table of the
 * gateway that decides it, so that "retry only the transient" is read in one place (PLAYBOOK tactic 8).
 */
public enum FailureClass {
  /** Transient: the same model may answer after a wait, and the next model of the chain at once. */
  RETRY,
  /** This model will not answer this call however long one waits (its quota is spent); the next one may. */
  FALLBACK,
  /** The request itself was refused, or the failure is none of the provider's: it goes back to the client. */
  FAIL;

  /** How deep a cause chain is searched for a transport failure. */
  private static final int MAX_CAUSE_DEPTH = 8;

  /**
   * Classifies a failed attempt.
   *
   * @param status the provider's HTTP status, or 0 when it sent none (the call failed before an answer)
   * @param body the provider's body parsed as JSON, or null when it was empty or not JSON
   * @param cause what went wrong on the gateway's side of the wire, or null when the provider answered
   */
  public static FailureClass of(int status, JsonNode body, Throwable cause) {
    if (cause != null) {
      return ofCause(cause);
    }
    return switch (status) {
      // the provider gave up waiting for the request: nothing was generated, ask again
      case 408 -> RETRY;
      // a spent quota or spend cap never passes on retry (openai.md §7, anthropic.md §5); another provider may
      // answer. Any other 429 is a rate limit: wait (Retry-After) or go on
      case 429 -> isQuota(body) ? FALLBACK : RETRY;
      // server errors, a gateway in front of the provider, overload, the provider's own timeout
      case 500, 502, 503, 504 -> RETRY;
      // Anthropic: the API as a whole is overloaded
      case 529 -> RETRY;
      default -> {
        if (status >= 200 && status < 300) {
          // a 2xx reaches this table only when its body was no answer: an HTML page from an edge, JSON
          // without choices or content, a stream that ended before its first event. Billing an outage
          // that answers 200 for hours is the accident the attempt budget exists for
          yield RETRY;
        }
        // every other 4xx (the request is wrong, the key, the model, the size) and the odd 5xx (501, 505):
        // asking again gets the same answer
        yield FAIL;
      }
    };
  }

  /** A failure before any answer: the connection, a timeout, or an answer that broke off. */
  private static FailureClass ofCause(Throwable cause) {
    Throwable c = cause;
    for (int depth = 0; c != null && depth < MAX_CAUSE_DEPTH; depth++, c = c.getCause()) {
      if (c instanceof GatewayException g) {
        // UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE, OVERLOADED, RATE_LIMITED: the kind
        // table says so; a missing key or an invalid model name does not heal
        return g.kind().retryable() ? RETRY : FAIL;
      }
      if (c instanceof IOException) {
        // refused, reset, timed out, cut off mid-answer
        return RETRY;
      }
    }
    // a defect of the gateway, not a state of the provider
    return FAIL;
  }

  /**
   * Whether a provider's 2xx body is an answer: a JSON object with {@code choices} (OpenAI chat), a
   * {@code content} list (Anthropic messages), {@code data} (embeddings) or {@code input_tokens}
   * (Anthropic's token count).
   */
  public static boolean isAnswer(JsonNode body) {
    if (body == null || !body.isObject()) {
      return false;
    }
    JsonNode choices = body.get("choices");
    return choices != null && choices.isArray() && !choices.isEmpty()
        || body.path("content").isArray()
        || body.path("data").isArray()
        || body.path("input_tokens").isNumber();
  }

  /** OpenAI's {@code insufficient_quota} (code or type) or Anthropic's spend-cap 429. */
  private static boolean isQuota(JsonNode body) {
    if (body == null) {
      return false;
    }
    JsonNode error = body.path("error");
    return "insufficient_quota".equals(error.path("code").asText(null))
        || "insufficient_quota".equals(error.path("type").asText(null))
        || "enforced_spend_limit_reached".equals(error.path("details").path("error_code").asText(null));
  }
}

package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.api.anthropic.AnthropicErrors;
import dev.tokenwise.api.openai.OpenAiErrors;
import dev.tokenwise.core.Json;

/**
 * Rewrites an upstream error that happened before streaming started into the status and body of the
 * client's dialect.
 *
 * <p>The status is mapped so the client's SDK makes the right retry decision: Anthropic's 529 becomes 503
 * (OpenAI clients know 503 and retry it), and OpenAI's never-succeeding quota 429 becomes Anthropic's 402 so
 * Anthropic clients stop retrying. The provider's own message text is kept, prefixed by the provider name,
 * because it usually says exactly what to fix. Bodies that are not JSON (an HTML page from a CDN) or not the
 * expected shape still give a well-formed error naming the upstream status.
 */
public final class ErrorTranslation {
  private ErrorTranslation() {}

  /** A translated error: the HTTP status for the client and the body in its dialect. */
  public record Mapped(int status, byte[] body) {}

  /** An Anthropic upstream error as an OpenAI-format error. */
  public static Mapped toOpenAi(int upstreamStatus, JsonNode anthropicErrorBody, String providerName) {
    JsonNode error = AnthropicErrors.isErrorBody(anthropicErrorBody) ? anthropicErrorBody.get("error") : null;
    String type = Json.textAt(error, "type");
    String message = message(providerName, upstreamStatus, Json.textAt(error, "message"));
    int status;
    String code;
    if ("billing_error".equals(type) || upstreamStatus == 402 || isSpendLimit(error)) {
      // OpenAI clients know exhausted money as a 429 with this code, and know it will not pass on retry.
      status = 429;
      code = "insufficient_quota";
    } else if ("overloaded_error".equals(type) || upstreamStatus == 529) {
      status = 503;
      code = null;
    } else {
      status = clientStatus(upstreamStatus);
      code = switch (status) {
        case 401 -> "invalid_api_key";
        case 404 -> "model_not_found";
        case 429 -> "rate_limit_exceeded";
        default -> null;
      };
    }
    return new Mapped(status, OpenAiErrors.body(status, message, null, code));
  }

  /** An OpenAI or OpenAI-compatible upstream error as an Anthropic-format error carrying the gateway's request id. */
  public static Mapped toAnthropic(int upstreamStatus, JsonNode openAiErrorBody, String providerName, String requestId) {
    JsonNode error = openAiError(upstreamStatus, openAiErrorBody);
    String message = message(providerName, upstreamStatus, Json.textAt(error, "message"));
    int status;
    if (upstreamStatus == 429 && isQuota(error)) {
      status = 402;
    } else if (upstreamStatus == 503) {
      status = 529;
    } else if (upstreamStatus == 502) {
      status = 500;
    } else {
      status = clientStatus(upstreamStatus);
    }
    return new Mapped(status, AnthropicErrors.body(status, message, requestId));
  }

  /**
   * The status to answer for the rows that keep their number: 4xx and 500/504 stay, other 5xx become 500, and a
   * status that is no error at all becomes 502 because the upstream answer could not be used.
   */
  private static int clientStatus(int upstreamStatus) {
    if (upstreamStatus >= 400 && upstreamStatus < 500) {
      return upstreamStatus;
    }
    if (upstreamStatus == 500 || upstreamStatus == 502 || upstreamStatus == 503 || upstreamStatus == 504) {
      return upstreamStatus;
    }
    return upstreamStatus > 500 && upstreamStatus < 600 ? 500 : 502;
  }

  /** The inner error object of an OpenAI body, after rewriting other vendors' shapes; null when there is none. */
  private static JsonNode openAiError(int status, JsonNode body) {
    if (OpenAiErrors.isErrorBody(body)) {
      return body.get("error");
    }
    byte[] normalised = OpenAiErrors.normalise(status, body);
    JsonNode parsed = normalised == null ? null : Json.tryParse(normalised);
    return parsed == null ? null : parsed.get("error");
  }

  /** True for OpenAI's exhausted-quota 429, which says so in its code (or, on some providers, only its type). */
  private static boolean isQuota(JsonNode error) {
    return "insufficient_quota".equals(Json.textAt(error, "code"))
        || "insufficient_quota".equals(Json.textAt(error, "type"));
  }

  /** True for Anthropic's spend-cap 429, which will not succeed before the next month either. */
  private static boolean isSpendLimit(JsonNode error) {
    return error != null && "enforced_spend_limit_reached".equals(Json.textAt(error.get("details"), "error_code"));
  }

  private static String message(String providerName, int upstreamStatus, String upstreamMessage) {
    String provider = providerName == null || providerName.isBlank() ? "upstream" : providerName;
    if (upstreamMessage == null || upstreamMessage.isBlank()) {
      return provider + ": answered HTTP " + upstreamStatus + " without a readable error message";
    }
    return provider + ": " + upstreamMessage;
  }
}

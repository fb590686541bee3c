package dev.tokenwise.provider.sim;

/**
 * The error a rule's {@code fail(status)} produces in each dialect: the {@code type}, {@code code}
 * and message a real provider would send for that status (openai.md §7, anthropic.md §5).
 */
final class Failures {
  private Failures() {}

  /** OpenAI: type, code (may be null) and message for a status. */
  static String[] openAi(int status, String model) {
    return switch (status) {
      case 400 -> new String[] {"invalid_request_error", null, "The request could not be processed."};
      case 401 -> new String[] {"invalid_request_error", "invalid_api_key",
          "Incorrect API key provided."};
      case 403 -> new String[] {"invalid_request_error", null,
          "This project is not allowed to use model " + model + "."};
      case 404 -> new String[] {"invalid_request_error", "model_not_found",
          "The model `" + model + "` does not exist or you do not have access to it."};
      case 408 -> new String[] {"server_error", null, "The request timed out."};
      case 409 -> new String[] {"invalid_request_error", null, "The request conflicts with another one."};
      case 429 -> new String[] {"requests", "rate_limit_exceeded",
          "Rate limit reached for " + model + " on requests per min (RPM). Please try again later."};
      case 503 -> new String[] {"server_error", null,
          "The server is overloaded at the moment; please try again later."};
      default -> status >= 500
          ? new String[] {"server_error", null, "The server had an error while processing your request."}
          : new String[] {"invalid_request_error", null, "The request was rejected with status " + status + "."};
    };
  }

  /** Anthropic: error type and message for a status (§5.2 table). */
  static String[] anthropic(int status) {
    return switch (status) {
      case 400 -> new String[] {"invalid_request_error", "The request could not be processed."};
      case 401 -> new String[] {"authentication_error", "invalid x-api-key"};
      case 402 -> new String[] {"billing_error", "There is a problem with the billing of this account."};
      case 403 -> new String[] {"permission_error", "This API key may not use this resource."};
      case 404 -> new String[] {"not_found_error", "The requested resource could not be found."};
      case 409 -> new String[] {"conflict_error", "The request conflicts with the current state."};
      case 413 -> new String[] {"request_too_large", "The request exceeds the maximum size."};
      case 429 -> new String[] {"rate_limit_error",
          "This request would exceed the rate limit for your organization."};
      case 504 -> new String[] {"timeout_error", "The request timed out while processing."};
      case 529 -> new String[] {"overloaded_error", "Overloaded"};
      default -> status >= 500 ? new String[] {"api_error", "Internal server error"}
          : new String[] {"invalid_request_error", "The request was rejected with status " + status + "."};
    };
  }

  /** What a garbage rule answers: HTTP 200 whose body no SDK can read as the wire format. */
  static final String GARBAGE_BODY =
      "<html><head><title>Upstream</title></head><body>upstream connect error or disconnect</body></html>";
}

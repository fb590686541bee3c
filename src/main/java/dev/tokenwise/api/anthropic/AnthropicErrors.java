package dev.tokenwise.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;

/** Error bodies in the Anthropic shape: {@code {"type":"error","error":{"type","message"},"request_id"}}. */
public final class AnthropicErrors {
  private AnthropicErrors() {}

  /** An error body for an HTTP status. */
  public static byte[] body(int status, String message, String requestId) {
    return Json.bytes(node(status, null, message, requestId));
  }

  /** An error body of a type of the gateway's own; a null {@code type} is the one of the status. */
  public static byte[] body(int status, String type, String message, String requestId) {
    return Json.bytes(node(status, type, message, requestId));
  }

  /** The in-band {@code error} event of a stream that failed after its 200. */
  public static byte[] streamEvent(int status, String message) {
    String json = Json.string(node(status, null, message, null));
    return ("event: error\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** True when a body already is an Anthropic error envelope. */
  public static boolean isErrorBody(JsonNode body) {
    return body != null && body.isObject() && "error".equals(body.path("type").asText(null))
        && body.path("error").isObject();
  }

  private static ObjectNode node(int status, String type, String message, String requestId) {
    ObjectNode error = Json.object();
    error.put("type", type != null ? type : type(status));
    error.put("message", message);
    ObjectNode root = Json.object();
    root.put("type", "error");
    root.set("error", error);
    if (requestId != null) {
      root.put("request_id", requestId);
    }
    return root;
  }

  /** The documented {@code error.type} of each status. */
  static String type(int status) {
    return switch (status) {
      case 400, 415, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 409 -> "conflict_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}

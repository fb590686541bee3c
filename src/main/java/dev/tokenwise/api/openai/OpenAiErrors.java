package dev.tokenwise.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;

/** Error bodies in the OpenAI shape: {@code {"error":{"message","type","param","code"}}}, all four keys. */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  /** An error body; {@code param} and {@code code} may be null. */
  public static byte[] body(int status, String message, String param, String code) {
    return body(status, null, message, param, code);
  }

  /** An error body of a type of the gateway's own; a null {@code type} is the one of the status. */
  public static byte[] body(int status, String type, String message, String param, String code) {
    ObjectNode error = Json.object();
    error.put("message", message);
    error.put("type", type != null ? type : type(status));
    error.put("param", param);
    error.put("code", code);
    ObjectNode root = Json.object();
    root.set("error", error);
    return Json.bytes(root);
  }

  /** The in-band error event of a stream that failed after its 200: {@code data: {"error":…}}. */
  public static byte[] streamEvent(int status, String message, String code) {
    byte[] json = body(status, message, null, code);
    byte[] out = new byte[json.length + 8];
    System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(json, 0, out, 6, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  /** True when a body already is an OpenAI error object. */
  public static boolean isErrorBody(JsonNode body) {
    return body != null && body.isObject() && body.path("error").isObject();
  }

  /**
   * Rewrites another OpenAI-compatible vendor's error shape into OpenAI's, or returns null when the
   * body is none of the known shapes. Gemini answers an array of {@code {"error":{code,message,status}}};
   * Mistral a flat {@code {"object":"error","message",…}}.
   */
  public static byte[] normalise(int status, JsonNode body) {
    JsonNode inner = null;
    if (body != null && body.isArray() && body.size() > 0 && body.get(0).path("error").isObject()) {
      inner = body.get(0).get("error");
    } else if (body != null && body.isObject() && "error".equals(body.path("object").asText(null))) {
      inner = body;
    }
    if (inner == null) {
      return null;
    }
    String message = inner.path("message").asText("the provider reported an error");
    JsonNode code = inner.get("code");
    String codeText = code == null || code.isNull() ? inner.path("status").asText(null) : code.asText();
    return body(status, message, inner.path("param").isTextual() ? inner.get("param").asText() : null, codeText);
  }

  static String type(int status) {
    if (status == 429) {
      return "rate_limit_error";
    }
    if (status == 401) {
      return "authentication_error";
    }
    if (status == 403) {
      return "permission_error";
    }
    if (status >= 500) {
      return "server_error";
    }
    return "invalid_request_error";
  }
}

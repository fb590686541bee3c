package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the call pattern of a request that carries no tag: a hash of its stable parts (dialect,
 * system prompt, tool definitions) after the variable parts are masked, so that one template filled
 * with other values lands in the same pattern. A request with neither system prompt nor tools is
 * named by its model and the masked start of its first user message.
 */
public final class PatternFingerprint {
  private static final int USER_PREFIX = 80;
  /** System prompts repeat from call to call: their masked form is kept, up to this many of them. */
  private static final int MEMO_ENTRIES = 1024;
  private static final int MEMO_MAX_LENGTH = 64 * 1024;

  private final Map<String, String> maskedSystem = new ConcurrentHashMap<>();

  /** The fingerprint of a request body, {@code fp-} and 12 hex digits. */
  public String of(Dialect dialect, JsonNode body) {
    StringBuilder stable = new StringBuilder(256).append(dialect.id()).append('\u0001');
    String system = systemText(dialect, body);
    JsonNode tools = body.get("tools");
    boolean hasTools = tools != null && tools.isArray() && !tools.isEmpty();
    stable.append(maskSystem(system)).append('\u0001');
    if (hasTools) {
      for (JsonNode tool : tools) {
        JsonNode fn = tool.has("function") ? tool.get("function") : tool;
        stable.append(fn.path("name").asText()).append('\u0002')
            .append(mask(fn.path("description").asText(""))).append('\u0002')
            .append(Json.string(fn.has("parameters") ? fn.get("parameters") : fn.path("input_schema")))
            .append('\u0001');
      }
    }
    if (system.isEmpty() && !hasTools) {
      stable.append(body.path("model").asText()).append('\u0001');
      String user = firstUserText(body);
      user = mask(user.substring(0, Math.min(2 * USER_PREFIX, user.length())));
      stable.append(user, 0, Math.min(USER_PREFIX, user.length()));
    }
    return "fp-" + sha256(stable.toString()).substring(0, 12);
  }

  /** Replaces the parts of a text that change from call to call with placeholders. */
  static String mask(String text) {
    return Masker.mask(text);
  }

  private String maskSystem(String system) {
    if (system.length() > MEMO_MAX_LENGTH) {
      return mask(system);
    }
    String masked = maskedSystem.get(system);
    if (masked == null) {
      masked = mask(system);
      if (maskedSystem.size() >= MEMO_ENTRIES) {
        maskedSystem.clear(); // a crude bound: templates come back within a few calls
      }
      maskedSystem.put(system, masked);
    }
    return masked;
  }

  /** The system prompt's text: Anthropic's {@code system}, OpenAI's system and developer messages. */
  static String systemText(Dialect dialect, JsonNode body) {
    StringBuilder sb = new StringBuilder();
    if (dialect == Dialect.ANTHROPIC) {
      appendText(sb, body.get("system"));
    } else {
      for (JsonNode m : body.path("messages")) {
        String role = m.path("role").asText();
        if (role.equals("system") || role.equals("developer")) {
          appendText(sb, m.get("content"));
        }
      }
    }
    return sb.toString();
  }

  private static String firstUserText(JsonNode body) {
    for (JsonNode m : body.path("messages")) {
      if (m.path("role").asText().equals("user")) {
        StringBuilder sb = new StringBuilder();
        appendText(sb, m.get("content"));
        return sb.toString();
      }
    }
    return "";
  }

  private static void appendText(StringBuilder sb, JsonNode content) {
    if (content == null) {
      return;
    }
    if (content.isTextual()) {
      sb.append(content.asText()).append('\n');
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          sb.append(part.get("text").asText()).append('\n');
        }
      }
    }
  }

  private static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

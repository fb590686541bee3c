package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.LargeStrings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The response cache's keys. The exact key is a SHA-256 of the canonical request: the tenant, the
 * client dialect, the provider and model the call runs on after routing, and every field of the body
 * but the few named in {@link #IGNORED} (transport and bookkeeping fields that cannot change the
 * answer). Object keys are taken in sorted order and every value is framed with its type and length,
 * so two bodies that differ only in key order or whitespace share a key and no two different ones can.
 * A field the gateway does not know is part of the key: an unknown parameter may change the answer.
 *
 * <p>The semantic scope is the same digest with the text of the last user message left out: two calls
 * in one scope differ only in that message, which is what the semantic cache compares.
 */
final class CacheKey {
  /** Top-level fields that never change an answer: the stream flag, caller ids, billing and routing hints. */
  static final Set<String> IGNORED = Set.of("model", "stream", "stream_options", "user", "metadata", "store",
      "service_tier", "safety_identifier", "prompt_cache_key", "prompt_cache_retention");
  /** Fields ignored wherever they appear: prompt-cache breakpoints change the price, not the answer. */
  static final Set<String> IGNORED_ANYWHERE = Set.of("cache_control");

  private static final byte OBJECT = 'o';
  private static final byte ARRAY = 'a';
  private static final byte STRING = 's';
  private static final byte NUMBER = 'n';
  private static final byte BOOL = 'b';
  private static final byte NULL = 'z';
  private static final byte LARGE = 'l';
  private static final byte LEFT_OUT = 'q';

  private CacheKey() {}

  /** The exact key of a call. */
  static String exact(String tenant, Dialect dialect, String provider, String model, JsonNode body,
      LargeStrings large) {
    return digest(tenant, dialect, provider, model, body, large, null);
  }

  /**
   * The semantic scope of a call, or null when its last message is not a user message made of text
   * (a tool result, an image: nothing a paraphrase could match).
   */
  static String scope(String tenant, Dialect dialect, String provider, String model, JsonNode body,
      LargeStrings large) {
    JsonNode last = lastUserText(body);
    return last == null ? null : digest(tenant, dialect, provider, model, body, large, last);
  }

  /** The text of the last message when it is a user message made of text only, else null. */
  static String lastUserQuery(JsonNode body) {
    JsonNode content = lastUserText(body);
    if (content == null) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    List<String> parts = new ArrayList<>(content.size());
    for (JsonNode part : content) {
      parts.add(part.path("text").asText());
    }
    return String.join("\n", parts);
  }

  private static JsonNode lastUserText(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return null;
    }
    JsonNode last = messages.get(messages.size() - 1);
    if (!"user".equals(last.path("role").asText())) {
      return null;
    }
    JsonNode content = last.get("content");
    if (content == null) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText().isBlank() ? null : content;
    }
    if (!content.isArray() || content.isEmpty()) {
      return null;
    }
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
        return null;
      }
    }
    return content;
  }

  private static String digest(String tenant, Dialect dialect, String provider, String model, JsonNode body,
      LargeStrings large, JsonNode leftOut) {
    MessageDigest md = sha256();
    text(md, tenant);
    text(md, dialect.id());
    text(md, provider == null ? "" : provider);
    text(md, model == null ? "" : model);
    md.update(OBJECT);
    List<String> names = new ArrayList<>();
    body.fieldNames().forEachRemaining(n -> {
      if (!IGNORED.contains(n) && !IGNORED_ANYWHERE.contains(n)) {
        names.add(n);
      }
    });
    names.sort(null);
    length(md, names.size());
    for (String name : names) {
      text(md, name);
      value(md, body.get(name), large, leftOut);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void value(MessageDigest md, JsonNode node, LargeStrings large, JsonNode leftOut) {
    if (node == leftOut) {
      md.update(LEFT_OUT);
      return;
    }
    switch (node.getNodeType()) {
      case OBJECT -> {
        md.update(OBJECT);
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        node.properties().forEach(e -> {
          if (!IGNORED_ANYWHERE.contains(e.getKey())) {
            fields.add(e);
          }
        });
        fields.sort(Map.Entry.comparingByKey());
        length(md, fields.size());
        for (Map.Entry<String, JsonNode> e : fields) {
          text(md, e.getKey());
          value(md, e.getValue(), large, leftOut);
        }
      }
      case ARRAY -> {
        md.update(ARRAY);
        length(md, node.size());
        for (JsonNode item : node) {
          value(md, item, large, leftOut);
        }
      }
      case STRING -> {
        byte[] original = large == null ? null : large.originalOf(node.asText());
        if (original != null) {
          // a set-aside image or document: its bytes as sent, never the per-body placeholder
          md.update(LARGE);
          length(md, original.length);
          md.update(original);
        } else {
          md.update(STRING);
          text(md, node.asText());
        }
      }
      case NUMBER -> {
        md.update(NUMBER);
        // 1, 1.0 and 1e0 are one value to a provider
        text(md, node.decimalValue().stripTrailingZeros().toPlainString());
      }
      case BOOLEAN -> {
        md.update(BOOL);
        md.update((byte) (node.asBoolean() ? 1 : 0));
      }
      default -> md.update(NULL);
    }
  }

  private static void text(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    length(md, b.length);
    md.update(b);
  }

  private static void length(MessageDigest md, int n) {
    md.update((byte) (n >>> 24));
    md.update((byte) (n >>> 16));
    md.update((byte) (n >>> 8));
    md.update((byte) n);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}

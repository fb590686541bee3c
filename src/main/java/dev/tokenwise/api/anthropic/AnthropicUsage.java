package dev.tokenwise.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Anthropic Messages {@code usage} object into {@link Usage}.
 *
 * <p>Unlike OpenAI, {@code input_tokens} excludes both cache reads and cache writes, so the three are
 * already disjoint and map one to one. Writes are split by lifetime from {@code cache_creation}
 * because a 1-hour write costs 2× input against 1.25× for a 5-minute one.
 */
public final class AnthropicUsage {
  /** Subtrees holding the caller's own JSON (tool schemas, tool inputs), where a key means nothing. */
  private static final Set<String> USER_JSON = Set.of("input_schema", "input");

  private AnthropicUsage() {}

  /**
   * The canonical usage of a message.
   *
   * <p>When {@code cache_creation} is absent (older API versions) the written tokens cannot be split,
   * so they all go to the lifetime the request asked for: 1 hour if any breakpoint asked for it, which
   * bills a request mixing both lifetimes at the higher price rather than the lower.
   *
   * @param requestUsedOneHourTtl whether the request had a {@code cache_control} with {@code ttl: "1h"}
   * @throws IllegalArgumentException when {@code usage} is not an object
   */
  public static Usage parse(JsonNode usage, boolean requestUsedOneHourTtl) {
    if (usage == null || !usage.isObject()) {
      throw new IllegalArgumentException(
          "the message carries no usage object, so its cost was not reported; estimate it instead");
    }
    long written = Json.longAt(usage, "cache_creation_input_tokens");
    long w5m = 0;
    long w1h = 0;
    JsonNode split = usage.get("cache_creation");
    if (split != null && split.isObject()) {
      w5m = Json.longAt(split, "ephemeral_5m_input_tokens");
      w1h = Json.longAt(split, "ephemeral_1h_input_tokens");
    }
    long unsplit = written - w5m - w1h;
    if (unsplit > 0) {
      if (requestUsedOneHourTtl) {
        w1h += unsplit;
      } else {
        w5m += unsplit;
      }
    }
    return new Usage(
        Json.longAt(usage, "input_tokens"),
        Json.longAt(usage, "cache_read_input_tokens"),
        w5m,
        w1h,
        Json.longAt(usage, "output_tokens"),
        Json.longAt(usage, "output_tokens_details", "thinking_tokens"),
        false);
  }

  /** Whether any {@code cache_control} in the request, the top-level one included, asks for 1 hour. */
  public static boolean requestUsesOneHourTtl(JsonNode requestBody) {
    if (requestBody == null) {
      return false;
    }
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(requestBody);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isArray()) {
        node.forEach(pending::push);
      } else if (node.isObject()) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          if (field.getKey().equals("cache_control")) {
            if ("1h".equals(Json.textAt(field.getValue(), "ttl"))) {
              return true;
            }
          } else if (!USER_JSON.contains(field.getKey())) {
            pending.push(field.getValue());
          }
        }
      }
    }
    return false;
  }
}

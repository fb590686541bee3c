package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic prompt cut into blocks in cache order (tools, system, messages), with the token count
 * and prefix hash at the end of each block and the {@code cache_control} breakpoints.
 *
 * <p>Input tokens: each tool counts as its JSON text (without {@code cache_control}); text, thinking
 * and plain-text documents count their text; {@code tool_use} its name and input JSON;
 * {@code tool_result} its content; an image or other media counts 85. Roles cost nothing.
 */
final class AnthropicPrompt {
  static final int MAX_BREAKPOINTS = 4;

  final List<PromptCache.Position> positions = new ArrayList<>();
  final List<PromptCache.Breakpoint> breakpoints = new ArrayList<>();
  /** Why the prompt is invalid, or null. */
  String error;
  private final Tokens.Tally tally = new Tokens.Tally();

  static AnthropicPrompt of(JsonNode root) {
    AnthropicPrompt p = new AnthropicPrompt();
    for (JsonNode tool : root.path("tools")) {
      p.tally.tag("tool");
      p.tally.text(dev.tokenwise.core.Json.string(withoutCacheControl(tool)));
      p.close(tool.get("cache_control"), "tools");
    }
    JsonNode system = root.get("system");
    if (system != null && system.isTextual()) {
      p.tally.tag("system");
      p.tally.text(system.asText());
      p.close(null, "system");
    } else if (system != null && system.isArray()) {
      for (JsonNode block : system) {
        p.tally.tag("system");
        p.tally.text(block.path("text").asText());
        p.close(block.get("cache_control"), "system");
      }
    }
    for (JsonNode m : root.path("messages")) {
      p.tally.tag(m.path("role").asText());
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        p.tally.text(content.asText());
        p.close(null, "messages");
      } else if (content != null && content.isArray()) {
        for (JsonNode block : content) {
          p.block(block);
          p.close(block.get("cache_control"), "messages");
        }
      }
    }
    JsonNode auto = root.get("cache_control");
    if (auto != null && !auto.isNull() && !p.positions.isEmpty()) {
      int last = p.positions.size() - 1;
      boolean already = !p.breakpoints.isEmpty()
          && p.breakpoints.get(p.breakpoints.size() - 1).block() == last;
      Duration ttl = p.ttl(auto, "cache_control");
      if (!already && ttl != null) {
        p.breakpoints.add(new PromptCache.Breakpoint(last, ttl));
      }
    }
    if (p.error == null && p.breakpoints.size() > MAX_BREAKPOINTS) {
      p.error = "A maximum of " + MAX_BREAKPOINTS + " blocks with cache_control may be provided."
          + " Found " + p.breakpoints.size() + ".";
    }
    return p;
  }

  int total() {
    return tally.count();
  }

  private void block(JsonNode block) {
    String type = block.path("type").asText();
    tally.tag(type);
    switch (type) {
      case "text" -> tally.text(block.path("text").asText());
      case "thinking" -> tally.text(block.path("thinking").asText());
      case "tool_use" -> {
        tally.text(block.path("name").asText());
        tally.text(dev.tokenwise.core.Json.string(block.path("input")));
      }
      case "tool_result" -> {
        JsonNode c = block.get("content");
        if (c != null && c.isTextual()) {
          tally.text(c.asText());
        } else if (c != null && c.isArray()) {
          c.forEach(this::block);
        }
      }
      case "document" -> {
        if ("text".equals(block.path("source").path("type").asText())) {
          tally.text(block.path("source").path("data").asText());
        } else {
          media(block);
        }
      }
      default -> media(block);
    }
  }

  private void media(JsonNode block) {
    tally.tag(Long.toHexString(Tokens.hash(dev.tokenwise.core.Json.string(withoutCacheControl(block)))));
    tally.fixed("<|media|>", 85);
  }

  /** Ends a block: remembers where it ends and whether it carries a breakpoint. */
  private void close(JsonNode cacheControl, String where) {
    positions.add(new PromptCache.Position(tally.count(), tally.hash()));
    if (cacheControl != null && !cacheControl.isNull()) {
      Duration ttl = ttl(cacheControl, where + ".cache_control");
      if (ttl != null) {
        breakpoints.add(new PromptCache.Breakpoint(positions.size() - 1, ttl));
      }
    }
  }

  private Duration ttl(JsonNode cacheControl, String where) {
    if (!"ephemeral".equals(cacheControl.path("type").asText())) {
      error = where + ".type: Input should be 'ephemeral'";
      return null;
    }
    return switch (cacheControl.path("ttl").asText("5m")) {
      case "5m" -> PromptCache.SHORT_TTL;
      case "1h" -> PromptCache.LONG_TTL;
      default -> {
        error = where + ".ttl: Input should be '5m' or '1h'";
        yield null;
      }
    };
  }

  private static JsonNode withoutCacheControl(JsonNode node) {
    if (!node.isObject() || !node.has("cache_control")) {
      return node;
    }
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    copy.remove("cache_control");
    return copy;
  }

  /**
   * The text of the last user message, the seed of the generated answer: its text parts joined by newlines,
   * so that a message sent as one string and as one text block (as a translated call sends it) get one answer.
   */
  static String lastUserText(JsonNode messages) {
    JsonNode last = null;
    for (JsonNode m : messages) {
      if ("user".equals(m.path("role").asText())) {
        last = m;
      }
    }
    if (last == null) {
      return "";
    }
    JsonNode c = last.get("content");
    if (c != null && c.isTextual()) {
      return c.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : last.path("content")) {
      String text = block.path("text").asText("");
      if (!text.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : "\n").append(text);
      }
    }
    return sb.toString();
  }
}

package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.UsageEstimator;
import dev.tokenwise.api.anthropic.AnthropicStreamToWhole;
import dev.tokenwise.api.openai.OpenAiStreamToWhole;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.Masker;
import dev.tokenwise.store.CallShape;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes the {@link CallShape} of a finished call from its bodies: the hashes and sizes the audit reads
 * instead of the bodies. Runs once per call after its answer went out; a body it cannot read gives no
 * shape rather than an error.
 */
public final class CallShapes {
  /** Fields that change neither the answer nor the call's content, left out of the request hash. */
  private static final Set<String> NOT_CONTENT =
      Set.of("stream", "stream_options", "user", "metadata", "store", "service_tier");
  /** Words that carry no content in a question, left out of the query hash. */
  private static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "it", "its", "is", "are", "was", "be", "do",
      "does", "did", "can", "could", "would", "should", "will", "to", "of", "in", "on", "for", "at", "by", "with",
      "and", "or", "how", "what", "please", "tell", "there", "this", "that", "way", "any", "some", "just", "so",
      "about", "get", "go", "if", "am", "hi", "hello", "thanks", "thank");
  /** Prompt heads already measured (masked hash, tokens), by their hash: the same few head most calls. */
  private static final int MAX_HEADS = 4096;
  private static final Map<Long, long[]> HEADS = new ConcurrentHashMap<>();

  private CallShapes() {}

  /**
   * The shape of a call, or null when its request is not a JSON chat call.
   *
   * @param dialect {@code openai-chat} or {@code anthropic-messages}
   * @param response the answer as the client got it (for a stream, its events), or null
   */
  static CallShape of(String dialect, byte[] request, byte[] response, boolean stream) {
    if (request == null || request.length == 0) {
      return null;
    }
    try {
      JsonNode body = Json.MAPPER.readTree(request);
      if (!(body instanceof ObjectNode object) || !(body.get("messages") instanceof ArrayNode messages)) {
        return null;
      }
      boolean anthropic = "anthropic-messages".equals(dialect);
      ObjectNode content = object.deepCopy();
      NOT_CONTENT.forEach(content::remove);
      long requestHash = hash(Json.MAPPER.writeValueAsBytes(content));

      String prefix = prefix(object, anthropic);
      long prefixHash = prefix.isEmpty() ? 0 : hash(prefix);
      long maskedHash = 0;
      int prefixTokens = 0;
      if (!prefix.isEmpty()) {
        long[] head = head(prefixHash, prefix);
        maskedHash = head[0];
        prefixTokens = (int) head[1];
      }

      int lastUser = -1;
      int turns = 0;
      for (int i = 0; i < messages.size(); i++) {
        if ("user".equals(messages.get(i).path("role").asText())) {
          lastUser = i;
          turns++;
        }
      }
      StringBuilder scope = new StringBuilder(object.path("model").asText()).append('\n').append(prefix);
      for (int i = 0; i < Math.max(lastUser, 0); i++) {
        scope.append('\n').append(messages.get(i).toString());
      }
      String words = lastUser < 0 ? "" : contentWords(text(messages.get(lastUser).get("content")));
      long queryHash = hash(scope + "\n" + words);

      int maxTokens = object.has("max_completion_tokens")
          ? object.path("max_completion_tokens").asInt(-1)
          : object.has("max_tokens") ? object.path("max_tokens").asInt(-1) : -1;
      int flags = (repeatable(object) ? CallShape.REPEATABLE : 0)
          | (jsonOutput(object) ? CallShape.JSON_OUTPUT : 0)
          | (object.path("tools").size() > 0 ? CallShape.TOOLS : 0);
      return new CallShape(requestHash, queryHash, prefixHash, maskedHash, prefixTokens, turns, maxTokens,
          answerHash(anthropic, response, stream), flags);
    } catch (Exception e) {
      return null; // a body the gateway relayed but cannot read leaves its row without a shape
    }
  }

  /**
   * The head of a stored request body (tool definitions, then the system prompt), or empty when the body
   * is not a JSON chat call; for the audit to show what differs between two heads.
   */
  public static Optional<String> head(String dialect, String body) {
    if (body == null) {
      return Optional.empty();
    }
    JsonNode parsed = Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
    if (!(parsed instanceof ObjectNode object) || !(parsed.get("messages") instanceof ArrayNode)) {
      return Optional.empty();
    }
    return Optional.of(prefix(object, "anthropic-messages".equals(dialect)));
  }

  /**
   * The text of the last user message of a stored request body, or empty when the body is not a JSON chat
   * call or has no user message; for the audit to replay questions through the semantic cache.
   */
  public static Optional<String> lastUserText(String body) {
    if (body == null) {
      return Optional.empty();
    }
    JsonNode parsed = Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
    if (parsed == null || !(parsed.get("messages") instanceof ArrayNode messages)) {
      return Optional.empty();
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        return Optional.of(text(messages.get(i).get("content")));
      }
    }
    return Optional.empty();
  }

  /** Tool definitions, then the system prompt: the part of a prompt that a provider can cache. */
  static String prefix(ObjectNode body, boolean anthropic) {
    StringBuilder sb = new StringBuilder();
    if (body.path("tools").size() > 0) {
      sb.append(body.get("tools").toString());
    }
    if (anthropic) {
      sb.append(text(body.get("system")));
    } else {
      for (JsonNode m : body.get("messages")) {
        String role = m.path("role").asText();
        if (!role.equals("system") && !role.equals("developer")) {
          break;
        }
        sb.append(text(m.get("content")));
      }
    }
    return sb.toString();
  }

  /** The words of a question that carry its content, lower-cased, singular, sorted, without repeats. */
  static String contentWords(String text) {
    Set<String> words = new TreeSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+")) {
      if (w.isEmpty() || STOP_WORDS.contains(w)) {
        continue;
      }
      if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
        w = w.substring(0, w.length() - 1);
      }
      words.add(w);
    }
    return String.join(" ", words);
  }

  private static boolean repeatable(JsonNode body) {
    JsonNode t = body.get("temperature");
    return t != null && t.isNumber() && t.asDouble() == 0.0
        || body.hasNonNull("seed")
        || body.path("top_k").asInt(0) == 1;
  }

  private static boolean jsonOutput(JsonNode body) {
    String type = body.path("response_format").path("type").asText("");
    return type.equals("json_object") || type.equals("json_schema");
  }

  /** The answer's text and tool calls (without their ids, which differ on every call), hashed. */
  private static long answerHash(boolean anthropic, byte[] response, boolean stream) {
    if (response == null || response.length == 0) {
      return 0;
    }
    byte[] whole = response;
    if (stream) {
      Optional<byte[]> assembled = anthropic
          ? AnthropicStreamToWhole.wholeFromStream(response)
          : OpenAiStreamToWhole.wholeFromStream(response);
      if (assembled.isEmpty()) {
        return 0;
      }
      whole = assembled.get();
    }
    JsonNode answer = Json.tryParse(whole);
    if (answer == null) {
      return 0;
    }
    StringBuilder sb = new StringBuilder();
    if (anthropic) {
      for (JsonNode block : answer.path("content")) {
        sb.append(block.path("type").asText()).append(':').append(block.path("text").asText())
            .append(block.path("name").asText()).append(block.path("input").toString()).append('\n');
      }
    } else {
      JsonNode message = answer.path("choices").path(0).path("message");
      sb.append(message.path("content").asText(""));
      for (JsonNode call : message.path("tool_calls")) {
        sb.append('\n').append(call.path("function").path("name").asText())
            .append(call.path("function").path("arguments").asText());
      }
    }
    return sb.isEmpty() ? 0 : hash(sb.toString());
  }

  /** A message's text: a string, or the text of its parts. */
  private static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      sb.append(part.isTextual() ? part.asText() : part.path("text").asText(""));
    }
    return sb.toString();
  }

  /** The masked hash and the token count of a prompt head, computed once per head: the same few head most calls. */
  private static long[] head(long prefixHash, String prefix) {
    long[] known = HEADS.get(prefixHash);
    if (known != null) {
      return known;
    }
    long[] computed = {hash(Masker.mask(prefix)), Math.min(Integer.MAX_VALUE, UsageEstimator.countTokens(prefix))};
    if (HEADS.size() >= MAX_HEADS) {
      HEADS.clear();
    }
    HEADS.put(prefixHash, computed);
    return computed;
  }

  static long hash(String s) {
    return hash(s.getBytes(StandardCharsets.UTF_8));
  }

  /** FNV-1a, 64 bits: enough to tell a million calls apart, and 0 is kept for "nothing". */
  static long hash(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h == 0 ? 1 : h;
  }
}
